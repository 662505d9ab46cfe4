/* mail.c - formats and sends e-mail (mail.h).  The message is built in a buf and handed to
 * libcurl's SMTP upload through a read callback; one curl handle per message, nothing global
 * beyond curl_global_init (done once, thread-safe in curl >= 7.84). */
#include "mail.h"

#include <string.h>
#include <time.h>

#include <curl/curl.h>

void mail_base64(buf *out, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        buf_addc(out, tab[v >> 18 & 63]);
        buf_addc(out, tab[v >> 12 & 63]);
        buf_addc(out, i + 1 < n ? tab[v >> 6 & 63] : '=');
        buf_addc(out, i + 2 < n ? tab[v & 63] : '=');
    }
}

static int address_ok(const char *a)
{
    return a && *a && strpbrk(a, "\r\n<>") == NULL;
}

/* The subject as RFC 2047 encoded words of at most 45 bytes of UTF-8 each (never splitting a
 * character), folded onto continuation lines. */
static void encode_subject(buf *out, const char *subject)
{
    const unsigned char *s = (const unsigned char *)subject;
    size_t n = strlen(subject), at = 0;
    while (at < n) {
        size_t take = n - at < 45 ? n - at : 45;
        while (at + take < n && (s[at + take] & 0xC0) == 0x80)
            take--;
        buf_adds(out, at ? "\r\n =?UTF-8?B?" : "=?UTF-8?B?");
        mail_base64(out, s + at, take);
        buf_adds(out, "?=");
        at += take;
    }
}

int mail_format(const mail_msg *msg, buf *out, err_t *e)
{
    if (!address_ok(msg->from))
        return err_set(e, tr("địa chỉ người gửi không dùng được: '%s'", "unusable sender address: '%s'"), msg->from ? msg->from : "");
    for (int i = 0; i < msg->nto; i++)
        if (!address_ok(msg->to[i]))
            return err_set(e, tr("địa chỉ người nhận không dùng được: '%s'", "unusable recipient address: '%s'"), msg->to[i] ? msg->to[i] : "");
    time_t t = (time_t)msg->date;
    struct tm tm;
    char date[64];
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    buf_printf(out, "Date: %s\r\nFrom: <%s>\r\nTo: ", date, msg->from);
    for (int i = 0; i < msg->nto; i++)
        buf_printf(out, "%s<%s>", i ? ",\r\n " : "", msg->to[i]);
    buf_adds(out, "\r\nSubject: ");
    encode_subject(out, msg->subject);
    buf_adds(out, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: 8bit\r\n\r\n");
    for (const char *p = msg->body; *p; p++) {
        if (*p == '\n')
            buf_addc(out, '\r');
        if (*p != '\r')
            buf_addc(out, *p);
    }
    if (buf_reserve(out, 1) != 0)
        return err_set(e, "out of memory");
    return 0;
}

typedef struct upload {
    const char *data;
    size_t len, at;
} upload;

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    upload *u = userdata;
    size_t room = size * nmemb, left = u->len - u->at;
    size_t n = left < room ? left : room;
    memcpy(ptr, u->data + u->at, n);
    u->at += n;
    return n;
}

int mail_send(const char *url, const char *user, const char *password, const mail_msg *msg, err_t *e)
{
    buf text = BUF_INIT;
    struct curl_slist *rcpt = NULL;
    CURL *c = NULL;
    char from[300], errbuf[CURL_ERROR_SIZE] = "";
    int rc = -1;
    if (url == NULL || (strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0)) {
        err_set(e, tr("chưa đặt máy chủ thư (chitieu deadlines smtp-url=smtp://MÁY:CỔNG)",
                      "no mail server set (chitieu deadlines smtp-url=smtp://HOST:PORT)"));
        goto cleanup;
    }
    if (mail_format(msg, &text, e) != 0)
        goto cleanup;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if ((c = curl_easy_init()) == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < msg->nto; i++) {
        char to[300];
        snprintf(to, sizeof to, "<%s>", msg->to[i]);
        struct curl_slist *n = curl_slist_append(rcpt, to);
        if (n == NULL) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        rcpt = n;
    }
    snprintf(from, sizeof from, "<%s>", msg->from);
    upload up = { buf_str(&text), text.len, 0 };
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (user && *user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, password ? password : "");
    }
    CURLcode res = curl_easy_perform(c);
    if (res != CURLE_OK) {
        err_set(e, tr("gửi thư qua %s không được: %s", "sending mail through %s failed: %s"), url,
                *errbuf ? errbuf : curl_easy_strerror(res));
        goto cleanup;
    }
    rc = 0;
cleanup:
    curl_slist_free_all(rcpt);
    if (c)
        curl_easy_cleanup(c);
    buf_free(&text);
    return rc;
}
