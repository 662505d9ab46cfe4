/* serve_conf.c - serve's configuration file under its flags (see serve_conf.h).
 *
 * The file is parsed by conf.c against serve_conf_keys (each key checked by its kind there);
 * then each entry finds serve's option of the same name ("--" + key, '_' as '-') and fills it
 * only if the command line did not.  The option table and the entries belong to cmd_serve.
 */
#include "serve_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const conf_key serve_conf_keys[] = {
    { "db", CONF_TEXT, 0, 0 },
    { "listen", CONF_LISTEN, 0, 0 },
    { "threads", CONF_INT, 1, 64 },
    { "https", CONF_BOOL, 0, 0 },
    { "quiet", CONF_BOOL, 0, 0 },
    { "api_rate", CONF_INT, 0, 1000000 },
    { "api_burst", CONF_INT, 1, 1000000 },
    { "metrics_token", CONF_TOKEN, 0, 0 },
    { "trusted_proxy", CONF_TEXT, 0, 0 },
    { "max_conn_per_ip", CONF_INT, 1, 100000 },
    { "max_conn", CONF_INT, 1, 100000 },
    { "timeout", CONF_INT, 1, 3600 },
    { "header_timeout", CONF_INT, 1, 3600 },
    { "cells", CONF_TEXT, 0, 0 },
    { "engine_image", CONF_TEXT, 0, 0 },
    { NULL, 0, 0, 0 },
};

/* The option of opts named "--" + key ('_' written '-'), or NULL. */
static cli_opt *find_opt(cli_opt *opts, const char *key)
{
    char name[80];
    size_t n = (size_t)snprintf(name, sizeof name, "--%s", key);
    for (size_t i = 2; i < n && i < sizeof name; i++)
        if (name[i] == '_')
            name[i] = '-';
    for (cli_opt *o = opts; o->name; o++)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

int serve_conf_apply(const char *path_flag, cli_opt *opts, conf_entry *conf, char *used, size_t usedlen,
                     err_t *e)
{
    const char *env = getenv("CHITIEU_CONFIG");
    const char *path = path_flag ? path_flag : env && *env ? env : CONF_DEFAULT_PATH;
    int missing_ok = path_flag == NULL && !(env && *env);
    int n = 0;
    if (conf_load(path, missing_ok, serve_conf_keys, conf, SERVE_CONF_MAX, &n, e) != 0)
        return -1;
    snprintf(used, usedlen, "%s", n || !missing_ok ? path : "");
    const char *envdb = getenv("CHITIEU_DB");
    for (int i = 0; i < n; i++) {
        const char *key = serve_conf_keys[conf[i].key].name;
        cli_opt *o = find_opt(opts, key);
        if (o == NULL)
            return err_set(e, "%s:%d: '%s' has no option in this build", path, conf[i].line, key);
        if (strcmp(key, "db") == 0 && envdb && *envdb)
            continue;                      /* CHITIEU_DB beats the file, as a flag would */
        if (o->dest && *o->dest == NULL)
            *o->dest = conf[i].value;
        else if (o->flag && strcmp(conf[i].value, "1") == 0)
            *o->flag = 1;
    }
    return 0;
}
