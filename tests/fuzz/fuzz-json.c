#include <config.h>

/* fuzz-json: the JSON reader (lib/json_parse.c) that `lbha status` runs on
 * the children's status files, and the string writer (lib/json_out.c) that
 * makes them.
 *
 * Input: a control byte, then the text.  Control byte:
 *   bits 0-2  max_depth: 0 the default (64), else 1-7
 *   bits 3-5  max_values: 0 the default, else 2^k (2-128)
 *   0x40      max_bytes is the next byte (0: the default)
 *   0x80      unused
 * Properties beyond "no crash":
 * - what is taken and what is refused agrees with a second, plain reading
 *   of the grammar (tests/fuzz/json-ref.c), and so does the document: its
 *   values, depth, and a hash of every decoded string, key, number (exact
 *   integer or double) and literal in order;
 * - a refusal is -EBADMSG or -E2BIG with a message and an offset inside the
 *   input ("unexpected end of input" exactly when it is the end), and leaves
 *   *ret alone; an input over max_bytes is always refused, at max_bytes;
 * - a document's DOM is consistent: known types, counts, accessors agreeing
 *   with the fields, every string (and key) valid UTF-8 of its length with no
 *   NUL, json_get() finding the last member of that key, numbers readable as
 *   what exact_uint says;
 * - the limits hold and are exact: the document's values, depth and bytes
 *   are within them, it parses with each limit set to what it uses, and one
 *   less is refused with -E2BIG;
 * - a smaller limit never changes a result other than to -E2BIG: the same
 *   text under the defaults gives the same document or the same error;
 * - bytes after the document are refused at their offset, and a document
 *   cut before its last byte (unless that is a digit) is refused;
 * - a document written back (json_write_string() for strings and keys)
 *   parses to the same DOM, exact_uint included, and writes again to the
 *   same bytes. */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "json_parse.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/json-ref.h"

#define END_OF_INPUT "unexpected end of input"

/* Parse and check what every result must keep; returns json_parse()'s. */
static int parse(const char *text, size_t len, const struct json_limits *lim,
		 struct json_doc **ret, struct json_error *err)
{
	static char sentinel;
	struct json_doc *const untouched = (struct json_doc *)&sentinel;
	struct json_doc *doc = untouched;
	size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes : JSON_DEFAULT_MAX_BYTES;

	*err = (struct json_error){ 0 };
	int r = json_parse(text, len, lim, &doc, err);
	if (r == 0) {
		FUZZ_CHECK(doc != untouched && doc != NULL);
		FUZZ_CHECK(len <= max_bytes);
		*ret = doc;
		return 0;
	}
	FUZZ_CHECK(r == -EBADMSG || r == -E2BIG);
	FUZZ_CHECK(doc == untouched);
	FUZZ_CHECK(err->message != NULL && err->message[0] != '\0');
	FUZZ_CHECK(err->offset <= len);
	if (r == -EBADMSG)
		FUZZ_CHECK((err->offset == len) == (strcmp(err->message, END_OF_INPUT) == 0));
	if (len > max_bytes)
		FUZZ_CHECK(r == -E2BIG && err->offset == max_bytes &&
			   strcmp(err->message, "input too large") == 0);
	*ret = NULL;
	return r;
}

static void check_string(const char *s, size_t n)
{
	FUZZ_CHECK(s != NULL);
	FUZZ_CHECK(strlen(s) == n);
	FUZZ_CHECK(json_ref_utf8_valid((const unsigned char *)s, n));
}

/* The value of obj's last member named key[0..len), found from the end
 * without json_get(); NULL if none. */
static const struct json_value *last_member(const struct json_value *obj, const char *key,
					    size_t len)
{
	for (uint32_t i = obj->n; i-- > 0;) {
		const struct json_member *m = &obj->u.members[i];
		if (m->key_len == len && memcmp(m->key, key, len) == 0)
			return &m->value;
	}
	return NULL;
}

/* v's tag and scalar content; a container's close is folded after its items. */
static void fold_value_head(uint64_t *h, const struct json_value *v)
{
	switch ((enum json_type)v->type) {
	case JSON_BOOL:
		json_ref_fold_byte(h, v->u.boolean ? 't' : 'f');
		break;
	case JSON_NUMBER:
		json_ref_fold_byte(h, v->exact_uint ? 'u' : 'd');
		if (v->exact_uint)
			json_ref_fold(h, &v->u.uint, sizeof(v->u.uint));
		else
			json_ref_fold(h, &v->u.number, sizeof(v->u.number));
		break;
	case JSON_STRING:
		json_ref_fold_string(h, 's', v->u.string, v->n);
		break;
	case JSON_ARRAY:
		json_ref_fold_byte(h, '[');
		break;
	case JSON_OBJECT:
		json_ref_fold_byte(h, '{');
		break;
	case JSON_NULL:
	default:
		json_ref_fold_byte(h, 'n');
		break;
	}
}

/* v, `depth` containers deep (itself included when it is one). */
static void check_value(const struct json_value *v, unsigned depth, struct json_ref_usage *u)
{
	uint64_t x;
	double d;
	bool b;

	u->values++;
	fold_value_head(&u->content, v);
	FUZZ_CHECK(v->type < _JSON_TYPE_MAX);
	FUZZ_CHECK(json_type_to_string((enum json_type)v->type) != NULL);
	for (int t = 0; t < _JSON_TYPE_MAX; t++)
		FUZZ_CHECK(json_is(v, (enum json_type)t) == (t == v->type));

	/* the accessors of the other types refuse it */
	if (v->type != JSON_OBJECT) {
		FUZZ_CHECK(json_get(v, "") == NULL);
		FUZZ_CHECK(json_member_at(v, 0) == NULL);
	}
	if (v->type != JSON_ARRAY)
		FUZZ_CHECK(json_at(v, 0) == NULL);
	if (v->type != JSON_STRING)
		FUZZ_CHECK(json_string(v) == NULL);
	if (v->type != JSON_NUMBER) {
		FUZZ_CHECK(!v->exact_uint);
		FUZZ_CHECK(json_u64(v, &x) == -EINVAL && json_double(v, &d) == -EINVAL);
	}
	if (v->type != JSON_BOOL)
		FUZZ_CHECK(json_bool(v, &b) == -EINVAL);

	switch ((enum json_type)v->type) {
	case JSON_NULL:
	case JSON_BOOL:
	case JSON_NUMBER:
		FUZZ_CHECK(json_len(v) == 0);
		break;
	default:
		FUZZ_CHECK(json_len(v) == v->n);
		break;
	}

	switch ((enum json_type)v->type) {
	case JSON_BOOL:
		FUZZ_CHECK(json_bool(v, &b) == 0 && b == v->u.boolean);
		break;
	case JSON_NUMBER:
		FUZZ_CHECK(json_double(v, &d) == 0);
		FUZZ_CHECK(isfinite(d));
		if (v->exact_uint) {
			FUZZ_CHECK(json_u64(v, &x) == 0 && x == v->u.uint);
			FUZZ_CHECK(d == (double)x);
		} else {
			FUZZ_CHECK(json_u64(v, &x) == -EINVAL);
			FUZZ_CHECK(memcmp(&d, &v->u.number, sizeof(d)) == 0);
		}
		break;
	case JSON_STRING:
		FUZZ_CHECK(json_string(v) == v->u.string);
		check_string(v->u.string, v->n);
		break;
	case JSON_ARRAY:
		if (depth > u->depth)
			u->depth = depth;
		for (uint32_t i = 0; i < v->n; i++) {
			FUZZ_CHECK(json_at(v, i) == &v->u.items[i]);
			check_value(&v->u.items[i], depth + 1, u);
		}
		json_ref_fold_byte(&u->content, ']');
		FUZZ_CHECK(json_at(v, v->n) == NULL);
		break;
	case JSON_OBJECT:
		if (depth > u->depth)
			u->depth = depth;
		for (uint32_t i = 0; i < v->n; i++) {
			const struct json_member *m = &v->u.members[i];
			FUZZ_CHECK(json_member_at(v, i) == m);
			check_string(m->key, m->key_len);
			json_ref_fold_string(&u->content, 'k', m->key, m->key_len);
			const struct json_value *found = json_get(v, m->key);
			FUZZ_CHECK(found == last_member(v, m->key, m->key_len));
			FUZZ_CHECK(found >= &m->value);   /* this one or a later one */
			if (m->key_len > 0) {
				/* a key one byte shorter: there or not */
				char *shorter = strndup(m->key, m->key_len - 1);
				FUZZ_CHECK(shorter != NULL);
				FUZZ_CHECK(json_get(v, shorter) ==
					   last_member(v, shorter, m->key_len - 1));
				free(shorter);
			}
			check_value(&m->value, depth + 1, u);
		}
		json_ref_fold_byte(&u->content, '}');
		FUZZ_CHECK(json_member_at(v, v->n) == NULL);
		FUZZ_CHECK(json_get(v, "\xff") == NULL);   /* never valid UTF-8 */
		break;
	case JSON_NULL:
	default:
		break;
	}
}

static struct json_ref_usage check_doc(const struct json_doc *doc)
{
	struct json_ref_usage u = { 0 };
	const struct json_value *root = json_doc_root(doc);

	FUZZ_CHECK(root != NULL);
	check_value(root, 1, &u);
	return u;
}

/* The parser's decision is the reference's: a document within the limits
 * is taken, one over a limit is refused with -E2BIG, anything else refused.
 * Returns what the reference counted. */
static struct json_ref_usage check_decision(const uint8_t *data, size_t size,
					    const struct json_limits *lim, int r)
{
	struct json_ref_usage ref;

	if (!json_ref_read(data, size, &ref)) {
		FUZZ_CHECK(r < 0);
		return (struct json_ref_usage){ 0 };
	}
	bool within = size <= (lim->max_bytes ? lim->max_bytes : JSON_DEFAULT_MAX_BYTES) &&
		ref.values <= (lim->max_values ? lim->max_values : JSON_DEFAULT_MAX_VALUES) &&
		ref.depth <= (lim->max_depth ? lim->max_depth : JSON_DEFAULT_MAX_DEPTH);
	FUZZ_CHECK(r == (within ? 0 : -E2BIG));
	return ref;
}

static void write_value(FILE *f, const struct json_value *v)
{
	char num[40];

	switch ((enum json_type)v->type) {
	case JSON_NULL:
		fputs("null", f);
		break;
	case JSON_BOOL:
		fputs(v->u.boolean ? "true" : "false", f);
		break;
	case JSON_NUMBER:
		if (v->exact_uint) {
			fprintf(f, "%" PRIu64, v->u.uint);
			break;
		}
		/* 17 digits give the same double back; ".0" keeps a whole
		 * number from coming back as an exact integer */
		snprintf(num, sizeof(num), "%.17g", v->u.number);
		fputs(num, f);
		if (!strpbrk(num, ".eE-"))
			fputs(".0", f);
		break;
	case JSON_STRING:
		json_write_string(f, v->u.string);
		break;
	case JSON_ARRAY:
		fputc('[', f);
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				fputc(',', f);
			write_value(f, &v->u.items[i]);
		}
		fputc(']', f);
		break;
	case JSON_OBJECT:
		fputc('{', f);
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				fputc(',', f);
			json_write_string(f, v->u.members[i].key);
			fputc(':', f);
			write_value(f, &v->u.members[i].value);
		}
		fputc('}', f);
		break;
	default:
		FUZZ_CHECK(!"unknown type");
	}
}

static char *write_doc(const struct json_doc *doc, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	FUZZ_CHECK(f != NULL);
	write_value(f, json_doc_root(doc));
	FUZZ_CHECK(fclose(f) == 0);
	return buf;
}

static void check_same(const struct json_value *a, const struct json_value *b)
{
	FUZZ_CHECK(a->type == b->type && a->n == b->n);
	switch ((enum json_type)a->type) {
	case JSON_BOOL:
		FUZZ_CHECK(a->u.boolean == b->u.boolean);
		break;
	case JSON_NUMBER:
		FUZZ_CHECK(a->exact_uint == b->exact_uint);
		if (a->exact_uint)
			FUZZ_CHECK(a->u.uint == b->u.uint);
		else   /* bit for bit: -0 stays -0 */
			FUZZ_CHECK(memcmp(&a->u.number, &b->u.number, sizeof(double)) == 0);
		break;
	case JSON_STRING:
		FUZZ_CHECK(memcmp(a->u.string, b->u.string, a->n) == 0);
		break;
	case JSON_ARRAY:
		for (uint32_t i = 0; i < a->n; i++)
			check_same(&a->u.items[i], &b->u.items[i]);
		break;
	case JSON_OBJECT:
		for (uint32_t i = 0; i < a->n; i++) {
			const struct json_member *ma = &a->u.members[i], *mb = &b->u.members[i];
			FUZZ_CHECK(ma->key_len == mb->key_len);
			FUZZ_CHECK(memcmp(ma->key, mb->key, ma->key_len) == 0);
			check_same(&ma->value, &mb->value);
		}
		break;
	case JSON_NULL:
	default:
		break;
	}
}

/* Each limit set to what the document uses parses; one less is refused. */
static void check_limits_exact(const char *text, size_t len, struct json_ref_usage u)
{
	static const char *const over[3] = { "input too large", "too many values",
					     "nesting too deep" };
	/* a zero limit is the default: the limit 1 has no "one less" */
	const bool can_lower[3] = { len > 1, u.values > 1, u.depth > 1 };
	struct json_limits at = { .max_bytes = len, .max_values = u.values,
				  .max_depth = u.depth };
	struct json_doc *doc;
	struct json_error err;

	FUZZ_CHECK(parse(text, len, &at, &doc, &err) == 0);
	json_doc_free(doc);
	for (int i = 0; i < 3; i++) {
		if (!can_lower[i])
			continue;
		struct json_limits less = at;
		if (i == 0)
			less.max_bytes--;
		else if (i == 1)
			less.max_values--;
		else
			less.max_depth--;
		FUZZ_CHECK(parse(text, len, &less, &doc, &err) == -E2BIG);
		FUZZ_CHECK(strcmp(err.message, over[i]) == 0);
	}
}

/* A byte after the document is refused where it is; cutting the last byte
 * (a closing bracket or quote, the end of a literal) is refused. */
static void check_ends(const char *text, size_t len)
{
	struct json_doc *doc;
	struct json_error err;
	char *more = malloc(len + 2);

	FUZZ_CHECK(more != NULL);
	memcpy(more, text, len);
	memcpy(more + len, " x", 2);
	FUZZ_CHECK(parse(more, len + 2, NULL, &doc, &err) == -EBADMSG);
	FUZZ_CHECK(err.offset == len + 1 && strstr(err.message, "trailing") != NULL);
	free(more);

	size_t last = len;
	while (last > 0 && strchr(" \t\r\n", text[last - 1]))
		last--;
	FUZZ_CHECK(last > 0);
	if (text[last - 1] < '0' || text[last - 1] > '9')
		FUZZ_CHECK(parse(text, last - 1, NULL, &doc, &err) == -EBADMSG);
}

static void check_rewrite(const struct json_doc *doc, struct json_ref_usage u)
{
	size_t len, len2;
	char *text = write_doc(doc, &len);
	struct json_limits lim = { .max_values = u.values, .max_depth = u.depth };
	struct json_doc *again;
	struct json_error err;

	if (parse(text, len, &lim, &again, &err) != 0) {
		fprintf(stderr, "rewritten as \"%s\": %s at %zu\n", text, err.message, err.offset);
		FUZZ_CHECK(!"the rewritten document parses");
	}
	check_same(json_doc_root(doc), json_doc_root(again));
	char *text2 = write_doc(again, &len2);
	FUZZ_CHECK(len == len2 && memcmp(text, text2, len) == 0);
	free(text2);
	json_doc_free(again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	data++, size--;
	struct json_limits lim = { .max_depth = ctl & 0x07 };
	if (ctl & 0x38)
		lim.max_values = (size_t)1 << (ctl >> 3 & 0x07);
	if (ctl & 0x40) {
		if (size < 1)
			return 0;
		lim.max_bytes = data[0];
		data++, size--;
	}
	const bool limited = lim.max_depth || lim.max_values || lim.max_bytes;
	const char *text = (const char *)data;
	struct json_doc *doc, *doc_def;
	struct json_error err, err_def;

	int r = parse(text, size, &lim, &doc, &err);
	struct json_ref_usage counted = check_decision(data, size, &lim, r);
	/* the defaults are wider than any limit above */
	int r_def = limited ? parse(text, size, NULL, &doc_def, &err_def) : r;
	if (limited && r != -E2BIG) {
		FUZZ_CHECK(r_def == r);
		if (r < 0)
			FUZZ_CHECK(err_def.offset == err.offset &&
				   strcmp(err_def.message, err.message) == 0);
	}
	if (limited && r_def == 0) {
		check_doc(doc_def);
		if (r == 0)
			check_same(json_doc_root(doc), json_doc_root(doc_def));
		json_doc_free(doc_def);
	}
	if (r < 0)
		return 0;

	struct json_ref_usage u = check_doc(doc);
	FUZZ_CHECK(u.values == counted.values && u.depth == counted.depth);
	FUZZ_CHECK(u.content == counted.content);
	FUZZ_CHECK(u.depth <= (lim.max_depth ? lim.max_depth : JSON_DEFAULT_MAX_DEPTH));
	FUZZ_CHECK(u.values <= (lim.max_values ? lim.max_values : JSON_DEFAULT_MAX_VALUES));
	check_limits_exact(text, size, u);
	check_ends(text, size);
	check_rewrite(doc, u);
	json_doc_free(doc);
	return 0;
}
