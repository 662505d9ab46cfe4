/* liberr.c - Vietnamese for the libraries' error messages (see liberr.h).
 *
 * Only the codes a user can cause (a malformed upload, a locked or missing file) get their own
 * sentence; the rest share a general one that still says which library failed.  In English the
 * library's own message is returned unchanged.
 */
#include "liberr.h"

#include <errno.h>
#include <expat.h>
#include <sqlite3.h>
#include <string.h>

#include "err.h"

const char *liberr_json(const json_error_t *je)
{
    if (lang_get() == LANG_EN)
        return je->text;
    switch (json_error_code(je)) {
    case json_error_invalid_utf8: return "văn bản không phải UTF-8 hợp lệ";
    case json_error_premature_end_of_input: return "JSON kết thúc giữa chừng (thiếu dấu đóng } hoặc ], hoặc thân rỗng)";
    case json_error_end_of_input_expected: return "còn dữ liệu thừa sau giá trị JSON";
    case json_error_invalid_syntax: return "sai cú pháp JSON (thiếu dấu phẩy, ngoặc kép, hoặc có ký tự lạ)";
    case json_error_null_character:
    case json_error_null_byte_in_key: return "có ký tự NUL (\\u0000) trong chuỗi";
    case json_error_duplicate_key: return "một khóa xuất hiện hai lần trong cùng đối tượng";
    case json_error_numeric_overflow: return "số quá lớn";
    case json_error_stack_overflow: return "lồng nhau quá sâu";
    case json_error_out_of_memory: return "hết bộ nhớ";
    default: return "JSON không đọc được";
    }
}

const char *liberr_xml(int code)
{
    if (lang_get() == LANG_EN)
        return (const char *)XML_ErrorString((enum XML_Error)code);
    switch (code) {
    case XML_ERROR_NO_MEMORY: return "hết bộ nhớ";
    case XML_ERROR_NO_ELEMENTS: return "không có phần tử nào (phần rỗng hoặc bị cắt)";
    case XML_ERROR_INVALID_TOKEN:
    case XML_ERROR_PARTIAL_CHAR: return "có ký tự không hợp lệ";
    case XML_ERROR_UNCLOSED_TOKEN: return "thẻ chưa đóng (tệp bị cắt?)";
    case XML_ERROR_TAG_MISMATCH: return "thẻ đóng không khớp thẻ mở";
    case XML_ERROR_DUPLICATE_ATTRIBUTE: return "một thuộc tính xuất hiện hai lần";
    case XML_ERROR_JUNK_AFTER_DOC_ELEMENT: return "còn dữ liệu thừa sau phần tử gốc";
    case XML_ERROR_UNKNOWN_ENCODING:
    case XML_ERROR_INCORRECT_ENCODING: return "bảng mã không đúng hoặc không hỗ trợ";
    case XML_ERROR_UNDEFINED_ENTITY:
    case XML_ERROR_BAD_CHAR_REF: return "tham chiếu ký tự hoặc thực thể không hợp lệ";
    default: return "sai cú pháp XML";
    }
}

const char *liberr_zip(zip_error_t *ze)
{
    if (lang_get() == LANG_EN)
        return zip_error_strerror(ze);
    switch (zip_error_code_zip(ze)) {
    case ZIP_ER_NOZIP: return "không phải tệp zip";
    case ZIP_ER_INCONS: return "cấu trúc zip không nhất quán (tệp hỏng hoặc bị cắt)";
    case ZIP_ER_CRC: return "sai mã kiểm tra CRC (dữ liệu hỏng)";
    case ZIP_ER_EOF: return "tệp kết thúc sớm (bị cắt)";
    case ZIP_ER_MEMORY: return "hết bộ nhớ";
    case ZIP_ER_COMPNOTSUPP: return "kiểu nén không hỗ trợ";
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD: return "tệp được mã hóa bằng mật khẩu";
    case ZIP_ER_READ:
    case ZIP_ER_SEEK: return "lỗi đọc tệp";
    default: return "tệp zip hỏng";
    }
}

const char *liberr_sqlite(int rc, const char *english)
{
    if (lang_get() == LANG_EN)
        return english ? english : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "cơ sở dữ liệu đang bận (một tiến trình khác đang ghi); hãy thử lại";
    case SQLITE_READONLY: return "cơ sở dữ liệu chỉ đọc (không có quyền ghi tệp hoặc thư mục)";
    case SQLITE_CANTOPEN: return "không mở được tệp cơ sở dữ liệu (sai đường dẫn hoặc không có quyền)";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return "tệp hỏng hoặc không phải cơ sở dữ liệu";
    case SQLITE_FULL: return "đĩa đã đầy";
    case SQLITE_IOERR: return "lỗi đọc/ghi đĩa";
    case SQLITE_NOMEM: return "hết bộ nhớ";
    case SQLITE_PERM:
    case SQLITE_AUTH: return "không có quyền";
    case SQLITE_CONSTRAINT: return "dữ liệu vi phạm ràng buộc (trùng khóa hoặc tham chiếu không tồn tại)";
    default: return "lỗi cơ sở dữ liệu";
    }
}

const char *liberr_errno(int err)
{
    if (lang_get() == LANG_EN)
        return strerror(err);
    switch (err) {
    case ENOENT: return "không có tệp hoặc thư mục này";
    case EACCES:
    case EPERM: return "không có quyền";
    case ENOSPC: return "đĩa đã đầy";
    case EROFS: return "ổ đĩa chỉ đọc";
    case EEXIST: return "đã có";
    case EISDIR: return "là một thư mục";
    case ENOTDIR: return "một phần của đường dẫn không phải thư mục";
    case ENAMETOOLONG: return "đường dẫn quá dài";
    case EMFILE:
    case ENFILE: return "mở quá nhiều tệp";
    default: return "lỗi hệ thống";
    }
}
