/* vrrp_lvs_sync: the IPVS connection-synchronisation daemon follows one VRRP
 * instance (global_defs `lvs_sync_daemon IF INSTANCE ...`), as keepalived
 * does: the master director runs the kernel's master sync daemon and sends
 * its connection table; the backup runs the backup daemon and receives it, so
 * established connections survive a failover.
 *
 * The decision is pure (vrrp_lvs_sync_wanted); vrrp_lvs_sync_follow() owns
 * the netlink side and changes only what differs from what it last set. */
#ifndef LBHA_VRRP_LVS_SYNC_H
#define LBHA_VRRP_LVS_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/config_types.h"
#include "lib/ipvs.h"
#include "vrrp/vrrp_fsm.h"

/* What should run: none, or one daemon with these settings. */
struct vrrp_lvs_sync_want {
	bool run;
	struct ipvs_daemon daemon;
};

/* The daemon for `cfg` (global_defs lvs_sync_daemon) when the followed
 * instance (VRID `vrid`) is in state `st`; `stopping` when lbha exits.
 * MASTER runs the master daemon; BACKUP, FAULT and INIT the backup daemon
 * (a faulty director still learns connections it may serve later); STOP and
 * stopping run none. */
void vrrp_lvs_sync_wanted(const struct config_lvs_sync_daemon *cfg, uint8_t vrid,
			  enum vrrp_state st, bool stopping, struct vrrp_lvs_sync_want *ret);

struct vrrp_lvs_sync;

struct vrrp_lvs_sync_counters {
	uint64_t starts, stops, errors;
};

struct vrrp_lvs_sync *vrrp_lvs_sync_new(void);
/* Stops what it started (when asked to: stop_daemons), closes netlink. */
struct vrrp_lvs_sync *vrrp_lvs_sync_free(struct vrrp_lvs_sync *s);

/* Make the kernel run `want`: stop a running daemon that is not wanted (or
 * whose settings differ), start the wanted one.  Errors are logged (the
 * instance name in the line) and counted; IPVS missing from the kernel is
 * logged once.  Returns 0 or a negative errno. */
int vrrp_lvs_sync_follow(struct vrrp_lvs_sync *s, const char *instance,
			 const struct vrrp_lvs_sync_want *want);

const struct vrrp_lvs_sync_counters *vrrp_lvs_sync_counters(const struct vrrp_lvs_sync *s);
/* "master", "backup" or "none": what lbha last started. */
const char *vrrp_lvs_sync_running(const struct vrrp_lvs_sync *s);

#endif
