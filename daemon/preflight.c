#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "atomic_file.h"
#include "daemon/preflight.h"
#include "daemon/preflight_rules.h"
#include "xalloc.h"

/* modules.dep of a distribution kernel is ~1 MB */
#define MODULES_LIST_MAX (16 * 1024 * 1024)

static void seen_sysctl(const char *key, struct preflight_seen *ret)
{
	char path[PATH_MAX], *text = NULL;

	if (!rs_sysctl_path(key, path, sizeof(path)) ||
	    atomic_file_read(path, 64, &text, NULL) < 0)
		return;
	char *end;
	long v = strtol(text, &end, 10);
	if (end != text && (*end == '\0' || *end == '\n')) {
		ret->present = true;
		ret->value = (int)v;
	}
	free(text);
}

/* Whether modprobe could load `module` for the running kernel: listed in
 * modules.dep (a module) or modules.builtin (built in). */
static bool module_known(const char *module)
{
	static const char *const dirs[] = { "/lib/modules", "/usr/lib/modules" };
	static const char *const lists[] = { "modules.dep", "modules.builtin" };
	struct utsname u;

	if (uname(&u) < 0)
		return false;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++)
		for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
			char *path = xasprintf("%s/%s/%s", dirs[d], u.release, lists[l]);
			char *text = NULL;
			bool found = atomic_file_read(path, MODULES_LIST_MAX, &text, NULL) == 0 &&
				     preflight_modules_list_has(text, module);
			free(text);
			free(path);
			if (found)
				return true;
		}
	return false;
}

static void seen_ipvs(struct preflight_seen *ret)
{
	ret->present = access("/proc/net/ip_vs", F_OK) == 0;
	ret->module_known = !ret->present && module_known("ip_vs");
}

size_t preflight_check_host(const struct lbha_config *cfg, struct diag *d)
{
	struct preflight_check *c = NULL;
	size_t n = preflight_checks(cfg, &c), warned = 0;

	for (size_t i = 0; i < n; i++) {
		struct preflight_seen seen = { 0 };
		if (c[i].kind == PREFLIGHT_SYSCTL)
			seen_sysctl(c[i].key, &seen);
		else
			seen_ipvs(&seen);
		warned += preflight_judge(&c[i], &seen, d);
	}
	free(c);
	return warned;
}
