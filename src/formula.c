/* formula.c - compiles "voted / registered * 100" to a postfix program (see formula.h).
 *
 * A recursive-descent parser emits instructions into a growable array; names
 * are interned into a variable table in order of first appearance.  The
 * compiled formula records the deepest stack it needs, so formula_eval() runs
 * on a fixed array on the C stack and never allocates.  The formula owns its
 * instruction array and variable names; it is immutable after parsing.
 */
#include "formula.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

enum op { OP_NUM, OP_VAR, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG };

typedef struct insn {
    int op;
    int var;      /* OP_VAR */
    double num;   /* OP_NUM */
} insn;

struct formula {
    insn *code;
    int ncode, capcode;
    char **vars;
    int nvars, capvars;
    int maxstack;
};

#define STACK_MAX 64

typedef struct parser {
    const char *s;
    size_t pos, len;
    formula *f;
    int depth, stack, oom;
    err_t *e;
    int failed;
} parser;

static int perr(parser *p, const char *vi, const char *en)
{
    if (!p->failed)
        err_set(p->e, tr("vị trí %zu: %s", "position %zu: %s"), p->pos + 1, tr(vi, en));
    p->failed = 1;
    return -1;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
}

static int emit(parser *p, int op, int var, double num)
{
    formula *f = p->f;
    if (f->ncode == f->capcode) {
        int cap = f->capcode ? f->capcode * 2 : 16;
        insn *c = realloc(f->code, (size_t)cap * sizeof *c);
        if (c == NULL) {
            p->oom = 1;
            return perr(p, "hết bộ nhớ", "out of memory");
        }
        f->code = c;
        f->capcode = cap;
    }
    f->code[f->ncode++] = (insn){ op, var, num };
    p->stack += (op == OP_NUM || op == OP_VAR) ? 1 : op == OP_NEG ? 0 : -1;
    if (p->stack > f->maxstack)
        f->maxstack = p->stack;
    if (f->maxstack > STACK_MAX)
        return perr(p, "công thức quá phức tạp", "formula too complex");
    return 0;
}

static int intern(parser *p, const char *name, size_t n)
{
    formula *f = p->f;
    for (int i = 0; i < f->nvars; i++)
        if (strlen(f->vars[i]) == n && memcmp(f->vars[i], name, n) == 0)
            return i;
    if (f->nvars == f->capvars) {
        int cap = f->capvars ? f->capvars * 2 : 8;
        char **v = realloc(f->vars, (size_t)cap * sizeof *v);
        if (v == NULL)
            return -1;
        f->vars = v;
        f->capvars = cap;
    }
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, name, n);
    copy[n] = '\0';
    f->vars[f->nvars] = copy;
    return f->nvars++;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int expr(parser *p);

/* A quoted code, "{KT-01}" (or the older "[thu-ngan-sach]"): the cursor is on the opening mark;
 * spaces inside the marks are ignored; sets [*start, *end) to the code. */
static int quoted_code(parser *p, char close, size_t *start, size_t *end)
{
    p->pos++;
    skip_ws(p);
    *start = p->pos;
    while (p->pos < p->len && p->s[p->pos] != close && p->s[p->pos] != ' ' && p->s[p->pos] != '\t') {
        char d = p->s[p->pos];
        if (!is_alpha(d) && !is_digit(d) && d != '.' && d != '-')
            return close == '}' ? perr(p, "mã trong {...} chỉ gồm chữ ASCII, số, '_', '.', '-'",
                                       "a code in {...} may only hold ASCII letters, digits, '_', '.', '-'")
                                : perr(p, "mã trong [...] chỉ gồm chữ ASCII, số, '_', '.', '-'",
                                       "a code in [...] may only hold ASCII letters, digits, '_', '.', '-'");
        p->pos++;
    }
    *end = p->pos;
    skip_ws(p);
    if (p->pos >= p->len)
        return close == '}' ? perr(p, "thiếu '}'", "missing '}'") : perr(p, "thiếu ']'", "missing ']'");
    if (p->s[p->pos] != close) {
        p->pos = *end;                      /* the error points just after the code */
        return close == '}' ? perr(p, "cần '}' sau mã (mã không có dấu cách)", "expected '}' after the code (codes have no spaces)")
                            : perr(p, "cần ']' sau mã (mã không có dấu cách)", "expected ']' after the code (codes have no spaces)");
    }
    p->pos++;
    if (*end == *start)
        return close == '}' ? perr(p, "mã trong {...} trống", "empty code in {...}")
                            : perr(p, "mã trong [...] trống", "empty code in [...]");
    return 0;
}

static int primary(parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len)
        return perr(p, "cần một số, mã chỉ tiêu hoặc '(' nhưng công thức đã hết",
                    "expected a number, an indicator code or '(' but the formula ended");
    char c = p->s[p->pos];
    if (is_digit(c)) {
        size_t start = p->pos;
        double v = 0;
        while (p->pos < p->len && is_digit(p->s[p->pos]))
            v = v * 10 + (p->s[p->pos++] - '0');
        if (p->pos < p->len && p->s[p->pos] == '.') {
            p->pos++;
            if (p->pos >= p->len || !is_digit(p->s[p->pos]))
                return perr(p, "cần chữ số sau dấu '.'", "expected a digit after '.'");
            double scale = 0.1;
            while (p->pos < p->len && is_digit(p->s[p->pos])) {
                v += (p->s[p->pos++] - '0') * scale;
                scale /= 10;
            }
        }
        if (p->pos - start > 30)
            return perr(p, "số quá dài", "number too long");
        return emit(p, OP_NUM, 0, v);
    }
    if (is_alpha(c) || c == '[' || c == '{') {
        size_t start = p->pos, end = p->pos;
        if (c == '[' || c == '{') {
            if (quoted_code(p, c == '[' ? ']' : '}', &start, &end) != 0)
                return -1;
        } else {
            while (p->pos < p->len &&
                   (is_alpha(p->s[p->pos]) || is_digit(p->s[p->pos]) || p->s[p->pos] == '.'))
                p->pos++;
            end = p->pos;
        }
        int var = intern(p, p->s + start, end - start);
        if (var < 0) {
            p->oom = 1;
            return perr(p, "hết bộ nhớ", "out of memory");
        }
        return emit(p, OP_VAR, var, 0);
    }
    if (c == '(') {
        p->pos++;
        if (++p->depth > FORMULA_MAX_DEPTH)
            return perr(p, "lồng ngoặc quá sâu", "parentheses nested too deep");
        if (expr(p) != 0)
            return -1;
        p->depth--;
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ')')
            return perr(p, "cần ')'", "expected ')'");
        p->pos++;
        return 0;
    }
    return perr(p, "cần một số, mã chỉ tiêu hoặc '('", "expected a number, an indicator code or '('");
}

static int unary(parser *p)
{
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '-') {
        p->pos++;
        if (++p->depth > FORMULA_MAX_DEPTH)
            return perr(p, "lồng quá sâu", "nested too deep");
        if (unary(p) != 0)
            return -1;
        p->depth--;
        return emit(p, OP_NEG, 0, 0);
    }
    return primary(p);
}

static int term(parser *p)
{
    if (unary(p) != 0)
        return -1;
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len || (p->s[p->pos] != '*' && p->s[p->pos] != '/'))
            return 0;
        int op = p->s[p->pos++] == '*' ? OP_MUL : OP_DIV;
        if (unary(p) != 0 || emit(p, op, 0, 0) != 0)
            return -1;
    }
}

static int expr(parser *p)
{
    if (term(p) != 0)
        return -1;
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len || (p->s[p->pos] != '+' && p->s[p->pos] != '-'))
            return 0;
        int op = p->s[p->pos++] == '+' ? OP_ADD : OP_SUB;
        if (term(p) != 0 || emit(p, op, 0, 0) != 0)
            return -1;
    }
}

int formula_parse(const char *src, formula **out, err_t *e)
{
    *out = NULL;
    size_t len = strlen(src);
    if (len > FORMULA_MAX_LEN)
        return err_set(e, tr("công thức dài quá %d ký tự", "formula longer than %d characters"),
                       FORMULA_MAX_LEN);
    formula *f = calloc(1, sizeof *f);
    if (f == NULL)
        return err_set(e, "out of memory");
    parser p = { src, 0, len, f, 0, 0, 0, e, 0 };
    skip_ws(&p);
    if (p.pos >= len) {
        formula_free(f);
        return err_set(e, "%s", tr("công thức trống", "empty formula"));
    }
    if (expr(&p) == 0) {
        skip_ws(&p);
        if (p.pos < len) {
            char c = src[p.pos];
            if (c == ')')
                perr(&p, "thừa ')'", "unexpected ')'");
            else if (is_alpha(c) || is_digit(c) || c == '(' || c == '[')
                perr(&p, "cần một phép toán + - * /", "expected an operator + - * /");
            else
                perr(&p, "ký tự không hợp lệ", "unexpected character");
        }
    }
    if (p.failed) {
        formula_free(f);
        return -1;
    }
    *out = f;
    return 0;
}

void formula_free(formula *f)
{
    if (f == NULL)
        return;
    for (int i = 0; i < f->nvars; i++)
        free(f->vars[i]);
    free(f->vars);
    free(f->code);
    free(f);
}

int formula_nvars(const formula *f) { return f->nvars; }

const char *formula_var(const formula *f, int i) { return f->vars[i]; }

int formula_eval(const formula *f, const double *vals, const unsigned char *has, double *out)
{
    double st[STACK_MAX + 1];
    int sp = 0;
    for (int i = 0; i < f->ncode; i++) {
        const insn *c = &f->code[i];
        switch (c->op) {
        case OP_NUM: st[sp++] = c->num; break;
        case OP_VAR:
            if (!has[c->var])
                return -1;
            st[sp++] = vals[c->var];
            break;
        case OP_NEG: st[sp - 1] = -st[sp - 1]; break;
        default: {
            double b = st[--sp], a = st[sp - 1];
            if (c->op == OP_DIV && b == 0)
                return -1;
            st[sp - 1] = c->op == OP_ADD ? a + b : c->op == OP_SUB ? a - b
                       : c->op == OP_MUL ? a * b : a / b;
        }
        }
    }
    if (sp != 1 || !isfinite(st[0]))
        return -1;
    *out = st[0];
    return 0;
}
