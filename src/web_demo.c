/* web_demo.c - the demo users (see web_demo.h), added by `chitieu demo` after the data. */
#include "web_demo.h"

#include <stdio.h>

#include "auth.h"
#include "store_web.h"

const web_demo_user web_demo_users_list[] = {
    { "admin", "Quản trị hệ thống", "admin", "ha-noi", "demo-admin-2025" },
    { "tp.duyet", "Văn phòng Thành ủy (phê duyệt)", "approver", "ha-noi", "demo-duyet-2025" },
    { "tp.xem", "Lãnh đạo Thành ủy (xem)", "viewer", "ha-noi", "demo-xem-2025" },
    { "caugiay.nhap", "Văn phòng Quận ủy Cầu Giấy (nhập liệu)", "editor", "cau-giay", "demo-nhap-2025" },
    { "caugiay.duyet", "Chánh Văn phòng Quận ủy Cầu Giấy", "approver", "cau-giay", "demo-duyet-2025" },
    { "caugiay.xem", "Quận ủy Cầu Giấy (xem)", "viewer", "cau-giay", "demo-xem-2025" },
    { "badinh.nhap", "Văn phòng Quận ủy Ba Đình (nhập liệu)", "editor", "ba-dinh", "demo-nhap-2025" },
    { NULL, NULL, NULL, NULL, NULL },
};

int web_demo_users(store *s, const model *m, err_t *e)
{
    if (auth_init() != 0)
        return err_set(e, "libsodium");
    for (const web_demo_user *d = web_demo_users_list; d->login; d++) {
        web_user u = { 0 };
        char hash[AUTH_HASH_MAX];
        if (model_unit_find(m, d->unit) < 0)
            continue;
        snprintf(u.login, sizeof u.login, "%s", d->login);
        snprintf(u.name, sizeof u.name, "%s", d->name);
        snprintf(u.role, sizeof u.role, "%s", d->role);
        snprintf(u.unit, sizeof u.unit, "%s", d->unit);
        if (store_user_get(s, d->login, &u, NULL, 0, e) == 1)
            continue;
        if (auth_hash_password(d->password, hash, e) != 0 || store_user_add(s, &u, hash, e) != 0)
            return -1;
    }
    return 0;
}
