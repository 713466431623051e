/* phone.h — the one phone number normaliser: phone_normalize() is strict, for
 * numbers typed by people (SMS recipients, SMS number settings), and answers
 * why it refuses; phone_canonical() is lenient, for numbers from MightyCall and
 * stored numbers, and gives phone_normalize()'s result for every number that
 * accepts.
 *
 * Accepted: "+" and 7–15 digits (country code not 0); "00" or "011" followed
 * by the international number; 10 digits (a NANP number: +1 is assumed) or 11
 * digits starting with 1. Spaces, '-', '.', '(', ')' and '/' are ignored.
 * NANP numbers (+1) must have 10 digits after the 1 with area code and
 * exchange starting 2–9. Letters, extensions and other characters are refused. */
#ifndef VS_PHONE_H
#define VS_PHONE_H

#include <stdbool.h>
#include <stddef.h>

#define PHONE_E164_MAX 16            /* "+" and up to 15 digits */
#define PHONE_INPUT_MAX 40           /* longest input considered */

typedef enum {
    PHONE_OK = 0,
    PHONE_EMPTY,          /* no digits at all */
    PHONE_BAD_CHAR,       /* a character that is not a digit or separator */
    PHONE_TOO_LONG,       /* input or digits beyond E.164 */
    PHONE_TOO_SHORT,
    PHONE_NO_COUNTRY,     /* national number other than NANP: needs +country code */
    PHONE_BAD_COUNTRY,    /* country code starting with 0 */
    PHONE_BAD_NANP,       /* +1 number with a wrong length or area code / exchange */
} phone_status;

/* Normalise in into out ("+12125551234"). out holds PHONE_E164_MAX + 1 bytes
 * and is "" unless PHONE_OK. */
phone_status phone_normalize(const char *in, char out[PHONE_E164_MAX + 1]);

/* A short reason for a 400 ("must have 7 to 15 digits", …). */
const char *phone_status_reason(phone_status st);

/* Canonical form of a number from MightyCall or the database, never refused:
 * phone_normalize()'s E.164 result when it accepts in; otherwise the digits of
 * in (every other character dropped, at most PHONE_CANONICAL_DIGITS) with a
 * lenient fallback —
 *   "+" before the first digit: "+" and the digits ("+12345" stays);
 *   10 digits: "+1" and the digits (a NANP number, even with area code 0/1);
 *   fewer than 7 digits: the digits as they are (short codes, extensions: "101");
 *   else "+" and the digits.
 * "" when in is NULL or has no digit. out holds outsz bytes
 * (PHONE_CANONICAL_LEN for every result). */
#define PHONE_CANONICAL_DIGITS 23
#define PHONE_CANONICAL_LEN 33
void phone_canonical(const char *in, char *out, size_t outsz);

/* A phone number in any common writing (7–15 digits; '+', spaces, '-', '(',
 * ')' and '.' allowed) → phone_canonical() form in out (PHONE_CANONICAL_LEN
 * bytes); false when it is none. For search filters and contact bodies,
 * which accept more than phone_normalize() but never letters. */
bool phone_any_writing(const char *s, char out[PHONE_CANONICAL_LEN]);

/* Is s already in the exact form phone_normalize() produces? */
bool phone_is_e164(const char *s);

#endif
