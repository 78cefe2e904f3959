#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf_parse.h"
#include "diag.h"
#include "xalloc.h"

/* Each test gets its own temporary directory for files. */
struct fixture {
	char dir[64];
	struct diag d;
	struct conf_tree *tree;
};

static int setup(void **state)
{
	struct fixture *f = xnew(struct fixture);
	strcpy(f->dir, "/tmp/lbha-test-parse-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	diag_init(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	conf_tree_free(f->tree);
	diag_done(&f->d);
	free(f);
	return 0;
}

static char *write_file(struct fixture *f, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", f->dir, name);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0755);
	*slash = '/';
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void put_file(struct fixture *f, const char *name, const char *text)
{
	free(write_file(f, name, text));
}

static int parse_text(struct fixture *f, const char *text, const char *config_id)
{
	struct conf_parse_options o = { .config_id = config_id };
	return conf_parse_string("t.conf", text, strlen(text), &o, &f->d, &f->tree);
}

/* The diagnostics as one string, "file:line: severity: message\n" each. */
static char *diags(const struct diag *d)
{
	char *out = xstrdup(""), buf[1024];
	for (size_t i = 0; i < d->n_entries; i++) {
		diag_format(&d->entries[i], buf, sizeof(buf));
		char *n = xasprintf("%s%s\n", out, buf);
		free(out);
		out = n;
	}
	return out;
}

static void assert_diag(const struct fixture *f, const char *needle)
{
	char *all = diags(&f->d);
	if (!strstr(all, needle))
		fail_msg("expected diagnostic containing \"%s\", got:\n%s", needle, all);
	free(all);
}

static const struct conf_node *child(const struct conf_node *n, size_t i)
{
	while (n && i--)
		n = n->next;
	assert_non_null(n);
	return n;
}

static void test_tree_and_places(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "! comment\n"
				       "global_defs {\n"
				       "   router_id R1  # trailing comment\n"
				       "}\n"
				       "vrrp_instance VI_1 {\n"
				       "  virtual_ipaddress {\n"
				       "    10.0.0.1/24 dev eth0\n"
				       "  }\n"
				       "}\n", NULL), 0);
	const struct conf_node *g = f->tree->root;
	assert_string_equal(g->keyword, "global_defs");
	assert_true(g->is_block);
	assert_int_equal(g->line, 2);
	assert_string_equal(g->children->keyword, "router_id");
	assert_int_equal(g->children->n_args, 1);
	assert_string_equal(g->children->args[0].text, "R1");
	assert_int_equal(g->children->line, 3);
	const struct conf_node *vi = child(f->tree->root, 1);
	assert_string_equal(vi->args[0].text, "VI_1");
	const struct conf_node *vip = vi->children->children;
	assert_string_equal(vip->keyword, "10.0.0.1/24");
	assert_int_equal(vip->n_args, 2);
	assert_int_equal(vip->line, 7);
	assert_string_equal(vip->file, "t.conf");
	assert_int_equal(f->d.n_entries, 0);
}

static void test_brace_styles(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "a\n{\n  x 1 }\n"
				       "b { c }\n"
				       "d{\n}\n", NULL), 0);
	const struct conf_node *a = f->tree->root;
	assert_true(a->is_block);
	assert_string_equal(a->children->keyword, "x");
	const struct conf_node *b = a->next;
	assert_true(b->is_block);
	assert_string_equal(b->children->keyword, "c");
	const struct conf_node *d = b->next;
	assert_string_equal(d->keyword, "d");
	assert_true(d->is_block);
	assert_null(d->children);
	assert_null(d->next);
}

static void test_unbalanced(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "}\na {\n  b {\n}\n", NULL), -EINVAL);
	assert_diag(f, "t.conf:1: error: unexpected '}' with no open block");
	assert_diag(f, "t.conf:2: error: block 'a' opened here is never closed");
	assert_int_equal(f->d.n_errors, 2);
}

static void test_lone_open_brace(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "a {\n}\n{\n x\n}\n", NULL), -EINVAL);
	assert_diag(f, "t.conf:3: error: unexpected '{' with no keyword before it");
	assert_int_equal(f->d.n_errors, 1);
	/* the orphan block's contents are not in the tree */
	assert_null(f->tree->root->next);
}

static void test_conditionals(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "@main p 1\n@backup p 2\n@^main q 3\n@^other q 4\n", "main"),
			 0);
	const struct conf_node *n = f->tree->root;
	assert_string_equal(n->args[0].text, "1");
	assert_string_equal(n->next->keyword, "q");
	assert_string_equal(n->next->args[0].text, "4");
	assert_null(n->next->next);
}

static void test_multiline_macro(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "$INST= \\\n"
				       "vrrp_instance VI_${NUM} { \\\n"
				       "  @high priority 130 \\\n"
				       "  @low priority 120 \\\n"
				       "}\n"
				       "$NUM=0\n"
				       "$INST\n"
				       "$NUM=1\n"
				       "$INST\n", "low"), 0);
	const struct conf_node *a = f->tree->root, *b = a->next;
	assert_string_equal(a->args[0].text, "VI_0");
	assert_string_equal(b->args[0].text, "VI_1");
	assert_string_equal(a->children->args[0].text, "120");
	assert_null(a->children->next);
	/* expanded lines carry the line of the use */
	assert_int_equal(a->line, 7);
	assert_int_equal(b->children->line, 9);
}

static void test_macro_makes_condition(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "$IF_MAIN=@main\n$IF_MAIN priority 240\n", "main"), 0);
	assert_string_equal(f->tree->root->keyword, "priority");
	conf_tree_free(f->tree);
	assert_int_equal(parse_text(f, "$IF_MAIN=@main\n$IF_MAIN priority 240\n", "other"), 0);
	assert_null(f->tree->root);
}

static void test_recursive_macro(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "$A=${A}x\nk ${A}\n", NULL), -EINVAL);
	assert_diag(f, "t.conf:2: error: parameter expansion does not end");
}

static void test_include_glob_relative_sorted(void **state)
{
	struct fixture *f = *state;
	put_file(f, "conf.d/20-b.conf", "b 2\n");
	put_file(f, "conf.d/10-a.conf", "a 1\ninclude sub/x.inc\n");
	put_file(f, "conf.d/sub/x.inc", "x 3\n");
	char *main_path = write_file(f, "main.conf", "first\nvs {\n  include conf.d/*.conf\n}\nlast\n");
	assert_int_equal(conf_parse_file(main_path, NULL, &f->d, &f->tree), 0);
	const struct conf_node *vs = f->tree->root->next;
	assert_string_equal(vs->keyword, "vs");
	const struct conf_node *a = vs->children;
	assert_string_equal(a->keyword, "a");
	assert_non_null(strstr(a->file, "conf.d/10-a.conf"));
	assert_int_equal(a->line, 1);
	assert_string_equal(a->next->keyword, "x");
	assert_non_null(strstr(a->next->file, "conf.d/sub/x.inc"));
	assert_string_equal(a->next->next->keyword, "b");
	assert_string_equal(vs->next->keyword, "last");
	assert_int_equal(f->tree->n_files, 4);
	free(main_path);
}

static void test_include_errors(void **state)
{
	struct fixture *f = *state;
	put_file(f, "a.conf", "include b.conf\n");
	put_file(f, "b.conf", "k 1\ninclude a.conf\n");
	char *main_path = write_file(f, "main.conf", "include a.conf\ninclude missing.conf\n"
						     "include none/*.conf\ninclude\n");
	assert_int_equal(conf_parse_file(main_path, NULL, &f->d, &f->tree), -EINVAL);
	assert_diag(f, "b.conf:2: error: include loop: '");
	assert_diag(f, "main.conf:2: error: include '");
	assert_diag(f, "missing.conf': No such file or directory");
	assert_diag(f, "main.conf:3: warning: include '");
	assert_diag(f, "main.conf:4: error: 'include' needs a file name");
	assert_int_equal(f->d.n_errors, 3);
	free(main_path);
}

static void test_included_file_must_balance(void **state)
{
	struct fixture *f = *state;
	put_file(f, "open.inc", "x {\n");
	put_file(f, "close.inc", "}\n");
	char *main_path = write_file(f, "main.conf", "v {\ninclude open.inc\ninclude close.inc\n}\n");
	assert_int_equal(conf_parse_file(main_path, NULL, &f->d, &f->tree), -EINVAL);
	assert_diag(f, "open.inc:1: error: block 'x' opened here is never closed");
	assert_diag(f, "close.inc:1: error: unexpected '}': it would close block 'v'");
	/* main.conf itself stays balanced */
	assert_int_equal(f->d.n_errors, 2);
	free(main_path);
}

static void test_unreadable_file(void **state)
{
	struct fixture *f = *state;
	char *path = xasprintf("%s/nope.conf", f->dir);
	assert_int_equal(conf_parse_file(path, NULL, &f->d, &f->tree), -ENOENT);
	assert_int_equal(f->d.n_errors, 1);
	assert_diag(f, "cannot read config file: No such file or directory");
	free(path);
	diag_done(&f->d);
	conf_tree_free(f->tree);
	assert_int_equal(conf_parse_file(f->dir, NULL, &f->d, &f->tree), -EISDIR);
}

static void test_nul_byte(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "a 1\nb 2\nc \0 3\n";
	assert_int_equal(conf_parse_string("t.conf", text, sizeof(text) - 1, NULL, &f->d, &f->tree),
			 -EINVAL);
	assert_diag(f, "t.conf:3: error: binary data");
	assert_null(f->tree->root);
}

static void test_limits(void **state)
{
	struct fixture *f = *state;
	/* 100 nested blocks: one error, no crash, all closed again */
	char *deep = xstrdup("");
	for (int i = 0; i < 100; i++) {
		char *n = xasprintf("%sb%d {\n", deep, i);
		free(deep);
		deep = n;
	}
	for (int i = 0; i < 100; i++) {
		char *n = xasprintf("%s}\n", deep);
		free(deep);
		deep = n;
	}
	assert_int_equal(parse_text(f, deep, NULL), -EINVAL);
	assert_diag(f, "blocks nested deeper than");
	assert_int_equal(f->d.n_errors, 1);
	free(deep);

	/* an over-long line */
	diag_done(&f->d);
	conf_tree_free(f->tree);
	char *longline = xmalloc(70000);
	memset(longline, 'x', 69998);
	strcpy(longline + 69998, "\n");
	assert_int_equal(parse_text(f, longline, NULL), -EINVAL);
	assert_diag(f, "t.conf:1: error: line longer than");
	free(longline);
}

static void test_many_errors_are_capped(void **state)
{
	struct fixture *f = *state;
	size_t n = 200000;
	char *text = xmalloc(n * 2 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(text + 2 * i, "}\n", 2);
	text[n * 2] = '\0';
	assert_int_equal(parse_text(f, text, NULL), -EINVAL);
	assert_int_equal(f->d.n_errors, n);
	assert_true(f->d.n_entries <= 1000);
	assert_true(f->d.n_dropped > 0);
	free(text);
}

static void test_join_args(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse_text(f, "notify \"/bin/x y\" a b\n", NULL), 0);
	char *s = conf_node_join_args(f->tree->root, 1);
	assert_string_equal(s, "a b");
	free(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tree_and_places),	  T(test_brace_styles),
		T(test_unbalanced),		  T(test_lone_open_brace),
		T(test_conditionals),		  T(test_multiline_macro),
		T(test_macro_makes_condition),	  T(test_recursive_macro),
		T(test_include_glob_relative_sorted), T(test_include_errors),
		T(test_included_file_must_balance), T(test_unreadable_file),
		T(test_nul_byte),		  T(test_limits),
		T(test_many_errors_are_capped),	  T(test_join_args),
	};
	return cmocka_run_group_tests_name("conf_parse", tests, NULL, NULL);
}
