/* password.c — argon2id password hashing, verification, dummy verification
 * for unknown users, and the acceptability policy (see password.h). */
#include "identity/password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>

static _Atomic unsigned long long pw_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static _Atomic size_t pw_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

/* Cached hash of a random secret, made at the cost it was built with. */
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[PASSWORD_HASH_SIZE];
static unsigned long long dummy_ops;
static size_t dummy_mem;

void password_set_cost(unsigned long long opslimit, size_t memlimit)
{
    if (opslimit < crypto_pwhash_OPSLIMIT_MIN) opslimit = crypto_pwhash_OPSLIMIT_MIN;
    if (opslimit > crypto_pwhash_OPSLIMIT_MAX) opslimit = crypto_pwhash_OPSLIMIT_MAX;
    if (memlimit < crypto_pwhash_MEMLIMIT_MIN) memlimit = crypto_pwhash_MEMLIMIT_MIN;
    if (memlimit > crypto_pwhash_MEMLIMIT_MAX) memlimit = crypto_pwhash_MEMLIMIT_MAX;
    atomic_store(&pw_opslimit, opslimit);
    atomic_store(&pw_memlimit, memlimit);
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, max U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t need;
        unsigned int cp, min;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { need = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { need = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { need = 3; cp = c & 0x07; min = 0x10000; }
        else return false;
        if (n - i - 1 < need) return false;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += need + 1;
    }
    return true;
}

bool password_is_acceptable(const char *password)
{
    size_t n;
    if (!password) return false;
    n = strnlen(password, PASSWORD_MAX_LEN + 1);
    if (n < PASSWORD_MIN_LEN || n > PASSWORD_MAX_LEN) return false;
    return utf8_valid((const unsigned char *)password, n);
}

static int hash_with(const char *pw, size_t len, unsigned long long ops, size_t mem,
                     char out[PASSWORD_HASH_SIZE])
{
    return crypto_pwhash_str_alg(out, pw, len, ops, mem, crypto_pwhash_ALG_ARGON2ID13);
}

int password_hash(const char *password, char out[PASSWORD_HASH_SIZE])
{
    int rc = -1;

    if (!out) goto out;
    out[0] = '\0';
    if (!password_is_acceptable(password)) goto out;
    if (sodium_init() < 0) goto out;
    if (hash_with(password, strlen(password), atomic_load(&pw_opslimit),
                  atomic_load(&pw_memlimit), out) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0 && out) sodium_memzero(out, PASSWORD_HASH_SIZE);
    return rc;
}

bool password_verify(const char *stored_hash, const char *password)
{
    size_t hlen, plen;

    if (!stored_hash || !password) return false;
    hlen = strnlen(stored_hash, PASSWORD_HASH_SIZE);
    if (hlen == 0 || hlen >= PASSWORD_HASH_SIZE) return false;
    plen = strnlen(password, PASSWORD_MAX_LEN + 1);
    if (plen > PASSWORD_MAX_LEN) return false; /* could never have been hashed */
    if (sodium_init() < 0) return false;
    return crypto_pwhash_str_verify(stored_hash, password, plen) == 0;
}

/* Copies the dummy hash for the current cost into h, (re)building it if the
 * cost changed. Returns 0 or -1. */
static int dummy_hash_get(char h[PASSWORD_HASH_SIZE])
{
    unsigned long long ops = atomic_load(&pw_opslimit);
    size_t mem = atomic_load(&pw_memlimit);
    unsigned char secret[32];
    int rc = -1;

    pthread_mutex_lock(&dummy_lock);
    if (dummy_hash[0] == '\0' || dummy_ops != ops || dummy_mem != mem) {
        char fresh[PASSWORD_HASH_SIZE];
        randombytes_buf(secret, sizeof secret); /* nobody knows the password */
        if (hash_with((const char *)secret, sizeof secret, ops, mem, fresh) != 0)
            goto out;
        memcpy(dummy_hash, fresh, sizeof fresh);
        dummy_ops = ops;
        dummy_mem = mem;
    }
    memcpy(h, dummy_hash, PASSWORD_HASH_SIZE);
    rc = 0;
out:
    pthread_mutex_unlock(&dummy_lock);
    sodium_memzero(secret, sizeof secret);
    return rc;
}

bool password_dummy_verify(const char *password)
{
    char h[PASSWORD_HASH_SIZE];
    size_t plen;

    if (sodium_init() < 0) return false;
    if (dummy_hash_get(h) != 0) return false;
    plen = password ? strnlen(password, PASSWORD_MAX_LEN + 1) : 0;
    if (plen > PASSWORD_MAX_LEN) plen = PASSWORD_MAX_LEN;
    /* The outcome is irrelevant (nobody knows the secret); only the work is. */
    volatile int r = crypto_pwhash_str_verify(h, password ? password : "", plen);
    (void)r;
    return false;
}
