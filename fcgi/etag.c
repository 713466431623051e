/* etag.c — owns the ETag of an org's data views and the 304 answer.
 *
 * ETag: W/"<version>-<hash>". The version is the org's data version
 * (sql/032, bumped in the transaction of every write of call data) read in
 * the caller's identity round trip (fcgi/access.c), so a 304 costs that one
 * round trip and never runs the list query. The hash (BLAKE2b, 8 bytes)
 * covers what else decides the body: the org, the route pattern, the
 * caller's kind and role, the org's time zone, the org-local date (reports'
 * default span and the "today" of metrics roll with it) — for metrics the
 * org-local minute, since its live-call window moves with the clock — and
 * every declared parameter in declaration order as validated (normalised:
 * defaults filled in, dates as UTC date-times, phone numbers E.164). */
#include "etag.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tagged routes: views of the org's data that only its writes change.
 * minute: the body also moves with the clock (metrics' live-call window). */
static const struct {
    const char *pattern;
    bool minute;
} tagged[] = {
    {"/api/orgs/:orgId/calls", false},      {"/api/orgs/:orgId/recordings", false},
    {"/api/orgs/:orgId/sms", false},        {"/api/orgs/:orgId/voicemails", false},
    {"/api/orgs/:orgId/extensions", false}, {"/api/orgs/:orgId/phone-numbers", false},
    {"/api/orgs/:orgId/contacts", false},   {"/api/orgs/:orgId/reports", false},
    {"/api/orgs/:orgId/metrics", true},
};

/* -1: the route carries no tag; else its index in tagged[]. */
static int tagged_index(const route *rt)
{
    if (strcmp(rt->method, "GET") != 0)
        return -1;
    for (size_t i = 0; i < sizeof tagged / sizeof tagged[0]; i++)
        if (strcmp(rt->pattern, tagged[i].pattern) == 0)
            return (int)i;
    return -1;
}

static void feed(crypto_generichash_state *st, const char *s)
{
    crypto_generichash_update(st, (const unsigned char *)(s ? s : ""), strlen(s ? s : "") + 1);
}

static void make_tag(const route *rt, bool minute, const vs_request *req, char tag[ETAG_MAX])
{
    const principal *w = &req->who;
    crypto_generichash_state st;
    unsigned char h[8];
    char hex[2 * sizeof h + 1], buf[64];
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    feed(&st, w->org.id);
    feed(&st, rt->pattern);
    snprintf(buf, sizeof buf, "%d/%d", (int)w->kind, (int)w->role_in_org);
    feed(&st, buf);
    feed(&st, w->org.timezone);
    snprintf(buf, sizeof buf, "%.*s", minute ? 16 : 10, w->org.local_minute);
    feed(&st, buf);
    const qp_values *q = req->q;
    for (int i = 0; q && i < q->n; i++) {
        const qp_value *v = &q->v[i];
        feed(&st, q->decl[i].name);
        if (q->decl[i].type == QP_INT || q->decl[i].type == QP_BOOL) { /* absent = its default */
            snprintf(buf, sizeof buf, "=%lld", v->num);
            feed(&st, buf);
            continue;
        }
        snprintf(buf, sizeof buf, "%d:%d", v->present, v->date_only);
        feed(&st, buf);
        feed(&st, v->present ? v->text : NULL);
    }
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(tag, ETAG_MAX, "W/\"%llu-%s\"", w->org.data_version, hex);
}

/* Does If-None-Match (a list of tags, weak or strong, or *) name tag? */
static bool matches(const char *header, const char *tag)
{
    const char *opaque = tag + 2; /* "\"…\"" without W/ */
    size_t olen = strlen(opaque);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t len = strcspn(p, ",");
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == olen && memcmp(p, opaque, olen) == 0)
            return true;
        p += strcspn(p, ",");
    }
    return false;
}

bool etag_route_tagged(const route *rt) { return tagged_index(rt) >= 0; }

void etag_make(const route *rt, const vs_request *req, char tag[ETAG_MAX])
{
    tag[0] = 0;
    int t = tagged_index(rt);
    if (t >= 0 && req->who.org.loaded && req->who.org.exists)
        make_tag(rt, tagged[t].minute, req, tag);
}

bool etag_not_modified(const route *rt, const vs_request *req, vs_response *res, char tag[ETAG_MAX])
{
    etag_make(rt, req, tag);
    if (!tag[0])
        return false;
    const char *inm = req_header(req, "if-none-match");
    if (!inm || strlen(inm) > 4096 || !matches(inm, tag))
        return false;
    res->status = 304;
    res->text = strdup(""); /* no body */
    resp_add_header(res, "ETag: %s", tag);
    return true;
}

void etag_attach(vs_response *res, const char *tag)
{
    if (tag[0] && res->status == 200)
        resp_add_header(res, "ETag: %s", tag);
}
