/* json_parse: a strict, bounded JSON (RFC 8259) reader into a read-only DOM.
 *
 * For files lbha reads back (the children's status files): the input is
 * untrusted enough that every resource is bounded (input bytes, values,
 * nesting depth) and parsing never recurses, so a hostile or truncated file
 * is an error with an offset, never a crash or an unbounded allocation.
 *
 * Strict means: one value with only JSON whitespace around it; no comments,
 * trailing commas, single quotes, leading zeros, NaN or bare control
 * characters in strings; strings are valid UTF-8 with surrogate pairs
 * combined.  Allowed: repeated object keys; json_get() returns the last,
 * as Python's json, jq and JavaScript do, and json_member_at() sees all.
 * Refused although legal JSON: the escape \u0000, so that every string is
 * also a C string.
 *
 * The document owns all its memory: a copy of the text in which strings are
 * decoded in place, and one arena holding each array's and object's
 * elements contiguously.  Nothing is allocated per value. */
#ifndef LBHA_JSON_PARSE_H
#define LBHA_JSON_PARSE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
	_JSON_TYPE_MAX,
	_JSON_TYPE_INVALID = -EINVAL,
};

/* "null", "bool", ...; NULL outside the enum. */
const char *json_type_to_string(enum json_type t);

struct json_member;

/* One value.  Read it through the accessors below; the fields are public so
 * that a loop over an array costs no call per element. */
struct json_value {
	uint8_t type;          /* enum json_type */
	bool exact_uint;       /* JSON_NUMBER: written as an integer that fits u.uint */
	uint32_t n;            /* string bytes, array items, object members */
	union {
		bool boolean;
		double number;     /* JSON_NUMBER unless exact_uint */
		uint64_t uint;     /* JSON_NUMBER when exact_uint */
		const char *string;                 /* NUL-terminated, n bytes */
		const struct json_value *items;     /* n values */
		const struct json_member *members;  /* n members, in document order */
	} u;
};

struct json_member {
	const char *key;       /* NUL-terminated, key_len bytes */
	uint32_t key_len;
	struct json_value value;
};

/* Limits of one parse.  A zero field means its default. */
struct json_limits {
	size_t max_bytes;      /* input length; default JSON_DEFAULT_MAX_BYTES */
	size_t max_values;     /* values in the document; default JSON_DEFAULT_MAX_VALUES */
	unsigned max_depth;    /* arrays/objects open at once; default JSON_DEFAULT_MAX_DEPTH */
};

#define JSON_DEFAULT_MAX_BYTES (64u << 20)
#define JSON_DEFAULT_MAX_VALUES (4u << 20)
#define JSON_DEFAULT_MAX_DEPTH 64u

/* Where and why a parse failed.  message is a constant string. */
struct json_error {
	size_t offset;         /* byte offset into the input */
	const char *message;
};

struct json_doc;

/* Parse text[0..len) (it need not be NUL-terminated; it is copied).
 * `limits` may be NULL (all defaults), `ret_error` may be NULL.
 * Returns 0 and *ret; -EBADMSG for malformed JSON, -E2BIG when a limit is
 * exceeded (both with *ret_error filled in); *ret is untouched on failure. */
int json_parse(const char *text, size_t len, const struct json_limits *limits,
	       struct json_doc **ret, struct json_error *ret_error);

/* The document's top-level value (never NULL). */
const struct json_value *json_doc_root(const struct json_doc *doc);

/* Free the document and every value in it.  NULL-safe; returns NULL. */
struct json_doc *json_doc_free(struct json_doc *doc);

/* Accessors.  Every one accepts NULL (and a value of the wrong type) and then
 * returns NULL, false, 0 or -EINVAL, so lookups chain without checks:
 * json_string(json_get(json_at(json_get(root, "instances"), 0), "name")). */

/* The member `key` of an object (the last, if repeated), or NULL. */
const struct json_value *json_get(const struct json_value *obj, const char *key);

/* Item i of an array, or NULL (not an array, or i out of range). */
const struct json_value *json_at(const struct json_value *array, size_t i);

/* Member i of an object, or NULL. */
const struct json_member *json_member_at(const struct json_value *obj, size_t i);

/* Items of an array, members of an object, bytes of a string; else 0. */
size_t json_len(const struct json_value *v);

/* Is v of type t?  False for NULL. */
bool json_is(const struct json_value *v, enum json_type t);

/* The string, or NULL when v is not a string. */
const char *json_string(const struct json_value *v);

/* A non-negative integer written without fraction or exponent that fits in
 * 64 bits: 0 and *ret; -EINVAL otherwise (*ret untouched). */
int json_u64(const struct json_value *v, uint64_t *ret);

/* Any number (large integers rounded to the nearest double): 0 and *ret, or
 * -EINVAL. */
int json_double(const struct json_value *v, double *ret);

/* A true/false: 0 and *ret, or -EINVAL. */
int json_bool(const struct json_value *v, bool *ret);

#endif
