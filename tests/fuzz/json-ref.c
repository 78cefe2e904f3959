#include <config.h>

/* json-ref: see json-ref.h.  Written apart from lib/json_parse.c and not
 * like it: recursive descent on the exact bytes (no NUL sentinel), UTF-8
 * checked by decoding, strings decoded into the hash rather than in place. */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/json-ref.h"

/* FNV-1a's step. */
void json_ref_fold(uint64_t *h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ ((const unsigned char *)p)[i]) * 0x100000001b3u;
}

void json_ref_fold_byte(uint64_t *h, unsigned char c)
{
	json_ref_fold(h, &c, 1);
}

void json_ref_fold_string(uint64_t *h, char tag, const char *s, size_t n)
{
	json_ref_fold_byte(h, (unsigned char)tag);
	json_ref_fold(h, s, n);
	json_ref_fold_byte(h, 0);
}

bool json_ref_utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t k;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			k = 2, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			k = 3, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			k = 4, cp = c & 0x07;
		else
			return false;
		if (i + k > n)
			return false;
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += k;
	}
	return true;
}

/* Deeper, the reference gives up (recursion): the parser refuses long before. */
#define REF_MAX_DEPTH 200u

struct ref {
	const unsigned char *p, *end;
	struct json_ref_usage u;
};

static int ref_peek(const struct ref *r)
{
	return r->p < r->end ? *r->p : -1;
}

static bool ref_eat(struct ref *r, int c)
{
	if (ref_peek(r) != c)
		return false;
	r->p++;
	return true;
}

static bool ref_digit(const struct ref *r)
{
	int c = ref_peek(r);
	return c >= '0' && c <= '9';
}

static void ref_ws(struct ref *r)
{
	while (ref_eat(r, ' ') || ref_eat(r, '\t') || ref_eat(r, '\n') || ref_eat(r, '\r'))
		;
}

static long ref_hex4(struct ref *r)
{
	long v = 0;

	if (r->end - r->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int c = r->p[i];
		if (c >= 'A' && c <= 'F')
			c += 'a' - 'A';
		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else
			return -1;
	}
	r->p += 4;
	return v;
}

/* Code point cp (below 0x110000) as UTF-8, folded into *h. */
static void ref_fold_utf8(uint64_t *h, uint32_t cp)
{
	unsigned char b[4];
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	static const unsigned char lead[5] = { 0, 0x00, 0xc0, 0xe0, 0xf0 };

	for (size_t i = n; i-- > 1; cp >>= 6)
		b[i] = (unsigned char)(0x80 | (cp & 0x3f));
	b[0] = (unsigned char)(lead[n] | cp);
	json_ref_fold(h, b, n);
}

/* A string, its decoded bytes folded in after `tag`. */
static bool ref_string(struct ref *r, char tag)
{
	static const char escaped[] = "\"\\/bfnrt", meant[] = "\"\\/\b\f\n\r\t";

	if (!ref_eat(r, '"'))
		return false;
	json_ref_fold_byte(&r->u.content, (unsigned char)tag);
	for (;;) {
		int c = ref_peek(r);
		if (c < 0x20)   /* the end (-1) or a control character */
			return false;
		r->p++;
		if (c == '"') {
			json_ref_fold_byte(&r->u.content, 0);
			return true;
		}
		if (c == '\\') {
			c = ref_peek(r);
			const char *e = c > 0 ? strchr(escaped, c) : NULL;
			if (e) {
				json_ref_fold_byte(&r->u.content, (unsigned char)meant[e - escaped]);
				r->p++;
				continue;
			}
			if (!ref_eat(r, 'u'))
				return false;
			long cp = ref_hex4(r);
			if (cp <= 0 || (cp >= 0xdc00 && cp <= 0xdfff))
				return false;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (!ref_eat(r, '\\') || !ref_eat(r, 'u'))
					return false;
				long lo = ref_hex4(r);
				if (lo < 0xdc00 || lo > 0xdfff)
					return false;
				cp = 0x10000 + (cp - 0xd800) * 0x400 + (lo - 0xdc00);
			}
			ref_fold_utf8(&r->u.content, (uint32_t)cp);
		} else if (c >= 0x80) {
			size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			r->p--;
			if ((size_t)(r->end - r->p) < k || !json_ref_utf8_valid(r->p, k))
				return false;
			json_ref_fold(&r->u.content, r->p, k);
			r->p += k;
		} else {
			json_ref_fold_byte(&r->u.content, (unsigned char)c);
		}
	}
}

static bool ref_number(struct ref *r)
{
	const unsigned char *start = r->p;
	bool whole = ref_peek(r) != '-';

	ref_eat(r, '-');
	if (!ref_eat(r, '0')) {
		if (!ref_digit(r))
			return false;
		while (ref_digit(r))
			r->p++;
	}
	if (ref_eat(r, '.')) {
		whole = false;
		if (!ref_digit(r))
			return false;
		while (ref_digit(r))
			r->p++;
	}
	if (ref_eat(r, 'e') || ref_eat(r, 'E')) {
		whole = false;
		if (!ref_eat(r, '+'))
			ref_eat(r, '-');
		if (!ref_digit(r))
			return false;
		while (ref_digit(r))
			r->p++;
	}
	/* a non-negative integer that fits 64 bits is exact */
	uint64_t u = 0;
	for (const unsigned char *d = start; whole && d < r->p; d++)
		whole = !__builtin_mul_overflow(u, 10, &u) &&
			!__builtin_add_overflow(u, (uint64_t)(*d - '0'), &u);
	if (whole) {
		json_ref_fold_byte(&r->u.content, 'u');
		json_ref_fold(&r->u.content, &u, sizeof(u));
		return true;
	}
	char *copy = strndup((const char *)start, (size_t)(r->p - start));
	FUZZ_CHECK(copy != NULL);
	double d = strtod(copy, NULL);
	free(copy);
	json_ref_fold_byte(&r->u.content, 'd');
	json_ref_fold(&r->u.content, &d, sizeof(d));
	return !isinf(d);
}

static bool ref_value(struct ref *r, unsigned depth)
{
	static const char *const literals[] = { "true", "false", "null" };
	int c = ref_peek(r);

	r->u.values++;
	if (c == '[' || c == '{') {
		int close = c == '[' ? ']' : '}';
		if (++depth > r->u.depth)
			r->u.depth = depth;
		if (depth > REF_MAX_DEPTH)
			return false;
		json_ref_fold_byte(&r->u.content, (unsigned char)c);
		r->p++;
		ref_ws(r);
		for (bool first = true;; first = false) {
			if (ref_eat(r, close)) {
				json_ref_fold_byte(&r->u.content, (unsigned char)close);
				return true;
			}
			if (!first && !ref_eat(r, ','))
				return false;
			if (!first)
				ref_ws(r);
			if (c == '{') {
				if (!ref_string(r, 'k'))
					return false;
				ref_ws(r);
				if (!ref_eat(r, ':'))
					return false;
				ref_ws(r);
			}
			if (!ref_value(r, depth))
				return false;
			ref_ws(r);
		}
	}
	if (c == '"')
		return ref_string(r, 's');
	if (c == '-' || ref_digit(r))
		return ref_number(r);
	for (size_t i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
		size_t n = strlen(literals[i]);
		if ((size_t)(r->end - r->p) >= n && memcmp(r->p, literals[i], n) == 0) {
			r->p += n;
			json_ref_fold_byte(&r->u.content, (unsigned char)literals[i][0]);
			return true;
		}
	}
	return false;
}

bool json_ref_read(const uint8_t *data, size_t size, struct json_ref_usage *ret)
{
	struct ref r = { .p = data, .end = data + size };

	ref_ws(&r);
	bool ok = ref_value(&r, 0);
	ref_ws(&r);
	*ret = r.u;
	return ok && r.p == r.end;
}

