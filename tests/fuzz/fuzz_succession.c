/* fuzz_succession.c - libFuzzer harness for the import of succession files (src/import.c's
 * from,to,date[,share] rows and the whole-set checks) and the evaluation that reads them.
 *
 * Data flow: a fixed units file (a city, a district and three wards ending 30/6/2025, two wards
 * from 1/7/2025) and the input as a second file go through import_run, dry run, into an
 * in-memory database opened once.  The contract: 0 or -1; on -1 at least one error line; on 0 every succession the model holds is sound (known units, `from` ended before the
 * date, `to` valid on it, 0 < share <= 1, the shares of one `from` on one date summing to 1)
 * and evaluating a new ward on today's structure terminates.  Memory: the model belongs to
 * one call; the store lives for the process (opened on the first call).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "import.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char units_csv[] =
    "code,name,parent,type,valid_from,valid_to\n"
    "tp,TP,,Thành ủy,,\n"
    "h,H,tp,Huyện ủy,,2025-06-30\n"
    "a,A,h,Xã,,2025-06-30\n"
    "b,B,h,Xã,,2025-06-30\n"
    "c,C,h,Xã,2020-01-01,2025-06-30\n"
    "x,X,tp,Xã,2025-07-01,\n"
    "y,Y,tp,Xã,2025-07-01,\n";

static store *the_store(void)
{
    static store *s;
    err_t e;
    if (s == NULL && store_open(":memory:", 1, &s, &e) != 0)
        abort();
    return s;
}

static void check_sound(const model *m)
{
    for (size_t i = 0; i < m->nsuccs; i++) {
        const succ_t *x = &m->succs[i];
        if (x->from < 0 || (size_t)x->from >= m->nunits || x->to < 0 || (size_t)x->to >= m->nunits)
            abort();
        const unit_t *f = &m->units[x->from], *t = &m->units[x->to];
        if (f->valid_to == 0 || f->valid_to >= x->date || t->valid_from > x->date ||
            (t->valid_to && t->valid_to < x->date) || !(x->share > 0) || x->share > 1)
            abort();
        double sum = 0;
        for (size_t k = 0; k < m->nsuccs; k++)
            if (m->succs[k].from == x->from && m->succs[k].date == x->date)
                sum += m->succs[k].share;
        if (fabs(sum - 1) > 1e-6)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    store *s = the_store();
    model *m = model_new();
    buf errors = BUF_INIT;
    import_stats st;
    err_t e;
    if (m == NULL || store_load(s, m, &e) != 0)
        abort();
    import_source src[2] = { { "u.csv", units_csv, sizeof units_csv - 1 }, { "s.csv", (const char *)data, size } };
    import_opts o = { .dry_run = 1, .who = "fuzz" };
    int rc = import_run(s, m, src, 2, &o, &st, &errors, &e);
    if (rc != 0 && (rc != -1 || errors.len == 0))
        abort();
    if (rc == 0 && m->finished) {
        check_sound(m);
        double v;
        int conv;
        for (size_t i = 0; i < m->ninds; i++)
            eval_actual_on(m, (int)i, model_unit_find(m, "x"), (period_t){ P_YEAR, 0, 2025, 2025 }, EVAL_CURRENT,
                           &v, &conv);
    }
    buf_free(&errors);
    model_free(m);
    return 0;
}
