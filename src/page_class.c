/* page_class.c - /class: the classification round in the browser.  The list shows the subjects
 * of a unit's subtree the user may see (members are personal data: class_may_see), each with its
 * three steps, its own tasks' conditions and the quota; a row carries a form for the step the
 * user may take.  Posting takes the step through class_step (the same checks as the CLI and the
 * API) and redirects back; a refused step shows the list again with the reason.
 * ?format=docx sends the round's Word document (class_docx.h) for the same subtree and reader,
 * written to a private temporary file, read back and removed.
 * Everything read here lives for the request; the model is the app's, read under its lock. */
#include "page_class.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "class_docx.h"
#include "class_round.h"
#include "store_task.h"

static int class_year(web_ctx *c, int *year)
{
    const char *s = web_param(c, "year");
    char *end;
    long y = s && *s ? strtol(s, &end, 10) : web_today(c) / 10000;
    if (s && *s && (*end != '\0' || y < 1990 || y > 2100))
        return web_fail(c, 400, "bad_year", "year", tr("năm không hợp lệ (ví dụ 2025)", "invalid year (e.g. 2025)")), -1;
    *year = (int)y;
    /* No year asked: this year's round, else the latest of the three before it that has results. */
    for (int back = 0; !(s && *s) && back <= 3; back++) {
        class_result *res = NULL;
        int n = store_class_results(c->s, (int)y - back, &res, &c->e);
        free(res);
        if (n < 0)
            return web_fail(c, 500, "store", NULL, c->e.msg), -1;
        if (n > 0) {
            *year = (int)y - back;
            break;
        }
    }
    return 0;
}

static class_actor web_actor(const web_ctx *c)
{
    class_actor a;
    snprintf(a.login, sizeof a.login, "%s", c->user.login);
    a.role = c->role;
    a.unit = c->uunit;
    return a;
}

static void mark_cell(web_ctx *c, const class_mark *mk)
{
    page_printf(c, "<td>");
    if (mk->grade >= 0) {
        char sc[16];
        class_score_text(mk->score_cp, lang_get(), sc, sizeof sc);
        page_printf(c, "<span class=\"grade-%s\">%s</span> · %s", class_grade_key(mk->grade), class_grade_name(mk->grade), sc);
        page_printf(c, "<br><small>");
        page_text(c, mk->by);
        page_printf(c, " ");
        page_time(c, mk->at);
        if (mk->comment[0]) {
            page_printf(c, " — ");
            page_text(c, mk->comment);
        }
        page_printf(c, "</small>");
    }
    page_printf(c, "</td>");
}

/* The step the actor may take next on this subject, or 0: deciding only at the competent level
 * (r's decide_levels_above), so no one is shown a form the post would refuse. */
static int next_step(const model *m, const class_actor *a, const class_subject *sub, const class_rules *r, int step)
{
    if (step == CS_DECIDED)
        return 0;
    if (step == CS_APPRAISED || step == CS_ASSESSED) {
        if (step == CS_APPRAISED && class_may_decide(m, a, sub, r))
            return CS_DECIDED;
        if (class_may_step(m, a, sub, CS_APPRAISED))
            return CS_APPRAISED;
    }
    return step <= CS_ASSESSED && class_may_step(m, a, sub, CS_ASSESSED) ? CS_ASSESSED : 0;
}

static void step_form(web_ctx *c, const class_subject *sub, int year, int unit, int step)
{
    static const char *const keys[] = { "", "assess", "appraise", "decide" };
    page_printf(c, "<form method=\"post\" action=\"/class\" class=\"class-step\" data-subject=\"");
    page_text(c, sub->code);
    page_printf(c, "\">");
    page_csrf(c);
    page_printf(c, "<input type=\"hidden\" name=\"year\" value=\"%d\"><input type=\"hidden\" name=\"unit\" value=\"", year);
    page_text(c, c->m->units[unit].code);
    page_printf(c, "\"><input type=\"hidden\" name=\"subject\" value=\"");
    page_text(c, sub->code);
    page_printf(c, "\"><input type=\"hidden\" name=\"step\" value=\"%s\">"
                   "<label>%s <input name=\"score\" inputmode=\"decimal\" size=\"5\" required></label> "
                   "<label>%s <select name=\"grade\">", keys[step], tr("Điểm", "Score"), tr("Mức", "Grade"));
    for (int g = CG_EXCELLENT; g >= CG_FAIL; g--)
        page_printf(c, "<option value=\"%s\">%s</option>", class_grade_key(g), class_grade_name(g));
    page_printf(c, "</select></label> <label>%s <input name=\"faults\" size=\"6\"></label> "
                   "<label>%s <input name=\"comment\" maxlength=\"500\"></label> <button type=\"submit\">%s</button></form>",
                tr("Lỗi", "Faults"), tr("Ý kiến", "Comment"),
                step == CS_ASSESSED ? tr("Tự đánh giá", "Self-assess") : step == CS_APPRAISED ? tr("Thẩm định", "Appraise")
                                                                                         : tr("Quyết định", "Decide"));
}

static void tasks_cell(web_ctx *c, const task_set *ts, const class_rules *r, const class_subject *sub, int year)
{
    class_check k;
    err_t e;
    int today = web_today(c), asof = today > year * 10000 + 1231 ? year * 10000 + 1231 : today;
    page_printf(c, "<td>");
    if (class_check_subject(c->m, ts, r, sub, CLASS_SCORE_MAX, "", asof, &k, &e) == 0 && k.has_tasks) {
        if (k.tasks.total == 0)
            page_printf(c, "%s", tr("không có nhiệm vụ trong năm", "no task of the year"));
        else
            page_printf(c, "%d/%d %s, %d %s → %s", k.tasks.on_time, k.tasks.total, tr("đúng hạn", "on time"),
                        k.tasks.exceeded, tr("vượt", "exceeded"), class_grade_name(k.cond_cap));
    }
    page_printf(c, "</td>");
}

static void row(web_ctx *c, const class_quota_line *l, const class_result *r, const task_set *ts,
                const class_rules *rules, int year, int unit, const class_actor *a)
{
    static const class_result none = { .self = { -1, -1, "", "", "" }, .appr = { -1, -1, "", "", "" },
                                       .dec = { -1, -1, "", "", "" } };
    if (r == NULL)
        r = &none;
    page_printf(c, "<tr id=\"subject-");
    page_text(c, l->sub.code);
    page_printf(c, "\"><td>");
    page_text(c, l->sub.name);
    page_printf(c, "<br><small>");
    page_text(c, l->sub.code);
    page_printf(c, " · %s</small></td>", class_kind_name(l->sub.kind));
    mark_cell(c, &r->self);
    mark_cell(c, &r->appr);
    mark_cell(c, &r->dec);
    tasks_cell(c, ts, &rules[l->sub.kind], &l->sub, year);
    page_printf(c, "<td>%s</td><td>", l->over ? tr("vượt hạn mức", "over the quota") : "");
    int next = next_step(c->m, a, &l->sub, &rules[l->sub.kind], l->step);
    if (next)
        step_form(c, &l->sub, year, unit, next);
    else if (l->step == CS_DECIDED)
        page_printf(c, "%s", tr("đã khóa", "locked"));
    page_printf(c, "</td></tr>");
}

/* The list page, with msg (escaped) above it when given. */
static int class_view(web_ctx *c, int year, int unit, const char *msg, int ok)
{
    class_quota_line *lines = NULL;
    class_result *res = NULL;
    class_rules *rules = malloc(CK_COUNT * sizeof *rules);
    task_set ts = { 0 };
    class_actor a = web_actor(c);
    int rc = -1, n, nres, hidden = 0;
    if (rules == NULL || store_task_load(c->s, &ts, &c->e) != 0)
        goto cleanup;
    for (int k = 0; k < CK_COUNT; k++)
        if (store_class_rules_get(c->s, year, k, &rules[k], &c->e) < 0)
            goto cleanup;
    if ((n = class_quota_report(c->s, c->m, year, unit, &lines, &c->e)) < 0 ||
        (nres = store_class_results(c->s, year, &res, &c->e)) < 0)
        goto cleanup;
    page_begin(c, tr("Xếp loại chất lượng", "Quality classification"));
    if (msg) {
        page_printf(c, "<div class=\"msg %s\" role=\"alert\" id=\"class-msg\">", ok ? "ok" : "err");
        page_text(c, msg);
        page_printf(c, "</div>");
    }
    page_printf(c, "<h2 id=\"class-title\">%s %d — ", tr("Đánh giá, xếp loại chất lượng năm", "Quality classification"), year);
    page_text(c, c->m->units[unit].name);
    page_printf(c, "</h2><p><a href=\"/class/awards?unit=");
    page_urlarg(c, c->m->units[unit].code);
    page_printf(c, "\">%s</a> · <a id=\"class-docx\" download href=\"/class?format=docx&amp;year=%d&amp;unit=",
                tr("Sổ khen thưởng thi đua", "Emulation awards register"), year);
    page_urlarg(c, c->m->units[unit].code);
    page_printf(c, "\">%s</a></p><div class=\"scroll\"><table class=\"grid\" id=\"class-list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th><span class=\"vh\">%s</span></th></tr></thead><tbody>",
                tr("Báo cáo kết quả, danh sách đề nghị (Word)", "Report and list of proposals (Word)"), tr("Đối tượng", "Subject"),
                tr("Tự đánh giá", "Self-assessment"), tr("Thẩm định", "Appraisal"),
                tr("Quyết định", "Decision"), tr("Nhiệm vụ trong năm", "Tasks of the year"), tr("Hạn mức", "Quota"),
                tr("Thao tác", "Actions"));
    for (int i = 0; i < n; i++) {
        if (!class_may_see(c->m, &a, &lines[i].sub)) {
            hidden++;
            continue;
        }
        row(c, &lines[i], class_result_find(res, nres, lines[i].sub.code), &ts, rules, year, unit, &a);
    }
    page_printf(c, "</tbody></table></div>");
    if (hidden)
        page_printf(c, tr("<p>%d đảng viên không hiện (thông tin cá nhân, ngoài quyền xem của bạn).</p>",
                          "<p>%d members not shown (personal data you may not see).</p>"), hidden);
    page_printf(c, "<p>%s</p>", tr("Mức: ≥ 90 xuất sắc, 70–dưới 90 tốt, 50–dưới 70 hoàn thành, dưới 50 không hoàn thành; "
                                  "xuất sắc không quá 20% số đạt tốt trở lên trong nhóm (làm tròn xuống).",
                                  "Bands: ≥ 90 excellent, 70–<90 good, 50–<70 done, < 50 fail; xuất sắc at most 20% "
                                  "of those graded tốt and above in a group (rounded down)."));
    page_end(c);
    rc = 0;
cleanup:
    free(rules);
    free(lines);
    free(res);
    task_set_free(&ts);
    return rc;
}

/* The round's Word document as the response body (an attachment); 0 or -1 (c->e filled). */
static int class_docx_send(web_ctx *c, int year, int unit)
{
    const char *dir = getenv("TMPDIR");
    buf path = BUF_INIT;
    class_actor a = web_actor(c);
    int rc = -1;
    buf_printf(&path, "%s/chitieu-class-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp((char *)buf_str(&path));
    if (fd < 0) {
        err_set(&c->e, tr("không tạo được tệp tạm", "cannot create a temporary file"));
        goto cleanup;
    }
    close(fd);
    if (class_docx_write(c->s, c->m, year, unit, &a, buf_str(&path), &c->e) != 0)
        goto cleanup;
    FILE *f = fopen(buf_str(&path), "rb");
    if (f == NULL) {
        err_set(&c->e, tr("không đọc lại được văn bản", "cannot read the document back"));
        goto cleanup;
    }
    buf_reset(&c->resp->body);
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&c->resp->body, chunk, got);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        err_set(&c->e, tr("không đọc lại được văn bản", "cannot read the document back"));
        goto cleanup;
    }
    c->resp->ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    snprintf(c->resp->disposition, sizeof c->resp->disposition, "attachment; filename=\"xep-loai-%s-%d.docx\"",
             c->m->units[unit].code, year);
    rc = 0;
cleanup:
    if (fd >= 0)
        remove(buf_str(&path));
    buf_free(&path);
    return rc;
}

int page_class(web_ctx *c)
{
    int year, unit;
    if (class_year(c, &year) != 0 || web_unit(c, ACT_READ, &unit) != 0)
        return 0;
    const char *fmt = web_param(c, "format");
    if (fmt && *fmt) {
        if (strcmp(fmt, "docx") != 0)
            return web_fail(c, 400, "bad_format", "format", tr("format phải là docx", "format must be docx"));
        return class_docx_send(c, year, unit);
    }
    const char *msg = web_param(c, "msg");
    return class_view(c, year, unit, msg && strcmp(msg, "saved") == 0 ? tr("Đã ghi.", "Saved.") : NULL, 1);
}

int page_class_post(web_ctx *c)
{
    int year, unit, score;
    if (class_year(c, &year) != 0 || web_unit(c, ACT_READ, &unit) != 0)
        return 0;
    const char *subject = web_param(c, "subject"), *step_s = web_param(c, "step"), *score_s = web_param(c, "score"),
               *grade_s = web_param(c, "grade"), *faults = web_param(c, "faults"), *comment = web_param(c, "comment");
    int step = !step_s ? 0 : strcmp(step_s, "assess") == 0 ? CS_ASSESSED : strcmp(step_s, "appraise") == 0 ? CS_APPRAISED
             : strcmp(step_s, "decide") == 0 ? CS_DECIDED : 0;
    int grade = grade_s ? class_grade_parse(grade_s) : -1;
    err_t e;
    if (!subject || !step || grade < 0 || !score_s || class_score_parse(score_s, &score, &e) != 0 ||
        (comment && strlen(comment) > 500) || (faults && strlen(faults) > 200)) {
        c->resp->status = 400;
        return class_view(c, year, unit, tr("Cần đối tượng, bước, điểm 0–100 (như 89,5) và mức; ý kiến tối đa 500 byte.",
                                            "A subject, a step, a score 0–100 (like 89.5) and a grade are needed; comments up to 500 bytes."), 0);
    }
    class_subject sub;
    int found = store_class_subject_get(c->s, subject, &sub, &c->e);
    if (found < 0)
        return -1;
    class_actor a = web_actor(c);
    if (found == 0 || !class_may_see(c->m, &a, &sub) || !class_may_step(c->m, &a, &sub, step))
        return web_fail(c, found == 0 ? 404 : 403, found == 0 ? "not_found" : "forbidden", "subject",
                        found == 0 ? tr("không có đối tượng này", "no such subject")
                                   : tr("bạn không có quyền thực hiện bước này cho đối tượng này",
                                        "you may not take this step for this subject"));
    task_set ts = { 0 };
    if (store_task_load(c->s, &ts, &c->e) != 0)
        return -1;
    int today = web_today(c);
    class_step_in in = { step, year, subject, score, grade, faults ? faults : "", comment ? comment : "",
                         today > year * 10000 + 1231 ? year * 10000 + 1231 : today };
    class_result r;
    class_check chk;
    int rc = class_step(c->s, c->m, &ts, &a, &in, &r, &chk, &e);
    task_set_free(&ts);
    if (rc != 0) {
        c->resp->status = 409;
        return class_view(c, year, unit, e.msg, 0);
    }
    web_committed(c);
    buf to = BUF_INIT;
    web_urlenc(&to, c->m->units[unit].code);
    rc = web_redirect(c, "/class?unit=%s&year=%d&msg=saved", buf_str(&to), year);
    buf_free(&to);
    return rc;
}

int page_class_awards(web_ctx *c)
{
    const char *year_s = web_param(c, "year"), *search = web_param(c, "search");
    int year = 0, unit, n, nsub;
    if (year_s && *year_s && class_year(c, &year) != 0)
        return 0;
    if (web_unit(c, ACT_READ, &unit) != 0)
        return 0;
    if (search && strlen(search) > 200)
        return web_fail(c, 400, "bad_search", "search", tr("chuỗi tìm quá dài", "search text too long"));
    class_award *as = NULL;
    class_subject *subs = NULL;
    if ((n = store_class_awards(c->s, year, &as, &c->e)) < 0 || (nsub = store_class_subjects(c->s, &subs, &c->e)) < 0) {
        free(as);
        return -1;
    }
    class_actor a = web_actor(c);
    page_begin(c, tr("Khen thưởng thi đua", "Emulation awards"));
    page_printf(c, "<form method=\"get\" class=\"picker\"><input type=\"hidden\" name=\"unit\" value=\"");
    page_text(c, c->m->units[unit].code);
    page_printf(c, "\"><label>%s <input name=\"year\" size=\"5\" value=\"", tr("Năm", "Year"));
    if (year)
        page_printf(c, "%d", year);
    page_printf(c, "\"></label> <label>%s <input name=\"search\" id=\"award-search\" value=\"", tr("Tìm (không cần dấu)", "Search (no diacritics needed)"));
    page_text(c, search ? search : "");
    page_printf(c, "\"></label> <button type=\"submit\">%s</button></form><div class=\"scroll\"><table class=\"grid\" id=\"award-list\"><thead><tr>"
                   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                tr("Tìm", "Search"), tr("Năm", "Year"), tr("Đối tượng", "Subject"), tr("Hình thức", "Form"),
                tr("Danh hiệu, khen thưởng", "Award"), tr("Cấp quyết định", "Issuer"), tr("Số quyết định", "Decision"));
    int shown = 0;
    for (int i = 0; i < n; i++) {
        const class_subject *sub = class_subject_find(subs, nsub, as[i].subject);
        if (sub == NULL || !auth_in_subtree(c->m, unit, class_subject_unit(c->m, sub)) || !class_may_see(c->m, &a, sub) ||
            !class_award_match(&as[i], sub, search))
            continue;
        shown++;
        page_printf(c, "<tr><td>%d</td><td>", as[i].year);
        page_text(c, sub->name);
        page_printf(c, "</td><td>%s</td><td>", class_award_form_name(as[i].form));
        page_text(c, as[i].title);
        page_printf(c, "</td><td>");
        page_text(c, as[i].issuer);
        page_printf(c, "</td><td>");
        page_text(c, as[i].decision);
        page_printf(c, "</td></tr>");
    }
    page_printf(c, "</tbody></table></div><p>%d %s</p>", shown, tr("khen thưởng", "awards"));
    page_end(c);
    free(as);
    free(subs);
    return 0;
}
