/* preflight: checks of a valid config against the live system.
 *
 * Nothing here makes a config invalid: an interface may appear later (a VLAN
 * created after boot), so a missing one is a warning, `lbha -t` prints it and
 * the daemon logs it and carries on.  Only `--strict` turns it into an error. */
#ifndef LBHA_PREFLIGHT_H
#define LBHA_PREFLIGHT_H

struct diag;
struct lbha_config;

/* Add a warning to d for every interface the config names that does not exist
 * in this network namespace, at the place it was first named. */
void preflight_interfaces(const struct lbha_config *cfg, struct diag *d);

#endif
