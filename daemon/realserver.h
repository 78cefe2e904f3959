/* realserver: `lbha realserver`, the set-up of an LVS-DR or LVS-TUN real
 * server (VIP on lo or tunl0, ARP and reverse-path sysctls), idempotent and
 * undoable.
 *
 * The decisions are pure (daemon/realserver_plan.h, realserver_state.h);
 * this file observes (rtnetlink through lib/rtnl.h, /proc/sys), applies
 * (rtnetlink for addresses, SIOCSIFFLAGS for the up flag, /proc/sys,
 * modprobe), prints one line per change on stdout and keeps the state file
 * <runtime dir>/realserver.state. */
#ifndef LBHA_REALSERVER_H
#define LBHA_REALSERVER_H

#include <stdbool.h>
#include <stddef.h>

struct realserver_args {
	const char *mode;         /* "dr" or "tun"; may be NULL with undo */
	char *const *vips;        /* addresses as text ("10.0.0.100", "2001:db8::1", "/32" allowed) */
	size_t n_vips;
	bool dry_run;             /* print what would change, change nothing */
	bool undo;                /* restore what the state file recorded */
	const char *runtime_dir;  /* where realserver.state lives */
};

/* Run the command; messages on stdout, errors on stderr.  Returns the exit
 * code: 0 (done, or nothing to do), 1 (a change failed: what was done is
 * recorded, so --undo still works), 64 (bad arguments). */
int realserver_main(const struct realserver_args *a);

#endif
