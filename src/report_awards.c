/* report_awards.c - the review report's section on emulation and awards (report_awards.h).
 *
 * Data flow: the register's awards of the year and the subjects (read by the caller, or by
 * report_add_awards_store) -> those whose subject's unit lies in the report unit's subtree ->
 * sentences as JSON strings in a review part {key "emulation", title, paragraphs, placeholder}
 * inserted first in doc["review"], which every renderer (md, html, docx) lays out and numbers
 * like the other closing parts.  A paragraph with "\n- " lines is a lead and its items. */
#include "report_awards.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "class.h"
#include "class_round.h"
#include "vn.h"

/* The subject of award a when its unit lies in unit's subtree, else NULL. */
static const class_subject *in_scope(const model *m, int unit, const class_award *a, const class_subject *subs, int n)
{
    const class_subject *sub = class_subject_find(subs, n, a->subject);
    int u = sub ? model_unit_find(m, sub->unit) : -1;
    return u >= 0 && auth_in_subtree(m, unit, u) ? sub : NULL;
}

/* "Năm 2025, ... được khen thưởng 4 lượt: 1 danh hiệu, 1 bằng khen, 1 giấy khen, 1 huy hiệu." */
static void counts_sentence(buf *b, const model *m, int unit, int year, const int *by_form, int total)
{
    buf_printf(b, tr("Năm %d, các tập thể và đảng viên thuộc %s được khen thưởng %d lượt",
                     "In %d, organisations and members under %s received %d awards"),
               year, m->units[unit].name, total);
    const char *sep = ": ";
    for (int f = 0; f < CA_COUNT; f++)
        if (by_form[f]) {
            buf_printf(b, "%s%d %s", sep, by_form[f], class_award_form_name(f));
            sep = ", ";
        }
    buf_addc(b, '.');
}

/* One organisation's award: "Đảng bộ phường X: Bằng khen ... (Thành ủy Hà Nội, Số 1024-QĐ/TU ngày 15/1/2026)". */
static void award_item(buf *b, const class_award *a, const class_subject *sub)
{
    buf_printf(b, "%s: %s (%s, %s", sub->name, a->title, a->issuer, a->decision);
    if (a->date) {
        buf_adds(b, tr(" ngày ", " of "));
        vn_format_date(a->date, lang_get(), b);
    }
    buf_addc(b, ')');
}

/* Lead and items as one paragraph ("\n- " lines), ending the last item with a full stop. */
static void list_para(json_t *paras, const char *lead, const buf *items)
{
    buf b = BUF_INIT;
    buf_adds(&b, lead);
    buf_add(&b, buf_str(items), items->len);
    buf_addc(&b, '.');
    json_array_append_new(paras, json_string(buf_str(&b)));
    buf_free(&b);
}

/* The members' awards counted by title, in the order first met. */
static void member_titles(buf *items, const class_award **mine, int n)
{
    for (int i = 0; i < n; i++) {
        int seen = 0, count = 0;
        for (int j = 0; j < n; j++) {
            if (strcmp(mine[j]->title, mine[i]->title) != 0)
                continue;
            seen |= j < i;
            count++;
        }
        if (!seen)
            buf_printf(items, "%s%s: %d", items->len ? ";\n- " : "\n- ", mine[i]->title, count);
    }
}

int report_add_awards(json_t *doc, const model *m, int unit, period_t p, const class_award *aw, int naw,
                      const class_subject *subs, int nsubs)
{
    json_t *review = json_object_get(doc, "review");
    if (p.kind != P_YEAR || !json_is_array(review))
        return 0;
    int by_form[CA_COUNT] = { 0 }, total = 0, nmem = 0;
    const class_award **mine = calloc((size_t)naw + 1, sizeof *mine);
    buf orgs = BUF_INIT, titles = BUF_INIT, b = BUF_INIT;
    if (mine == NULL)
        return -1;
    for (int i = 0; i < naw; i++) {
        const class_subject *sub = aw[i].year == p.y ? in_scope(m, unit, &aw[i], subs, nsubs) : NULL;
        if (sub == NULL)
            continue;
        total++;
        by_form[aw[i].form >= 0 && aw[i].form < CA_COUNT ? aw[i].form : CA_OTHER]++;
        if (class_kind_collective(sub->kind)) {
            buf_adds(&orgs, orgs.len ? ";\n- " : "\n- ");
            award_item(&orgs, &aw[i], sub);
        } else {
            mine[nmem++] = &aw[i];
        }
    }
    if (total > 0) {
        json_t *paras = json_array();
        counts_sentence(&b, m, unit, p.y, by_form, total);
        json_array_append_new(paras, json_string(buf_str(&b)));
        if (orgs.len)
            list_para(paras, tr("Khen thưởng tập thể:", "Awards to organisations:"), &orgs);
        member_titles(&titles, mine, nmem);
        if (titles.len)
            list_para(paras, tr("Khen thưởng đảng viên (theo danh hiệu, hình thức):",
                                "Awards to members (by title):"), &titles);
        json_array_insert_new(review, 0, json_pack("{s:s, s:s, s:o, s:s}", "key", "emulation", "title",
            tr("Công tác thi đua, khen thưởng", "Emulation and awards"), "paragraphs", paras, "placeholder",
            tr("[Bổ sung: kết quả các phong trào thi đua, điển hình tiên tiến.]",
               "[To be written: the emulation movements and the examples they set.]")));
    }
    free(mine);
    buf_free(&orgs);
    buf_free(&titles);
    buf_free(&b);
    return 0;
}

int report_add_awards_store(json_t *doc, store *s, const model *m, int unit, period_t p, err_t *e)
{
    class_award *aw = NULL;
    class_subject *subs = NULL;
    int rc = -1, naw, nsubs;
    if (p.kind != P_YEAR)
        return 0;
    if ((naw = store_class_awards(s, p.y, &aw, e)) < 0 || (nsubs = store_class_subjects(s, &subs, e)) < 0)
        goto cleanup;
    rc = report_add_awards(doc, m, unit, p, aw, naw, subs, nsubs);
    if (rc != 0)
        err_set(e, "out of memory");
cleanup:
    free(aw);
    free(subs);
    return rc;
}
