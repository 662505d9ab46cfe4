/* audit.c - the text of audit log entries (audit.h). */
#include "audit.h"

#include <string.h>

#include "err.h"
#include "vn.h"

const char *const audit_kinds[] = { "value", "target", "delete", "batch", "action" };
const int audit_nkinds = (int)(sizeof audit_kinds / sizeof *audit_kinds);

int audit_kind_ok(const char *k)
{
    for (int i = 0; i < audit_nkinds; i++)
        if (strcmp(audit_kinds[i], k) == 0)
            return 1;
    return 0;
}

const char *audit_kind_name(const char *k)
{
    static const struct { const char *key, *vi, *en; } names[] = {
        { "value", "sửa số liệu", "value changed" }, { "target", "sửa kế hoạch", "target changed" },
        { "delete", "xóa số liệu", "value deleted" }, { "batch", "ghi số liệu", "figures written" },
        { "action", "thao tác", "action" }, { "submit", "gửi duyệt", "submitted" },
        { "approve", "duyệt", "approved" }, { "return", "trả lại", "returned" },
        { "unlock", "mở khóa", "unlocked" }, { "import", "nhập tệp", "import" },
        { "user add", "thêm người dùng", "user added" }, { "password", "đổi mật khẩu", "password changed" },
        { "disable", "khóa tài khoản", "account disabled" }, { "enable", "mở tài khoản", "account enabled" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i].key, k) == 0)
            return tr(names[i].vi, names[i].en);
    return k;
}

void audit_num(buf *b, double v)
{
    vn_format_number_trim(v, 9, lang_get(), b);
}

void audit_time(buf *b, const char *at_utc)
{
    if (vn_format_time_s(at_utc, lang_get(), b) != 0)
        buf_adds(b, at_utc);
}

const char *audit_time_header(void)
{
    return tr("Thời gian (" VN_TZ_NAME_VI ")", "When (" VN_TZ_NAME_EN ")");
}

void audit_detail(const web_audit *a, buf *b)
{
    if (!a->is_figure) {
        buf_adds(b, a->detail);
        return;
    }
    if (strcmp(a->action, "delete") == 0) {
        buf_adds(b, tr("xóa ", "deleted "));
        if (a->has_old)
            audit_num(b, a->old_v);
        buf_adds(b, tr("; lý do: ", "; reason: "));
        buf_adds(b, a->new_comment);
        return;
    }
    int same = a->has_old && a->has_new && a->old_v == a->new_v;
    int note = strcmp(a->old_comment, a->new_comment) != 0;
    if (same && note) {
        buf_adds(b, tr("chỉ sửa ghi chú: ", "comment only: "));
    } else {
        if (a->has_old)
            audit_num(b, a->old_v);
        else
            buf_adds(b, "–");
        buf_adds(b, " → ");
        if (a->has_new)
            audit_num(b, a->new_v);
        else
            buf_adds(b, "–");
        if (!note)
            return;
        buf_adds(b, tr("; ghi chú: ", "; comment: "));
    }
    buf_printf(b, "«%s» → «%s»", a->old_comment, a->new_comment);
}
