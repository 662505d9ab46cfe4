/* eval_term.c - term-to-date (eval.h): a term's figures so far against its targets, the share
 * of its time gone and the mid-term review's tally.  Pure: reads the model, allocates only
 * the result the caller frees with eval_ttd_free. */
#include "eval.h"

#include <stdlib.h>
#include <string.h>

/* 1 if the unit has a figure in year y of an indicator it has a target for over the term. */
static int year_has_figures(const model *m, int unit, period_t term, int y)
{
    period_t yp = { P_YEAR, 0, (uint16_t)y, (uint16_t)y };
    for (size_t i = 0; i < m->ninds; i++) {
        double v;
        cell_t tmp;
        if (model_target(m, (int)i, unit, term, &tmp) && eval_figure(m, (int)i, unit, yp, &v) == FIG_OK)
            return 1;
    }
    return 0;
}

/* Re-judges a total over the term on progress; returns 1 when the row is judged so. */
static int judge_progress(const model *m, eval_row *r, double share)
{
    const ind_t *d = &m->inds[r->ind];
    if (d->pagg != AGG_SUM || !r->has_target || !r->has_pct || r->partial ||
        (d->dir != DIR_UP && d->dir != DIR_DOWN))
        return 0;
    double due = share * 100;
    int ok = d->dir == DIR_UP ? r->pct >= due - 1e-9 : r->pct <= due + 1e-9;
    r->status = ok ? ST_MET : ST_NOTMET;
    return 1;
}

static void tally(eval_tally *t, int status)
{
    if (status == ST_NOTARGET)
        return;
    t->total++;
    if (status == ST_MET)
        t->met++;
    else if (status == ST_EXCEEDED)
        t->exceeded++;
    else if (status == ST_NOTMET)
        t->notmet++;
    else
        t->nodata++;
}

int eval_term_to_date(const model *m, int unit, period_t term, int today, int structure, eval_ttd *out,
                      err_t *e)
{
    memset(out, 0, sizeof *out);
    out->term = term;
    if (term.kind != P_RANGE || unit < 0 || (size_t)unit >= m->nunits)
        return 0;
    int ty = today / 10000;
    out->running = period_start(term) <= today && today <= period_end(term);
    out->elapsed = period_elapsed(term, today);
    out->years = term.y2 - term.y + 1;
    for (int y = ty < term.y2 ? ty : term.y2; y >= term.y && !out->last_year; y--)
        if (year_has_figures(m, unit, term, y))
            out->last_year = y;
    out->years_done = out->last_year ? out->last_year - term.y + 1 : 0;
    out->years_share = (double)out->years_done / out->years;
    if (term.y2 - term.y >= 4) {
        out->mid = (period_t){ P_RANGE, 0, term.y, (uint16_t)(term.y + 2) };
        eval_result mr;
        if (eval_unit_on(m, unit, out->mid, structure, &mr, e) != 0)
            return -1;
        out->mid_t = mr.all;
        eval_result_free(&mr);
    }
    if (out->years_done < 2)
        return 0;
    out->sofar = (period_t){ P_RANGE, 0, term.y, (uint16_t)out->last_year };
    if (eval_unit_on(m, unit, out->sofar, structure, &out->r, e) != 0)
        return -1;
    out->progress = calloc((size_t)out->r.nrows + 1, 1);
    if (out->progress == NULL) {
        eval_ttd_free(out);
        return err_set(e, "out of memory");
    }
    for (int k = 0; k < out->r.nrows; k++) {
        eval_row *r = &out->r.rows[k];
        out->progress[k] = (unsigned char)(out->years_done < out->years && judge_progress(m, r, out->years_share));
        if (m->inds[r->ind].parent < 0)
            tally(&out->t, r->status);
    }
    return 0;
}

void eval_ttd_free(eval_ttd *t)
{
    eval_result_free(&t->r);
    free(t->progress);
    t->progress = NULL;
}
