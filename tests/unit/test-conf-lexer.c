#include "config.h"

#include <errno.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "conf_lexer.h"

static struct conf_token_list lex(const char *s, int *r)
{
	struct conf_token_list l = { 0 };
	int rr = conf_lex_line(s, strlen(s), &l);
	if (r)
		*r = rr;
	return l;
}

static void test_words_and_spaces(void **state)
{
	struct conf_token_list l = lex("  priority\t100   x ", NULL);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.tokens[0].text, "priority");
	assert_string_equal(l.tokens[1].text, "100");
	assert_string_equal(l.tokens[2].text, "x");
	assert_false(l.tokens[0].quoted);
	conf_token_list_done(&l);
}

static void test_quotes_join_and_keep_spaces(void **state)
{
	struct conf_token_list l = lex("a \"b c\" ab\"c d\"e 'x y' \"\"", NULL);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.tokens[1].text, "b c");
	assert_true(l.tokens[1].quoted);
	assert_string_equal(l.tokens[2].text, "abc de");
	assert_string_equal(l.tokens[3].text, "x y");
	assert_string_equal(l.tokens[4].text, "");
	assert_true(l.tokens[4].quoted);
	conf_token_list_done(&l);
}

static void test_escapes_in_quotes(void **state)
{
	struct conf_token_list l = lex("\"\\t\\x41\\101\\\"\\\\\\cA\"", NULL);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.tokens[0].text, "\tAA\"\\\x01");
	conf_token_list_done(&l);
}

static void test_braces(void **state)
{
	struct conf_token_list l = lex("vs 10.0.0.1 80{ } \"{\" {a,b}.conf }x", NULL);
	const enum conf_token_kind want[] = { CONF_TOKEN_WORD, CONF_TOKEN_WORD, CONF_TOKEN_WORD,
					      CONF_TOKEN_OPEN, CONF_TOKEN_CLOSE, CONF_TOKEN_WORD,
					      CONF_TOKEN_WORD, CONF_TOKEN_CLOSE, CONF_TOKEN_WORD };
	assert_int_equal(l.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal(l.tokens[i].kind, want[i]);
	assert_string_equal(l.tokens[2].text, "80");
	assert_string_equal(l.tokens[5].text, "{");  /* quoted brace is a word */
	assert_string_equal(l.tokens[6].text, "{a,b}.conf");
	assert_string_equal(l.tokens[8].text, "x");
	conf_token_list_done(&l);
}

static void test_unterminated_quote(void **state)
{
	int r;
	struct conf_token_list l = lex("a \"b c", &r);
	assert_int_equal(r, -EINVAL);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.tokens[1].text, "b c");
	conf_token_list_done(&l);
}

static void test_comment_start(void **state)
{
	const char *s = "a b # c";
	assert_int_equal(conf_lex_comment_start(s, strlen(s)), 4);
	s = "a \"#b\" !c";
	assert_int_equal(conf_lex_comment_start(s, strlen(s)), 7);
	s = "pass\"\\\"#\"x";
	assert_int_equal(conf_lex_comment_start(s, strlen(s)), strlen(s));
	s = "no comment";
	assert_int_equal(conf_lex_comment_start(s, strlen(s)), strlen(s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_spaces),
		cmocka_unit_test(test_quotes_join_and_keep_spaces),
		cmocka_unit_test(test_escapes_in_quotes),
		cmocka_unit_test(test_braces),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_comment_start),
	};
	return cmocka_run_group_tests_name("conf_lexer", tests, NULL, NULL);
}
