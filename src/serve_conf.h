/* serve_conf.h - the configuration file of `chitieu serve` merged under its flags (serve_conf.c).
 *
 * The file (--config FILE, else $CHITIEU_CONFIG, else /etc/chitieu/chitieu.conf when it exists)
 * holds `key = value` lines for serve's options: key api_rate sets --api-rate.  A flag given on
 * the command line wins over the file; for db, so does $CHITIEU_DB.
 */
#ifndef CHITIEU_SERVE_CONF_H
#define CHITIEU_SERVE_CONF_H

#include "cli.h"
#include "conf.h"

#define SERVE_CONF_MAX 32

/* The keys serve accepts in its configuration file (ended by a NULL name). */
extern const conf_key serve_conf_keys[];
/* Reads the file named by path_flag (or the environment, or the default) and sets every option
 * of opts the command line left unset from it; values live in conf[0..SERVE_CONF_MAX), which the
 * caller keeps while it uses opts.  *used gets the file read ("" when the default was absent).
 * Returns 0, or -1 with "FILE:LINE: what" in e. */
int serve_conf_apply(const char *path_flag, cli_opt *opts, conf_entry *conf, char *used, size_t usedlen,
                     err_t *e);

#endif
