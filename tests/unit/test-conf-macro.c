#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "conf_macro.h"

static void define(struct conf_macros *m, const char *name, const char *value)
{
	conf_macros_define(m, name, strlen(name), value);
}

static void assert_expands(struct conf_macros *m, const char *in, const char *want)
{
	bool changed;
	char *out = conf_macros_expand(m, in, &changed);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(changed, strcmp(in, want) != 0);
	free(out);
}

static void test_plain_and_braced(void **state)
{
	struct conf_macros *m = conf_macros_new("main");
	define(m, "PRIO", "240");
	assert_expands(m, "priority $PRIO", "priority 240");
	assert_expands(m, "priority ${PRIO}0", "priority 2400");
	/* $NAME not followed by space is not a use */
	assert_expands(m, "priority $PRIOx", "priority $PRIOx");
	assert_expands(m, "a ${UNDEF} $UNDEF", "a ${UNDEF} $UNDEF");
	conf_macros_free(m);
}

static void test_late_binding(void **state)
{
	/* the man page's ADDRESS_BASE example */
	struct conf_macros *m = conf_macros_new("");
	define(m, "ADDRESS_BASE", "10.2.${ADDRESS_BASE_SUB}");
	define(m, "ADDRESS_BASE_SUB", "0");
	assert_expands(m, "${ADDRESS_BASE}.100/32", "10.2.0.100/32");
	define(m, "ADDRESS_BASE_SUB", "10");
	assert_expands(m, "${ADDRESS_BASE}.100/32", "10.2.10.100/32");
	conf_macros_free(m);
}

static void test_predefined(void **state)
{
	struct conf_macros *m = conf_macros_new("node1");
	conf_macros_set_pwd(m, "/etc/lbha");
	assert_expands(m, "${_PWD}/x ${_INSTANCE} ${_HASH}${_BANG}", "/etc/lbha/x node1 #!");
	bool changed;
	char *r = conf_macros_expand(m, "${_RANDOM 5 7}", &changed);
	long v = strtol(r, NULL, 10);
	assert_true(v >= 5 && v <= 7);
	free(r);
	conf_macros_free(m);
}

static void test_self_reference_fails(void **state)
{
	struct conf_macros *m = conf_macros_new("");
	define(m, "A", "x${A}");
	bool changed;
	assert_null(conf_macros_expand(m, "${A}", &changed));
	conf_macros_free(m);
}

static void test_is_definition(void **state)
{
	size_t vs;
	assert_int_equal(conf_macros_is_definition("$NAME=value", &vs), 4);
	assert_int_equal(vs, 6);
	assert_int_equal(conf_macros_is_definition("$N_1=", &vs), 3);
	assert_int_equal(conf_macros_is_definition("$1N=x", &vs), 0);
	assert_int_equal(conf_macros_is_definition("$NAME =x", &vs), 0);
	assert_int_equal(conf_macros_is_definition("NAME=x", &vs), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_braced),
		cmocka_unit_test(test_late_binding),
		cmocka_unit_test(test_predefined),
		cmocka_unit_test(test_self_reference_fails),
		cmocka_unit_test(test_is_definition),
	};
	return cmocka_run_group_tests_name("conf_macro", tests, NULL, NULL);
}
