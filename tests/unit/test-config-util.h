/* Helpers shared by the test-config-*.c unit tests: load a config from a
 * string, look for a diagnostic at a line, print what there was on failure. */
#ifndef LBHA_TEST_CONFIG_UTIL_H
#define LBHA_TEST_CONFIG_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diag.h"
#include "daemon/lbha_config.h"
#include "daemon/config_types.h"

#define TEST_FILE "t.conf"

/* Load `text` as t.conf; returns the config or NULL, diagnostics in d. */
static inline struct lbha_config *load_opts(const char *text, const struct config_load_options *o,
					    struct diag *d)
{
	struct lbha_config *cfg = NULL;

	diag_init(d);
	int r = config_load_string(TEST_FILE, text, strlen(text), o, d, &cfg);
	if (r < 0)
		return NULL;
	return cfg;
}

static inline struct lbha_config *load(const char *text, struct diag *d)
{
	static const struct config_load_options o = { .config_id = "test" };

	return load_opts(text, &o, d);
}

/* Load text that must be valid, with no error; fails the test otherwise. */
static inline struct lbha_config *load_ok(const char *text, struct diag *d)
{
	struct lbha_config *cfg = load(text, d);

	if (!cfg || d->n_errors) {
		diag_print(d, stderr);
		fail_msg("config did not load");
	}
	return cfg;
}

static inline bool has_diag(const struct diag *d, enum diag_severity sev, unsigned line,
			    const char *substr)
{
	for (size_t i = 0; i < d->n_entries; i++) {
		const struct diag_entry *e = &d->entries[i];
		if (e->severity == sev && (line == 0 || e->line == line) &&
		    strstr(e->message, substr))
			return true;
	}
	return false;
}

#define assert_diag(d, sev, line, substr)                                                   \
	do {                                                                                \
		if (!has_diag((d), (sev), (line), (substr))) {                              \
			diag_print((d), stderr);                                            \
			fail_msg("no %s at line %u containing \"%s\"",                      \
				 (sev) == DIAG_ERROR ? "error" : "warning", (unsigned)(line), \
				 (substr));                                                 \
		}                                                                           \
	} while (0)

#define assert_error(d, line, substr) assert_diag((d), DIAG_ERROR, (line), (substr))
#define assert_warning(d, line, substr) assert_diag((d), DIAG_WARNING, (line), (substr))

/* The whole load must fail with this error (and the config is not returned). */
#define assert_load_error(text, line, substr)                  \
	do {                                                   \
		struct diag _d;                                \
		struct lbha_config *_c = load((text), &_d);    \
		if (_c) {                                      \
			diag_print(&_d, stderr);               \
			config_free(_c);                       \
			fail_msg("config loaded but should not"); \
		}                                              \
		assert_error(&_d, (line), (substr));           \
		diag_done(&_d);                                \
	} while (0)

static inline void *item(const struct config_list *l, size_t i)
{
	assert_true(i < l->n);
	return l->items[i];
}

#endif
