/* class.c - the classification rules of class.h: parsing names and scores, the rules of a
 * sheet from rows of a criteria file, bands, collective conditions, faults and the quota.
 * Pure: the caller passes the rules, the task set and the date; nothing is allocated except
 * the quota's temporary ranking. */
#include "class.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_keys[CK_COUNT] = { "commune", "grassroots", "cell", "member", "leader" };
static const char *const kind_vi[CK_COUNT] = { "tập thể cấp xã", "tổ chức cơ sở đảng", "chi bộ", "đảng viên",
                                               "lãnh đạo" };
static const char *const kind_en[CK_COUNT] = { "commune collective", "grassroots organisation", "cell",
                                               "member", "leader" };
static const char *const grade_keys[CG_COUNT] = { "fail", "done", "good", "excellent" };
static const char *const grade_vi[CG_COUNT] = { "Không hoàn thành nhiệm vụ", "Hoàn thành nhiệm vụ",
                                                "Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ" };
static const char *const grade_en[CG_COUNT] = { "Did not complete tasks", "Completed tasks",
                                                "Completed tasks well", "Completed tasks excellently" };
/* Other spellings a file may use for each grade. */
static const char *const grade_alias[CG_COUNT][3] = {
    { "không hoàn thành", "khong_hoan_thanh", "khht" },
    { "hoàn thành", "hoan_thanh", "ht" },
    { "tốt", "tot", "htt" },
    { "xuất sắc", "xuat_sac", "htxs" },
};

int class_kind_parse(const char *s)
{
    for (int k = 0; k < CK_COUNT; k++)
        if (strcmp(s, kind_keys[k]) == 0 || strcmp(s, kind_vi[k]) == 0)
            return k;
    return -1;
}

const char *class_kind_key(int kind)
{
    return kind >= 0 && kind < CK_COUNT ? kind_keys[kind] : "";
}

const char *class_kind_name(int kind)
{
    return kind >= 0 && kind < CK_COUNT ? tr(kind_vi[kind], kind_en[kind]) : "";
}

int class_kind_collective(int kind)
{
    return kind == CK_COMMUNE || kind == CK_GRASSROOTS || kind == CK_CELL;
}

int class_grade_parse(const char *s)
{
    for (int g = 0; g < CG_COUNT; g++) {
        if (strcmp(s, grade_keys[g]) == 0 || strcmp(s, grade_vi[g]) == 0)
            return g;
        for (int a = 0; a < 3; a++)
            if (strcmp(s, grade_alias[g][a]) == 0)
                return g;
    }
    return -1;
}

const char *class_grade_key(int grade)
{
    return grade >= 0 && grade < CG_COUNT ? grade_keys[grade] : "";
}

const char *class_grade_name(int grade)
{
    return grade >= 0 && grade < CG_COUNT ? tr(grade_vi[grade], grade_en[grade]) : "";
}

static const char *const form_keys[CA_COUNT] = { "title", "merit", "certificate", "badge", "other" };
static const char *const form_vi[CA_COUNT] = { "danh hiệu", "bằng khen", "giấy khen", "huy hiệu", "khác" };
static const char *const form_en[CA_COUNT] = { "emulation title", "certificate of merit", "certificate of commendation",
                                               "Party badge", "other" };

int class_award_form_parse(const char *s)
{
    for (int f = 0; f < CA_COUNT; f++)
        if (strcmp(s, form_keys[f]) == 0 || strcmp(s, form_vi[f]) == 0)
            return f;
    return -1;
}

const char *class_award_form_key(int form)
{
    return form >= 0 && form < CA_COUNT ? form_keys[form] : "";
}

const char *class_award_form_name(int form)
{
    return form >= 0 && form < CA_COUNT ? tr(form_vi[form], form_en[form]) : "";
}

int class_score_parse(const char *s, int *cp, err_t *e)
{
    const char *p = s;
    while (*p == ' ')
        p++;
    int whole = 0, frac = 0, nint = 0, nfrac = 0;
    for (; *p >= '0' && *p <= '9' && nint < 4; p++, nint++)
        whole = whole * 10 + (*p - '0');
    if (nint > 0 && (*p == ',' || *p == '.')) {
        for (p++; *p >= '0' && *p <= '9' && nfrac < 3; p++, nfrac++)
            frac = frac * 10 + (*p - '0');
        if (nfrac == 0)
            nfrac = 3;               /* "90," is not a score */
    }
    while (*p == ' ')
        p++;
    if (nint == 0 || *p != '\0' || nfrac > 2)
        return err_set(e, tr("điểm '%s' không hợp lệ: cần số từ 0 đến 100, tối đa hai chữ số thập phân (89,99)",
                             "bad score '%s': expected 0 to 100 with at most two decimals (89.99)"), s);
    if (nfrac == 1)
        frac *= 10;
    int v = whole * 100 + frac;
    if (v > CLASS_SCORE_MAX)
        return err_set(e, tr("điểm '%s' vượt quá 100", "score '%s' is over 100"), s);
    *cp = v;
    return 0;
}

void class_score_text(int cp, int lang, char *out, size_t len)
{
    if (cp % 100 == 0)
        snprintf(out, len, "%d", cp / 100);
    else if (cp % 10 == 0)
        snprintf(out, len, "%d%c%d", cp / 100, lang == LANG_EN ? '.' : ',', cp % 100 / 10);
    else
        snprintf(out, len, "%d%c%02d", cp / 100, lang == LANG_EN ? '.' : ',', cp % 100);
}

void class_rules_default(class_rules *r, int year, int kind)
{
    memset(r, 0, sizeof *r);
    r->year = year;
    r->kind = kind;
    r->band_cp[CG_EXCELLENT] = 9000;
    r->band_cp[CG_GOOD] = 7000;
    r->band_cp[CG_DONE] = 5000;
    r->band_cp[CG_FAIL] = 0;
    r->xs_on_time_pct = 100;
    r->xs_exceeded_pct = 30;
    r->good_on_time_pct = 100;
    r->done_behind_max_pct = 20;
    r->quota_pct = 20;
    r->quota_outstanding_pct = 25;
}

static int pct_parse(const char *value, int *out, err_t *e)
{
    char *end;
    long v = strtol(value, &end, 10);
    if (*value == '\0' || *end != '\0' || v < 0 || v > 100)
        return err_set(e, tr("giá trị '%s': cần số phần trăm nguyên từ 0 đến 100",
                             "value '%s': expected a whole percentage from 0 to 100"), value);
    *out = (int)v;
    return 0;
}

static int copy_text(char *dst, size_t len, const char *src, const char *what, err_t *e)
{
    size_t n = strlen(src);
    if (n == 0 || n >= len)
        return err_set(e, tr("%s: cần từ 1 đến %zu byte", "%s: expected 1 to %zu bytes"), what, len - 1);
    memcpy(dst, src, n + 1);
    return 0;
}

static int set_item(class_rules *r, const char *code, const char *name, const char *value, err_t *e)
{
    int cp;
    if (r->nitems >= CLASS_ITEMS_MAX)
        return err_set(e, tr("quá %d tiêu chí trong một bộ", "more than %d items in a sheet"), CLASS_ITEMS_MAX);
    for (int i = 0; i < r->nitems; i++)
        if (strcmp(r->items[i].code, code) == 0)
            return err_set(e, tr("tiêu chí '%s' lặp lại", "item '%s' given twice"), code);
    if (class_score_parse(value, &cp, e) != 0)
        return -1;
    class_item *it = &r->items[r->nitems];
    if (copy_text(it->code, sizeof it->code, code, "code", e) != 0 || copy_text(it->name, sizeof it->name, name, "name", e) != 0)
        return -1;
    it->max_cp = cp;
    r->nitems++;
    return 0;
}

static int set_fault(class_rules *r, const char *code, const char *name, const char *value, err_t *e)
{
    if (r->nfaults >= CLASS_FAULTS_MAX)
        return err_set(e, tr("quá %d lỗi trong một bộ", "more than %d faults in a sheet"), CLASS_FAULTS_MAX);
    for (int i = 0; i < r->nfaults; i++)
        if (strcmp(r->faults[i].code, code) == 0)
            return err_set(e, tr("lỗi '%s' lặp lại", "fault '%s' given twice"), code);
    if (strchr(code, ';'))
        return err_set(e, tr("mã lỗi '%s' không được chứa ';'", "fault code '%s' may not hold ';'"), code);
    int g = class_grade_parse(value);
    if (g < 0 || g == CG_EXCELLENT)
        return err_set(e, tr("lỗi '%s': giá trị '%s' phải là mức bị hạ xuống: good, done hoặc fail",
                             "fault '%s': value '%s' must be the grade it caps to: good, done or fail"), code, value);
    class_fault *f = &r->faults[r->nfaults];
    if (copy_text(f->code, sizeof f->code, code, "code", e) != 0 || copy_text(f->name, sizeof f->name, name, "name", e) != 0)
        return -1;
    f->cap = g;
    r->nfaults++;
    return 0;
}

int class_rules_set(class_rules *r, const char *type, const char *code, const char *name,
                    const char *value, err_t *e)
{
    if (strcmp(type, "item") == 0)
        return set_item(r, code, name, value, e);
    if (strcmp(type, "fault") == 0)
        return set_fault(r, code, name, value, e);
    if (strcmp(type, "band") == 0) {
        int g = class_grade_parse(code), cp;
        if (g <= CG_FAIL)
            return err_set(e, tr("mức '%s': cần excellent, good hoặc done", "band '%s': expected excellent, good or done"), code);
        if (class_score_parse(value, &cp, e) != 0)
            return -1;
        r->band_cp[g] = cp;
        return 0;
    }
    if (strcmp(type, "condition") == 0) {
        int *dst = strcmp(code, "excellent_on_time") == 0   ? &r->xs_on_time_pct
                   : strcmp(code, "excellent_exceeded") == 0 ? &r->xs_exceeded_pct
                   : strcmp(code, "good_on_time") == 0       ? &r->good_on_time_pct
                   : strcmp(code, "done_behind_max") == 0    ? &r->done_behind_max_pct
                                                             : NULL;
        if (dst == NULL)
            return err_set(e, tr("điều kiện '%s': cần excellent_on_time, excellent_exceeded, good_on_time hoặc done_behind_max",
                                 "condition '%s': expected excellent_on_time, excellent_exceeded, good_on_time or done_behind_max"), code);
        return pct_parse(value, dst, e);
    }
    if (strcmp(type, "quota") == 0) {
        if (strcmp(code, "base") == 0) {
            if (strcmp(value, "good_and_above") != 0 && strcmp(value, "good_only") != 0)
                return err_set(e, tr("quota base: cần good_and_above hoặc good_only", "quota base: expected good_and_above or good_only"));
            r->quota_base_good_only = strcmp(value, "good_only") == 0;
            return 0;
        }
        int *dst = strcmp(code, "normal") == 0 ? &r->quota_pct : strcmp(code, "outstanding") == 0 ? &r->quota_outstanding_pct : NULL;
        if (dst == NULL)
            return err_set(e, tr("hạn mức '%s': cần normal, outstanding hoặc base", "quota '%s': expected normal, outstanding or base"), code);
        return pct_parse(value, dst, e);
    }
    if (strcmp(type, "decide") == 0) {
        if (strcmp(code, "levels_above") != 0)
            return err_set(e, tr("quyết định '%s': cần levels_above", "decide '%s': expected levels_above"), code);
        if (value[0] < '0' || value[0] > '5' || value[1] != '\0')
            return err_set(e, tr("decide levels_above: '%s' phải là số cấp từ 0 đến 5",
                                 "decide levels_above: '%s' must be a number of levels from 0 to 5"), value);
        r->decide_levels_above = value[0] - '0';
        return 0;
    }
    return err_set(e, tr("loại dòng '%s': cần item, band, condition, quota, fault hoặc decide",
                         "row type '%s': expected item, band, condition, quota, fault or decide"), type);
}

int class_rules_check(const class_rules *r, err_t *e)
{
    if (!(r->band_cp[CG_EXCELLENT] > r->band_cp[CG_GOOD] && r->band_cp[CG_GOOD] > r->band_cp[CG_DONE] && r->band_cp[CG_DONE] > 0))
        return err_set(e, tr("%d, %s: các mức điểm phải giảm dần: excellent > good > done > 0",
                             "%d, %s: bands must descend: excellent > good > done > 0"), r->year, class_kind_key(r->kind));
    if (r->nitems == 0)
        return 0;
    int sum = 0;
    for (int i = 0; i < r->nitems; i++)
        sum += r->items[i].max_cp;
    if (sum != CLASS_SCORE_MAX) {
        char t[16];
        class_score_text(sum, lang_get(), t, sizeof t);
        return err_set(e, tr("%d, %s: tổng điểm tối đa các tiêu chí là %s, phải là 100",
                             "%d, %s: the items' maximum points add up to %s, not 100"), r->year, class_kind_key(r->kind), t);
    }
    return 0;
}

int class_band(const class_rules *r, int score_cp)
{
    for (int g = CG_EXCELLENT; g > CG_FAIL; g--)
        if (score_cp >= r->band_cp[g])
            return g;
    return CG_FAIL;
}

/* part is at least pct % of total, exactly. */
static int at_least(int part, int total, int pct)
{
    return (long long)part * 100 >= (long long)total * pct;
}

int class_condition_cap(const class_rules *r, const class_task_stats *st)
{
    if (st->total == 0)
        return CG_EXCELLENT;
    if (at_least(st->on_time, st->total, r->xs_on_time_pct) && at_least(st->exceeded, st->total, r->xs_exceeded_pct))
        return CG_EXCELLENT;
    if (at_least(st->on_time, st->total, r->good_on_time_pct))
        return CG_GOOD;
    if (st->undone == 0 && (long long)st->late * 100 <= (long long)st->total * r->done_behind_max_pct)
        return CG_DONE;
    return CG_FAIL;
}

int class_fault_cap(const class_rules *r, const char *codes, int *cap, err_t *e)
{
    int c = CG_EXCELLENT;
    const char *p = codes;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n && p[0] == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (n > 0) {
            int found = -1;
            for (int i = 0; i < r->nfaults && found < 0; i++)
                if (strlen(r->faults[i].code) == n && memcmp(r->faults[i].code, p, n) == 0)
                    found = i;
            if (found < 0)
                return err_set(e, tr("không có lỗi '%.*s' trong bộ tiêu chí %d, %s", "no fault '%.*s' in the %d %s sheet"),
                               (int)n, p, r->year, class_kind_key(r->kind));
            if (r->faults[found].cap < c)
                c = r->faults[found].cap;
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    *cap = c;
    return 0;
}

int class_grade_allowed(const class_rules *r, int score_cp, const class_task_stats *st, int fault_cap)
{
    int g = class_band(r, score_cp);
    if (st) {
        int c = class_condition_cap(r, st);
        if (c < g)
            g = c;
    }
    return fault_cap < g ? fault_cap : g;
}

void class_tasks_count(const task_set *ts, const char *unit_code, int year, int asof, class_task_stats *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < ts->n; i++) {
        const task_t *t = &ts->items[i];
        if ((t->kind != TK_TASK && t->kind != TK_SUBTASK) || t->paused || strcmp(t->lead_unit, unit_code) != 0)
            continue;
        int due = task_due_date(t, asof);
        if (due == 0 || due / 10000 != year || due > asof)
            continue;
        int st = task_status(t, asof);
        out->total++;
        if (st == TS_DONE_ON_TIME)
            out->on_time++;
        else if (st == TS_DONE_LATE)
            out->late++;
        else
            out->undone++;
        if (task_is_done(st) && t->exceeded)
            out->exceeded++;
    }
}

int class_quota_limit(int base, int pct)
{
    if (base <= 0 || pct <= 0)
        return 0;
    return (int)((long long)base * pct / 100);
}

/* Orders entries by group, then rank: higher score first, then code. */
static int by_group_rank(const void *pa, const void *pb)
{
    const class_quota_entry *a = *(class_quota_entry *const *)pa, *b = *(class_quota_entry *const *)pb;
    int c = strcmp(a->group, b->group);
    if (c != 0)
        return c;
    if (a->score_cp != b->score_cp)
        return a->score_cp > b->score_cp ? -1 : 1;
    return strcmp(a->code, b->code);
}

int class_quota_mark(class_quota_entry *e, int n)
{
    if (n <= 0)
        return 0;
    class_quota_entry **ord = malloc((size_t)n * sizeof *ord);
    if (ord == NULL)
        return -1;
    for (int i = 0; i < n; i++) {
        e[i].over = 0;
        ord[i] = &e[i];
    }
    qsort(ord, (size_t)n, sizeof *ord, by_group_rank);
    int over = 0;
    for (int start = 0, end; start < n; start = end) {
        int base = 0;
        for (end = start; end < n && strcmp(ord[end]->group, ord[start]->group) == 0; end++)
            if (ord[start]->base_good_only ? ord[end]->grade == CG_GOOD : ord[end]->grade >= CG_GOOD)
                base++;
        int limit = class_quota_limit(base, ord[start]->pct), seen = 0;
        for (int k = start; k < end; k++) {
            if (ord[k]->grade != CG_EXCELLENT)
                continue;
            if (++seen > limit) {
                ord[k]->over = 1;
                over++;
            }
        }
    }
    free(ord);
    return over;
}
