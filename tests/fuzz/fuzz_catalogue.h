/* fuzz_catalogue.h - the small fixed catalogue the engine's harnesses share (fuzz_engine_csv.c,
 * fuzz_engine_image.c): a root, two districts, three wards; a summed, an averaged and a formula
 * indicator.  fuzz_catalogue returns a new finished model the caller frees; it aborts on failure. */
#ifndef CHITIEU_FUZZ_CATALOGUE_H
#define CHITIEU_FUZZ_CATALOGUE_H

#include <stdlib.h>

#include "model.h"

static model *fuzz_catalogue(void)
{
    model *m = model_new();
    if (m == NULL)
        abort();
    static const char *const units[][2] = { { "hn", "" }, { "cg", "hn" }, { "bd", "hn" },
                                            { "w1", "cg" }, { "w2", "cg" }, { "w3", "bd" } };
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        model_put_unit(m, units[k][0], units[k][0], units[k][1], "", 0, 0);
    static const char *const inds[][2] = { { "a", "" }, { "b", "" }, { "r", "a / b * 100" } };
    for (size_t k = 0; k < 3; k++) {
        ind_t d = { 0 };
        d.code = (char *)inds[k][0], d.name = d.code, d.group = "g", d.set = "", d.measure = "";
        d.parent_code = "", d.formula_src = (char *)inds[k][1];
        d.uagg = k == 1 ? AGG_AVG : AGG_SUM, d.pagg = k == 1 ? AGG_LAST : AGG_SUM, d.decimals = (int)k;
        model_put_ind(m, &d);
    }
    err_t e;
    if (model_finish(m, &e) != 0)
        abort();
    return m;
}

#endif
