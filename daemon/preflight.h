/* preflight: `lbha -t`'s warnings about this host, from the live system: the
 * sysctls and the IPVS support the config's virtual servers need (the rules
 * are in daemon/preflight_rules.h; this file only reads /proc and the
 * modules lists).  The interfaces' existence is checked by config_load. */
#ifndef LBHA_PREFLIGHT_H
#define LBHA_PREFLIGHT_H

#include <stddef.h>

struct diag;
struct lbha_config;

/* Append one warning per thing cfg needs that this host lacks to d (each
 * says what to run).  Returns the number of warnings added. */
size_t preflight_check_host(const struct lbha_config *cfg, struct diag *d);

#endif
