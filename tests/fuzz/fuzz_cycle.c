/* fuzz_cycle.c - libFuzzer harness for the reporting cycle's setting texts and write times
 * (src/cycle.c): a deadline, cut-off or list of kinds that is accepted must format back and
 * give dates that exist; a write time is a real date or 0.  Nothing is allocated. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cycle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_ymd(int d)
{
    int m = d / 100 % 100, day = d % 100;
    return m >= 1 && m <= 12 && day >= 1 && day <= 31 && cycle_add_days(cycle_add_days(d, 1), -1) == d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64], back[16];
    if (size >= sizeof text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cycle_rules r;
    cycle_rules_default(&r);
    cycle_due d;
    if (cycle_due_parse(text, &d) == 0) {
        cycle_due_format(d, back, sizeof back);
        cycle_due again;
        if (cycle_due_parse(back, &again) != 0 || again.day != d.day || again.months != d.months)
            abort();
        r.due[P_HALF] = d;
        period_t p = { .kind = P_HALF, .n = 2, .y = 2200, .y2 = 2200 };
        if (!valid_ymd(cycle_deadline(&r, p)))
            abort();
    }
    int day;
    if (cycle_cutoff_parse(text, &day) == 0) {
        if (day != 0 && (day < 2 || day > 28))
            abort();
        r.cutoff_day = day;
        period_t p = { .kind = P_MONTH, .n = 1, .y = 1900, .y2 = 1900 };
        int from, to;
        cycle_window(&r, p, &from, &to);
        if (!valid_ymd(from) || !valid_ymd(to) || from > to)
            abort();
    }
    unsigned mask;
    if (cycle_kinds_parse(text, &mask) == 0 && (mask == 0 || mask >= 1u << CYCLE_KINDS || (mask & 1u)))
        abort();
    int local = cycle_local_date(text, 420);
    if (local != 0 && !valid_ymd(local))
        abort();
    return 0;
}
