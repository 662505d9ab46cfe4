/* mail.h - e-mail out: an RFC 5322 message in UTF-8 (subject RFC 2047-encoded, body 8bit
 * text/plain) sent through an SMTP server with libcurl (smtp:// or smtps://, STARTTLS when the
 * server offers it, login when a user is set).  mail_format is pure; mail_send does the I/O. */
#ifndef CHITIEU_MAIL_H
#define CHITIEU_MAIL_H

#include "buf.h"
#include "err.h"

typedef struct mail_msg {
    const char *from;            /* the sender's address */
    const char *const *to;       /* recipients' addresses */
    int nto;
    const char *subject, *body;  /* UTF-8; body lines end in '\n' */
    long long date;              /* Unix seconds for the Date header */
} mail_msg;

/* Appends the message (headers and body, CRLF line ends, dot-stuffing left to the transport)
 * to out; -1 with a message if an address is unusable (CR, LF, '<' or '>' in it) or on OOM. */
int mail_format(const mail_msg *msg, buf *out, err_t *e);
/* Sends the message through the SMTP server at url ("smtp://host:port"), logging in as user
 * with password when user is non-empty; 0, or -1 with the server's or curl's error. */
int mail_send(const char *url, const char *user, const char *password, const mail_msg *msg, err_t *e);
/* Appends s base64-encoded (RFC 4648, with padding) to out. */
void mail_base64(buf *out, const unsigned char *s, size_t n);

#endif
