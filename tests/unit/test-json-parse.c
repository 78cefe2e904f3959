#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_parse.h"
#include "xalloc.h"

static struct json_doc *parse_ok(const char *text)
{
	struct json_doc *doc = NULL;
	struct json_error err = { 0 };
	int r = json_parse(text, strlen(text), NULL, &doc, &err);

	if (r != 0)
		fail_msg("refused %s: %s at %zu", text, err.message, err.offset);
	return doc;
}

static void test_scalars(void **state)
{
	struct json_doc *doc;
	uint64_t u;
	double d;
	bool b;

	doc = parse_ok(" null ");
	assert_true(json_is(json_doc_root(doc), JSON_NULL));
	doc = json_doc_free(doc);

	doc = parse_ok("true");
	assert_int_equal(json_bool(json_doc_root(doc), &b), 0);
	assert_true(b);
	assert_int_equal(json_u64(json_doc_root(doc), &u), -EINVAL);
	doc = json_doc_free(doc);

	doc = parse_ok("\n\t\rfalse");
	assert_int_equal(json_bool(json_doc_root(doc), &b), 0);
	assert_false(b);
	doc = json_doc_free(doc);

	doc = parse_ok("18446744073709551615");
	assert_int_equal(json_u64(json_doc_root(doc), &u), 0);
	assert_true(u == UINT64_MAX);
	doc = json_doc_free(doc);

	/* One more does not fit: a double, not an exact integer. */
	doc = parse_ok("18446744073709551616");
	assert_int_equal(json_u64(json_doc_root(doc), &u), -EINVAL);
	assert_int_equal(json_double(json_doc_root(doc), &d), 0);
	assert_true(d > 1.8e19);
	doc = json_doc_free(doc);

	static const struct {
		const char *text;
		double value;
		bool exact;
	} numbers[] = {
		{ "0", 0, true }, { "-0", 0, false }, { "7", 7, true }, { "-12", -12, false },
		{ "1.5", 1.5, false }, { "-2.25e2", -225, false }, { "1E+2", 100, false },
		{ "5e-1", 0.5, false }, { "10.0", 10, false },
	};
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		doc = parse_ok(numbers[i].text);
		assert_int_equal(json_double(json_doc_root(doc), &d), 0);
		assert_true(d == numbers[i].value);
		assert_int_equal(json_u64(json_doc_root(doc), &u) == 0, numbers[i].exact);
		doc = json_doc_free(doc);
	}
}

static void test_strings(void **state)
{
	struct json_doc *doc;

	doc = parse_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\"");
	assert_string_equal(json_string(json_doc_root(doc)), "a\"b\\c/d\b\f\n\r\te");
	assert_int_equal(json_len(json_doc_root(doc)), 13);
	doc = json_doc_free(doc);

	/* \u escapes become UTF-8; a surrogate pair is one code point; raw
	 * UTF-8 passes through. */
	doc = parse_ok("\"\\u00e9\\u20AC\\ud83d\\ude00 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	assert_string_equal(json_string(json_doc_root(doc)),
			    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	doc = json_doc_free(doc);

	doc = parse_ok("\"\"");
	assert_string_equal(json_string(json_doc_root(doc)), "");
	assert_null(json_string(NULL));
	doc = json_doc_free(doc);
}

static void test_containers(void **state)
{
	struct json_doc *doc = parse_ok(
		"{\"name\": \"VI_1\", \"list\": [1, [], {}, [true, null]], \"o\": {\"k\\u0041\": 3},"
		" \"name\": \"second\", \"e\": []}");
	const struct json_value *root = json_doc_root(doc), *list, *v;
	uint64_t u;

	assert_true(json_is(root, JSON_OBJECT));
	assert_int_equal(json_len(root), 5);
	/* A repeated key: the last wins, as in Python and jq; both are members. */
	assert_string_equal(json_string(json_get(root, "name")), "second");
	assert_string_equal(json_string(&json_member_at(root, 0)->value), "VI_1");
	list = json_get(root, "list");
	assert_int_equal(json_len(list), 4);
	assert_int_equal(json_u64(json_at(list, 0), &u), 0);
	assert_int_equal(u, 1);
	assert_true(json_is(json_at(list, 1), JSON_ARRAY));
	assert_int_equal(json_len(json_at(list, 1)), 0);
	assert_true(json_is(json_at(list, 2), JSON_OBJECT));
	assert_true(json_is(json_at(json_at(list, 3), 1), JSON_NULL));
	assert_null(json_at(list, 4));
	v = json_get(json_get(root, "o"), "kA");
	assert_int_equal(json_u64(v, &u), 0);
	assert_int_equal(u, 3);
	assert_string_equal(json_member_at(root, 1)->key, "list");
	assert_null(json_member_at(root, 5));
	assert_null(json_member_at(list, 0));

	/* Every accessor takes NULL and the wrong type. */
	assert_null(json_get(NULL, "x"));
	assert_null(json_get(list, "x"));
	assert_null(json_get(root, "missing"));
	assert_null(json_at(root, 0));
	assert_int_equal(json_len(NULL), 0);
	assert_int_equal(json_u64(NULL, &u), -EINVAL);
	assert_null(json_string(json_get(json_at(json_get(NULL, "a"), 3), "b")));
	assert_string_equal(json_type_to_string(JSON_OBJECT), "object");
	assert_null(json_type_to_string(_JSON_TYPE_MAX));
	json_doc_free(doc);
	assert_null(json_doc_free(NULL));
}

/* Malformed inputs: each is refused with the right error at the right
 * offset, and never crashes (ASan/valgrind runs check the "never"). */
static void test_malformed(void **state)
{
	static const struct {
		const char *text;
		size_t offset;
		const char *message;   /* a substring of it */
	} bad[] = {
		{ "", 0, "end of input" },
		{ "   ", 3, "end of input" },
		{ "{", 1, "end of input" },
		{ "[1,", 3, "end of input" },
		{ "[1,]", 3, "expected a value" },
		{ "{\"a\":1,}", 7, "object key" },
		{ "{\"a\" 1}", 5, "expected ':'" },
		{ "{a:1}", 1, "object key" },
		{ "[1 2]", 3, "expected ',' or ']'" },
		{ "{\"a\":1 \"b\":2}", 7, "expected ',' or '}'" },
		{ "[1}", 2, "expected ',' or ']'" },
		{ "{\"a\":1]", 6, "expected ',' or '}'" },
		{ "[01]", 2, "expected ',' or ']'" },
		{ "01", 1, "trailing" },
		{ "[1.]", 3, "after '.'" },
		{ "[.5]", 1, "expected a value" },
		{ "[1e]", 3, "exponent" },
		{ "[1e+]", 4, "exponent" },
		{ "[+1]", 1, "expected a value" },
		{ "[-]", 2, "invalid number" },
		{ "[-a]", 2, "invalid number" },
		{ "tru", 0, "expected a value" },
		{ "nul", 0, "expected a value" },
		{ "True", 0, "expected a value" },
		{ "[true false]", 6, "expected ',' or ']'" },
		{ "\"abc", 4, "end of input" },
		{ "\"a\x01\"", 2, "control character" },
		{ "\"a\tb\"", 2, "control character" },
		{ "\"\\x\"", 1, "invalid escape" },
		{ "\"\\u12\"", 1, "\\u escape" },
		{ "\"\\u12G4\"", 1, "\\u escape" },
		{ "\"\\ud800\"", 1, "low half" },
		{ "\"\\ud800\\u0041\"", 1, "low half" },
		{ "\"\\udc00\"", 1, "lone low surrogate" },
		{ "\"\\u0000\"", 1, "not supported" },
		{ "\"\xff\"", 1, "UTF-8" },
		{ "\"\xc0\xaf\"", 1, "UTF-8" },            /* overlong '/' */
		{ "\"\xe0\x80\xaf\"", 1, "UTF-8" },        /* overlong, 3 bytes */
		{ "\"\xed\xa0\x80\"", 1, "UTF-8" },        /* a surrogate as UTF-8 */
		{ "\"\xf4\x90\x80\x80\"", 1, "UTF-8" },    /* above U+10FFFF */
		{ "\"\xc3\"", 1, "UTF-8" },                /* cut sequence */
		{ "\"\xe2\x82\"", 1, "UTF-8" },
		{ "[1] x", 4, "trailing" },
		{ "{\"a\":1}}", 7, "trailing" },
		{ "NaN", 0, "expected a value" },
		{ "[Infinity]", 1, "expected a value" },
		{ "'a'", 0, "expected a value" },
		{ "/*c*/1", 0, "expected a value" },
		{ "1e999", 0, "out of range" },
		{ "[-1e999]", 1, "out of range" },
		{ "\xef\xbb\xbf{}", 0, "expected a value" },  /* no BOM */
		{ "[1,\f2]", 3, "expected a value" },         /* not JSON whitespace */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_doc *doc = (struct json_doc *)&bad;  /* must stay untouched */
		struct json_error err = { 0 };
		int r = json_parse(bad[i].text, strlen(bad[i].text), NULL, &doc, &err);
		if (r != -EBADMSG || doc != (struct json_doc *)&bad)
			fail_msg("%s: r=%d", bad[i].text, r);
		if (err.offset != bad[i].offset || !err.message || !strstr(err.message, bad[i].message))
			fail_msg("%s: \"%s\" at %zu, expected \"%s\" at %zu", bad[i].text,
				 err.message ? err.message : "(null)", err.offset, bad[i].message,
				 bad[i].offset);
	}

	/* A NUL byte inside the input is an error, not the end. */
	struct json_doc *doc = NULL;
	struct json_error err;
	assert_int_equal(json_parse("[1\0]", 4, NULL, &doc, &err), -EBADMSG);
	assert_int_equal(err.offset, 2);
	assert_int_equal(json_parse("\"a\0\"", 4, NULL, &doc, &err), -EBADMSG);
	assert_int_equal(err.offset, 2);
	/* The input need not be NUL-terminated. */
	assert_int_equal(json_parse("[12]xyz", 4, NULL, &doc, NULL), 0);
	json_doc_free(doc);
	/* ret_error may be NULL. */
	assert_int_equal(json_parse("[", 1, NULL, &doc, NULL), -EBADMSG);
}

/* Every proper prefix of a valid document is refused, every one-byte
 * change is parsed or refused cleanly. */
static void test_truncated_and_mutated(void **state)
{
	static const char text[] =
		"{\"role\": \"vrrp\", \"pid\": 24378, \"instances\": [{\"name\": \"VI_\\u0031\","
		" \"state\": \"MASTER\", \"prio\": [120, 1.5e1, -3], \"held\": false, \"m\": null}],"
		" \"s\": \"\xc3\xa9\\ud83d\\ude00\"}";
	size_t len = strlen(text);
	struct json_doc *doc = NULL;
	struct json_error err;

	for (size_t n = 0; n < len; n++) {
		if (json_parse(text, n, NULL, &doc, &err) != -EBADMSG)
			fail_msg("prefix of %zu bytes accepted", n);
		assert_true(err.offset <= n);
	}
	assert_int_equal(json_parse(text, len, NULL, &doc, NULL), 0);
	json_doc_free(doc);

	char *copy = xstrdup(text);
	static const char subst[] = { '\0', '"', '\\', '{', '}', '[', ']', ',', ':', '0', 'x',
				      (char)0x80, (char)0xff };
	for (size_t i = 0; i < len; i++)
		for (size_t k = 0; k < sizeof(subst); k++) {
			char saved = copy[i];
			copy[i] = subst[k];
			doc = NULL;
			int r = json_parse(copy, len, NULL, &doc, &err);
			assert_true(r == 0 || r == -EBADMSG);
			assert_true(r == 0 ? doc != NULL : err.offset <= len);
			json_doc_free(doc);
			copy[i] = saved;
		}
	free(copy);
}

static char *repeat(const char *a, size_t n, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = xmalloc(la * n + lb * n + 1), *p = s;

	for (size_t i = 0; i < n; i++, p += la)
		memcpy(p, a, la);
	for (size_t i = 0; i < n; i++, p += lb)
		memcpy(p, b, lb);
	*p = '\0';
	return s;
}

static void test_limits(void **state)
{
	struct json_doc *doc = NULL;
	struct json_error err;
	char *s;

	/* Depth: the default allows 64 open containers, not 65. */
	s = repeat("[", JSON_DEFAULT_MAX_DEPTH, "]");
	assert_int_equal(json_parse(s, strlen(s), NULL, &doc, &err), 0);
	doc = json_doc_free(doc);
	free(s);
	s = repeat("{\"a\":", JSON_DEFAULT_MAX_DEPTH + 1, "}");
	assert_int_equal(json_parse(s, strlen(s), NULL, &doc, &err), -E2BIG);
	assert_int_equal(err.offset, 5 * JSON_DEFAULT_MAX_DEPTH);
	assert_string_equal(err.message, "nesting too deep");
	free(s);

	/* A million '[' is refused at the limit: the parser does not recurse. */
	s = repeat("[", 1000000, "");
	assert_int_equal(json_parse(s, strlen(s), NULL, &doc, &err), -E2BIG);
	assert_int_equal(err.offset, JSON_DEFAULT_MAX_DEPTH);
	free(s);

	struct json_limits lim = { .max_depth = 2 };
	assert_int_equal(json_parse("[[1]]", 5, &lim, &doc, &err), 0);
	doc = json_doc_free(doc);
	assert_int_equal(json_parse("[[[1]]]", 7, &lim, &doc, &err), -E2BIG);
	assert_int_equal(err.offset, 2);

	/* Values: a container and its items each count. */
	lim = (struct json_limits){ .max_values = 4 };
	assert_int_equal(json_parse("[1,2,3]", 7, &lim, &doc, &err), 0);
	doc = json_doc_free(doc);
	assert_int_equal(json_parse("[1,2,3,4]", 9, &lim, &doc, &err), -E2BIG);
	assert_int_equal(err.offset, 7);
	assert_string_equal(err.message, "too many values");

	/* Bytes. */
	lim = (struct json_limits){ .max_bytes = 8 };
	assert_int_equal(json_parse("[1,2,3]", 7, &lim, &doc, &err), 0);
	doc = json_doc_free(doc);
	assert_int_equal(json_parse("[1,2,3,4]", 9, &lim, &doc, &err), -E2BIG);
	assert_int_equal(err.offset, 8);
	assert_string_equal(err.message, "input too large");
}

/* Big containers land in the arena in one piece each, items in order. */
static void test_large(void **state)
{
	enum { N = 200000 };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	assert_non_null(f);
	fputs("{\"small\": [1, 2], \"items\": [", f);
	for (unsigned i = 0; i < N; i++)
		fprintf(f, "%s{\"i\": %u, \"s\": \"x%u\"}", i ? ", " : "", i, i);
	fputs("], \"after\": true}", f);
	assert_int_equal(fclose(f), 0);

	struct json_doc *doc = parse_ok(buf);
	const struct json_value *items = json_get(json_doc_root(doc), "items");
	assert_int_equal(json_len(items), N);
	for (unsigned i = 0; i < N; i += 997) {
		uint64_t u;
		char want[16];
		assert_int_equal(json_u64(json_get(json_at(items, i), "i"), &u), 0);
		assert_int_equal(u, i);
		snprintf(want, sizeof(want), "x%u", i);
		assert_string_equal(json_string(json_get(json_at(items, i), "s")), want);
	}
	assert_int_equal(json_len(json_get(json_doc_root(doc), "small")), 2);
	assert_true(json_is(json_get(json_doc_root(doc), "after"), JSON_BOOL));
	json_doc_free(doc);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated_and_mutated),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests_name("json_parse", tests, NULL, NULL);
}
