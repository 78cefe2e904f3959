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
};

struct msg_config {
	uint64_t generation;  /* 1 for the config read at start, +1 per successful reload */
};

#define MSG_PING_INTERVAL_USEC 1000000ULL
/* A child silent for this long is not counted as alive (three missed pings). */
#define MSG_PING_STALE_USEC (3 * MSG_PING_INTERVAL_USEC)

#endif
