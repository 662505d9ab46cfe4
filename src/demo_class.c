/* demo_class.c - the demo's classification round (see demo_class.h).
 *
 * Data flow: the embedded class_*.csv files -> the class importers (criteria, subjects, awards;
 * each its own transaction) -> one class_step per step and subject from the table below, as the
 * demo users would take them on /class (the same rights, rules and quota checks), each step in its
 * own transaction with its audit entry.  The good grades are decided before the excellent one, as
 * docs/classification.md advises, so the quota is met.  The district itself (cau-giay) is left
 * without a step: its own tasks of the year (none on time) cap it at "không hoàn thành", which the
 * page shows beside the empty row for the user to take up.  Nothing here is kept after returning. */
#include "demo_class.h"

#include <string.h>

#include "class_round.h"
#include "store_task.h"

/* One subject's round: who assesses, who appraises and decides, the score and grade. */
typedef struct demo_step {
    const char *subject, *editor, *approver;
    int score_cp, grade;
} demo_step;

static const demo_step round_steps[] = {
    { "cau-giay-dich-vong-hau", "caugiay.nhap", "caugiay.duyet", 8600, CG_GOOD },
    { "cau-giay-mai-dich", "caugiay.nhap", "caugiay.duyet", 8250, CG_GOOD },
    { "cau-giay-nghia-do", "caugiay.nhap", "caugiay.duyet", 8800, CG_GOOD },
    { "cau-giay-nghia-tan", "caugiay.nhap", "caugiay.duyet", 7900, CG_GOOD },
    { "cau-giay-yen-hoa", "caugiay.nhap", "caugiay.duyet", 8900, CG_GOOD },
    { "cau-giay-quan-hoa", "caugiay.nhap", "caugiay.duyet", 6800, CG_DONE },
    { "cau-giay-trung-hoa", "caugiay.nhap", "caugiay.duyet", 6550, CG_DONE },
    { "cau-giay-dich-vong", "caugiay.nhap", "caugiay.duyet", 9300, CG_EXCELLENT },
    { "dv-cb1", "caugiay.nhap", "caugiay.duyet", 8200, CG_GOOD },
    { "dv-001", "caugiay.nhap", "caugiay.duyet", 8500, CG_GOOD },
    { "dv-002", "caugiay.nhap", "caugiay.duyet", 7600, CG_GOOD },
    { "dv-003", "caugiay.nhap", "caugiay.duyet", 8800, CG_GOOD },
    { "bd-001", "badinh.nhap", "tp.duyet", 6800, CG_DONE },
};

int demo_class_file(const char *name)
{
    return strncmp(name, "class_", 6) == 0;
}

static const struct embedded_file *embedded(const char *name)
{
    for (int i = 0; embedded_files[i].name; i++)
        if (strcmp(embedded_files[i].name, name) == 0)
            return &embedded_files[i];
    return NULL;
}

static int import_files(store *s, const model *m, err_t *e)
{
    const struct embedded_file *crit = embedded("class_criteria.csv"), *subs = embedded("class_subjects.csv"),
                               *aw = embedded("class_awards.csv");
    int n1, n2;
    if (crit == NULL || subs == NULL || aw == NULL)
        return err_set(e, "the demo's class_*.csv files are missing from the binary");
    if (class_import_criteria(s, crit->name, crit->data, crit->len, 0, &n1, &n2, e) != 0 ||
        class_import_subjects(s, m, subs->name, subs->data, subs->len, 0, &n1, e) != 0 ||
        class_import_awards(s, aw->name, aw->data, aw->len, 0, &n1, e) != 0)
        return -1;
    return 0;
}

/* Takes one step for d as login. */
static int take(store *s, const model *m, const task_set *ts, const demo_step *d, int step, const char *login, err_t *e)
{
    class_actor a;
    class_result out;
    class_check chk;
    class_step_in in = { .step = step, .year = DEMO_CLASS_YEAR, .subject = d->subject, .score_cp = d->score_cp,
                         .grade = d->grade, .faults = "", .comment = "", .asof = DEMO_CLASS_YEAR * 10000 + 1231 };
    if (class_actor_get(s, m, login, &a, e) != 0)
        return -1;
    if (class_step(s, m, ts, &a, &in, &out, &chk, e) != 0) {
        err_t why = *e;
        return err_set(e, "demo round, %s: %s", d->subject, why.msg);
    }
    return 0;
}

int demo_class_round(store *s, const model *m, err_t *e)
{
    task_set ts = { 0 };
    int rc = -1;
    if (import_files(s, m, e) != 0 || store_task_load(s, &ts, e) != 0)
        goto cleanup;
    for (size_t i = 0; i < sizeof round_steps / sizeof round_steps[0]; i++) {
        const demo_step *d = &round_steps[i];
        if (take(s, m, &ts, d, CS_ASSESSED, d->editor, e) != 0 || take(s, m, &ts, d, CS_APPRAISED, d->approver, e) != 0 ||
            take(s, m, &ts, d, CS_DECIDED, d->approver, e) != 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    task_set_free(&ts);
    return rc;
}
