/* The top-level SSL block (keepalived's client context for SSL_GET):
 * fields, file checks with their lines, a repeated block, the canonical and
 * written dumps and equality. */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include "test-config-util.h"

struct files {
	char dir[64];
	char ca[128], cert[128], key[128];
};

static void put_file(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct files *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test-config-ssl.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->ca, sizeof(f->ca), "%s/ca.pem", f->dir);
	snprintf(f->cert, sizeof(f->cert), "%s/client.pem", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/client.key", f->dir);
	put_file(f->ca);
	put_file(f->cert);
	put_file(f->key);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct files *f = *state;

	unlink(f->ca);
	unlink(f->cert);
	unlink(f->key);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Every keyword, with the fixture's files (the password on line 5); caller
 * frees. */
static char *full_text(const struct files *f)
{
	char *s = NULL;

	assert_true(asprintf(&s,
			     "global_defs {\n router_id r1\n}\n"
			     "SSL {\n"
			     " password \"s3cret pass\"\n"
			     " ca %s\n"
			     " certificate %s\n"
			     " key %s\n"
			     "}\n"
			     "virtual_server 10.0.0.1 443 {\n protocol TCP\n real_server 10.0.1.1 443 {\n"
			     "  SSL_GET {\n   url {\n    path /\n   }\n  }\n }\n}\n",
			     f->ca, f->cert, f->key) > 0);
	return s;
}

static void test_ssl_absent(void **state)
{
	struct diag d;
	struct lbha_config *cfg = load_ok("global_defs {\n router_id r1\n}\n", &d);
	char *dump = config_dump_string(cfg);

	assert_null(cfg->ssl.password);
	assert_null(cfg->ssl.ca);
	assert_null(cfg->ssl.certificate);
	assert_null(cfg->ssl.key);
	assert_null(strstr(dump, "SSL"));
	free(dump);
	config_free(cfg);
	diag_done(&d);

	/* an empty block is keepalived's "auto generated context": nothing */
	cfg = load_ok("SSL {\n}\n", &d);
	assert_int_equal(d.n_entries, 0);
	assert_null(cfg->ssl.ca);
	dump = config_dump_string(cfg);
	assert_null(strstr(dump, "SSL"));
	free(dump);
	config_free(cfg);
	diag_done(&d);
}

static void test_ssl_fields(void **state)
{
	const struct files *f = *state;
	char *text = full_text(f);
	struct diag d;
	struct lbha_config *cfg = load_ok(text, &d);

	assert_int_equal(d.n_entries, 0); /* SSL is supported: no warning */
	assert_string_equal(cfg->ssl.password, "s3cret pass");
	assert_string_equal(cfg->ssl.ca, f->ca);
	assert_string_equal(cfg->ssl.certificate, f->cert);
	assert_string_equal(cfg->ssl.key, f->key);
	assert_int_equal(cfg->ssl.obj.line, 4);
	config_free(cfg);
	diag_done(&d);
	free(text);
}

/* Both dumps load back to an equal config; a changed file is not equal. */
static void test_ssl_dump_equal(void **state)
{
	const struct files *f = *state;
	char *text = full_text(f);
	struct diag d, d2, d3;
	struct lbha_config *cfg = load_ok(text, &d);
	char *dump = config_dump_string(cfg);
	char *written = config_dump_written_string(cfg);
	struct lbha_config *again = load_ok(dump, &d2);
	struct lbha_config *again2 = load_ok(written, &d3);

	assert_non_null(strstr(dump, "SSL {"));
	assert_non_null(strstr(dump, "password \"s3cret pass\""));
	assert_non_null(strstr(written, "certificate "));
	assert_true(config_equal(cfg, again));
	assert_true(config_equal(cfg, again2));
	config_free(again);
	config_free(again2);
	diag_done(&d2);
	diag_done(&d3);
	free(dump);
	free(written);

	/* a different ca, or none, is a different config */
	char *other_text = NULL;
	assert_true(asprintf(&other_text, "SSL {\n ca %s\n}\n", f->cert) > 0);
	struct lbha_config *other = load_ok(other_text, &d2);
	struct lbha_config *none = load_ok("global_defs {\n router_id r1\n}\n", &d3);
	assert_false(config_equal(cfg, other));
	assert_false(config_equal(cfg, none));
	config_free(other);
	config_free(none);
	diag_done(&d2);
	diag_done(&d3);
	free(other_text);
	config_free(cfg);
	diag_done(&d);
	free(text);
}

static void test_ssl_bad_files(void **state)
{
	const struct files *f = *state;
	char *text = NULL;

	assert_load_error("SSL {\n certificate /nonexistent/lbha-client.pem\n}\n", 2,
			  "cannot be read: No such file or directory");
	assert_true(asprintf(&text, "SSL {\n ca %s\n}\n", f->dir) > 0);
	assert_load_error(text, 2, "is not a regular file");
	free(text);
	assert_load_error("SSL {\n\n key\n}\n", 3, "key");
	assert_load_error("SSL {\n password a b\n}\n", 2, "password");
	assert_load_error("SSL ctx {\n}\n", 1, "takes no arguments");
	assert_load_error("SSL {\n certficate /x\n}\n", 2, "did you mean 'certificate'");
}

/* A second block replaces the first, as keepalived's does. */
static void test_ssl_twice(void **state)
{
	const struct files *f = *state;
	char *text = NULL;
	struct diag d;

	assert_true(asprintf(&text, "SSL {\n certificate %s\n password p\n}\nSSL {\n ca %s\n}\n",
			     f->cert, f->ca) > 0);
	struct lbha_config *cfg = load_ok(text, &d);
	assert_warning(&d, 5, "replaces the one at line 1");
	assert_null(cfg->ssl.certificate);
	assert_null(cfg->ssl.password);
	assert_string_equal(cfg->ssl.ca, f->ca);
	assert_int_equal(cfg->ssl.obj.line, 5);
	config_free(cfg);
	diag_done(&d);
	free(text);
}

static void test_ssl_unused_parts(void **state)
{
	const struct files *f = *state;
	char *text = NULL;
	struct diag d;

	assert_true(asprintf(&text, "SSL {\n key %s\n}\n", f->key) > 0);
	struct lbha_config *cfg = load_ok(text, &d);
	assert_warning(&d, 2, "key without a certificate");
	config_free(cfg);
	diag_done(&d);
	free(text);

	cfg = load_ok("SSL {\n\n password p\n}\n", &d);
	assert_warning(&d, 3, "password without a certificate or key");
	config_free(cfg);
	diag_done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssl_absent),
		cmocka_unit_test(test_ssl_fields),
		cmocka_unit_test(test_ssl_dump_equal),
		cmocka_unit_test(test_ssl_bad_files),
		cmocka_unit_test(test_ssl_twice),
		cmocka_unit_test(test_ssl_unused_parts),
	};

	return cmocka_run_group_tests_name("config-ssl", tests, setup, teardown);
}
