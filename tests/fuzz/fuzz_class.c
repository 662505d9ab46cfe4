/* fuzz_class.c - libFuzzer harness for the classification parsers (src/class.c, src/class_round.c):
 * scores, criteria, subjects and awards files.
 *
 * Data flow: the bytes as a NUL-terminated score must parse to 0..100 points whose text parses
 * back to the same centipoints, or be refused; the bytes as a criteria file and as a subjects
 * file (against a two-unit model) must be accepted with consistent counts or refused with a message.
 * Memory: one copy per call and the model, freed before it returns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "class_round.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    err_t e;
    int cp, back, nsheets, nrows, n;
    if (class_score_parse(s, &cp, &e) == 0) {
        char t[16];
        if (cp < 0 || cp > CLASS_SCORE_MAX)
            abort();
        class_score_text(cp, LANG_VI, t, sizeof t);
        if (class_score_parse(t, &back, &e) != 0 || back != cp)
            abort();
    }
    e.msg[0] = '\0';
    if (class_criteria_check("f.csv", s, size, &nsheets, &nrows, &e) == 0) {
        if (nsheets < 0 || nrows < nsheets)
            abort();
    } else if (e.msg[0] == '\0')
        abort();
    e.msg[0] = '\0';
    if (class_awards_check("a.csv", s, size, &n, &e) == 0 ? n < 0 : e.msg[0] == '\0')
        abort();
    model *m = model_new();
    if (m && model_put_unit(m, "u", "U", "", "", 0, 0) >= 0 && model_put_unit(m, "w", "W", "u", "", 0, 0) >= 0 &&
        model_finish(m, &e) == 0) {
        e.msg[0] = '\0';
        if (class_subjects_check(m, "s.csv", s, size, &n, &e) != 0 && e.msg[0] == '\0')
            abort();
    }
    model_free(m);
    free(s);
    return 0;
}
