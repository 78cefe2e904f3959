/* vrrp_child: the VRRP child process's role (see daemon/child.h).
 *
 * For now it receives configs and lets daemon/child.c log and publish them;
 * the VRRP instances, sockets and state machines hang off its state. */
#ifndef LBHA_VRRP_CHILD_H
#define LBHA_VRRP_CHILD_H

#include "daemon/child.h"

extern const struct child_role vrrp_child_role;

#endif
