/* checker_child: the checker child process's role (see daemon/child.h).
 *
 * For now it receives configs and lets daemon/child.c log and publish them;
 * probes, rise/fall and the IPVS reconcile hang off its state. */
#ifndef LBHA_CHECKER_CHILD_H
#define LBHA_CHECKER_CHILD_H

#include "daemon/child.h"

extern const struct child_role checker_child_role;

#endif
