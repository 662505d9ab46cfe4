/* report_store.c - the whole review report: report_build_on() evaluates the figures from the model,
 * then the tasks (store_task_load, report_add_tasks) and the awards register
 * (report_add_awards_store) are read from the store and added as their sections.  The document is
 * the caller's; on failure nothing is returned. */
#include "report_store.h"

#include "report.h"
#include "report_awards.h"
#include "store_task.h"
#include "task.h"

int report_build_store(store *s, const model *m, int unit, period_t p, int structure, int today, json_t **out,
                       err_t *e)
{
    json_t *doc = NULL;
    task_set ts = { 0 };
    int rc = -1;
    *out = NULL;
    if (report_build_on(m, unit, p, structure, &doc, e) != 0)
        goto cleanup;
    if (store_task_load(s, &ts, e) != 0 || report_add_tasks(doc, m, &ts, unit, p, today, e) != 0)
        goto cleanup;
    if (report_add_awards_store(doc, s, m, unit, p, e) != 0)
        goto cleanup;
    *out = doc;
    doc = NULL;
    rc = 0;
cleanup:
    task_set_free(&ts);
    json_decref(doc);
    return rc;
}
