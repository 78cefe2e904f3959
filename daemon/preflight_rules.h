/* preflight_rules: what a director's host must provide for the config's
 * virtual servers (`lbha -t`), as a pure decision table.
 *
 *   preflight_checks(cfg)        -> the checks this config calls for, each
 *                                   tied to the config line that needs it
 *   observe each check (I/O, daemon/preflight.c)
 *   preflight_judge(check, seen) -> a one-line warning in the diag list,
 *                                   saying what to run, or nothing
 *
 * The checks: lvs_method NAT needs net.ipv4.ip_forward=1 (IPv6:
 * net.ipv6.conf.all.forwarding=1); lvs_method DR wants send_redirects=0 on
 * "all" and on the interfaces the config names; virtual servers need IPVS.
 * That the interfaces exist is checked by config_load's preflight already. */
#ifndef LBHA_PREFLIGHT_RULES_H
#define LBHA_PREFLIGHT_RULES_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "daemon/realserver_plan.h"

struct diag;
struct lbha_config;

enum preflight_kind {
	PREFLIGHT_SYSCTL, /* an integer sysctl must have a value */
	PREFLIGHT_IPVS,   /* IPVS must be in the kernel or loadable */
	_PREFLIGHT_KIND_MAX,
	_PREFLIGHT_KIND_INVALID = -EINVAL,
};

struct preflight_check {
	enum preflight_kind kind;
	char key[RS_NAME_MAX];  /* SYSCTL: dotted key (net.ipv4.ip_forward) */
	int value;              /* SYSCTL: the value wanted */
	const char *need;       /* static text: what needs it and why */
	const char *file;       /* the config place that needs it (interned in cfg) */
	unsigned line;
};

/* What was found for one check. */
struct preflight_seen {
	/* SYSCTL: the key exists (an interface that does not exist has no
	 * keys; config_load warns about it already).  IPVS: /proc/net/ip_vs
	 * exists (the module is loaded). */
	bool present;
	int value;          /* SYSCTL */
	bool module_known;  /* IPVS: modules.dep/modules.builtin list ip_vs */
};

/* The checks for cfg, one per key (the first config place that needs it),
 * in a stable order.  Returns the count and a new array (caller frees; NULL
 * when 0). */
size_t preflight_checks(const struct lbha_config *cfg, struct preflight_check **ret);

/* Append a warning to d when `seen` does not satisfy `c`; returns true when
 * it did. */
bool preflight_judge(const struct preflight_check *c, const struct preflight_seen *seen,
		     struct diag *d);

/* True when the text of a modules.dep or modules.builtin file lists
 * `module` ("ip_vs" matches ".../ip_vs.ko", ".ko.xz", ".ko.zst", ...). */
bool preflight_modules_list_has(const char *text, const char *module);

#endif
