/* web_demo.h - the demo database's web users: one per role at city and district level,
 * with published demo passwords (printed by `make run`; never use them for real data). */
#ifndef CHITIEU_WEB_DEMO_H
#define CHITIEU_WEB_DEMO_H

#include "model.h"
#include "store.h"

typedef struct web_demo_user {
    const char *login, *name, *role, *unit, *password;
} web_demo_user;

/* The demo users, ending with an entry whose login is NULL. */
extern const web_demo_user web_demo_users_list[];
/* Adds the demo users whose unit exists in m; returns 0 or -1. */
int web_demo_users(store *s, const model *m, err_t *e);

#endif
