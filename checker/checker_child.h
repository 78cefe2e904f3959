/* checker_child: the checker child process's role (see daemon/child.h).
 *
 * It keeps the kernel's IPVS table as the config wants it (checker/reconcile.h):
 * at start, on every config, and periodically; probes, rise/fall and
 * per-server health will hang off the same state.  checker.json gets an
 * "ipvs" member with the reconcile counters. */
#ifndef LBHA_CHECKER_CHILD_H
#define LBHA_CHECKER_CHILD_H

#include "daemon/child.h"

extern const struct child_role checker_child_role;

#endif
