/* msg: what the parent and its children say to each other over lib/ipc.
 *
 * One socketpair per child.  Host byte order: both ends are the same binary.
 * A type not in the receiver's dispatch table is a bug and is logged. */
#ifndef LBHA_MSG_H
#define LBHA_MSG_H

#include <stdint.h>

enum msg_type {
	/* parent -> child: struct msg_config, then the canonical config text
	 * (config_dump_written_string(), not NUL-terminated).  Sent when the child
	 * starts and after each successful reload. */
	MSG_CONFIG = 1,
	/* child -> parent, empty: the child's event loop runs. */
	MSG_READY = 2,
	/* child -> parent, empty: sent every MSG_PING_INTERVAL_USEC; the parent
	 * forwards WATCHDOG=1 to systemd only while every child pings. */
	MSG_WATCHDOG = 3,
	/* child -> parent: the child's whole status file (JSON text, not
	 * NUL-terminated).  The parent writes it to <runtime dir>/<role>.json so
	 * that no child, least of all the real-time VRRP one, ever waits on a
	 * filesystem (a rename on a busy ext4 journal can stall for 100 ms). */
	MSG_STATUS = 4,
	/* child -> parent: the child's Prometheus metrics (text exposition
	 * format, whole families, not NUL-terminated), sent with MSG_STATUS
	 * while global_defs has metrics_address: at once after a state change,
	 * at most once a second for counters alone.  The parent keeps the
	 * latest of each child and serves it after its own. */
	MSG_METRICS = 5,
	/* child -> parent: struct msg_applied, sent for every MSG_CONFIG once
	 * the child has dealt with it.  The parent says READY=1 to systemd once
	 * every child answered the first config, and again once every child
	 * answered a reload. */
	MSG_APPLIED = 6,
};

struct msg_config {
	uint64_t generation;  /* 1 for the config read at start, +1 per successful reload */
};

struct msg_applied {
	uint64_t answered;    /* the generation of the MSG_CONFIG answered */
	uint64_t running;     /* the generation the child runs now: the same, or the
	                       * old one when the new could not be applied */
};

#define MSG_PING_INTERVAL_USEC 1000000ULL
/* A child silent for this long is not counted as alive (three missed pings). */
#define MSG_PING_STALE_USEC (3 * MSG_PING_INTERVAL_USEC)

#endif
