/* eval_need.c - which units' figures one unit's evaluation, report or export reads, so the
 * command line can load those cells alone instead of the whole database (eval.h).
 *
 * Data flow: model (catalogue only) in, a caller-owned flag array by unit index out.  What one
 * unit's table reads: its own figures and targets; its parent's figure ("cấp trên") and its
 * siblings' (ranks), each rolled up from its whole subtree; its children's (the report's
 * ranking of the units below, inside its own subtree); and, across reorganisations, the figures
 * of predecessors (and successors) converted through successions, again with their subtrees.
 * So the set is the subtree of its parent (of the unit itself for a root), closed under
 * successions in both directions with the subtree of each unit so added.  Every period of those
 * units is read (the previous year for "cùng kỳ", the sub-periods a year sums, a term's targets).
 */
#include <string.h>

#include "eval.h"

/* Flags u and every unit below it; returns how many were newly flagged. */
static size_t mark_subtree(const model *m, int u, unsigned char *want)
{
    size_t n = 0;
    int stop = m->units[u].parent;
    int x = u;
    while (x >= 0) {                  /* pre-order walk, no recursion or stack */
        if (!want[x]) {
            want[x] = 1;
            n++;
        }
        if (m->units[x].first_child >= 0) {
            x = m->units[x].first_child;
            continue;
        }
        while (x != u && m->units[x].next_sibling < 0)
            x = m->units[x].parent;
        if (x == u || x == stop)
            break;
        x = m->units[x].next_sibling;
    }
    return n;
}

size_t eval_units_needed(const model *m, int unit, unsigned char *want)
{
    memset(want, 0, m->nunits);
    int base = m->units[unit].parent >= 0 ? m->units[unit].parent : unit;
    size_t n = mark_subtree(m, base, want);
    for (int grew = 1; grew;) {
        grew = 0;
        for (size_t i = 0; i < m->nsuccs; i++) {
            int from = m->succs[i].from, to = m->succs[i].to;
            if (want[from] == want[to])
                continue;
            size_t k = mark_subtree(m, want[from] ? to : from, want);
            n += k;
            grew |= k > 0;
        }
    }
    return n;
}
