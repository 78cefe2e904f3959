/* realserver_plan: what `lbha realserver` must change on a real server, as
 * pure functions of "what is wanted" and "what is there".
 *
 * The flow (daemon/realserver.c does the I/O around it):
 *   rs_wants(mode, vips)          -> the list of things the mode needs (wants)
 *   observe each want (I/O)       -> struct rs_have
 *   rs_plan(wants, haves)         -> the changes to make (struct rs_change)
 *   apply them (I/O), print rs_change_describe() for each, and record them in
 *   the state file (daemon/realserver_state.h), with what was found before,
 *   so --undo can restore exactly that.
 *
 * Why each want exists is written beside the table in realserver_plan.c. */
#ifndef LBHA_REALSERVER_PLAN_H
#define LBHA_REALSERVER_PLAN_H

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/config_addr.h"

enum rs_mode {
	RS_MODE_DR,
	RS_MODE_TUN,
	_RS_MODE_MAX,
	_RS_MODE_INVALID = -EINVAL,
};

/* "dr", "tun"; NULL when out of range. */
const char *rs_mode_to_string(enum rs_mode m);
/* The reverse (case-insensitive, "DR" works too); _RS_MODE_INVALID otherwise. */
enum rs_mode rs_mode_from_string(const char *s);

/* The kinds of change, in the order they are applied: a tunnel module before
 * the sysctls of the device it creates, sysctls before the VIP appears (so
 * the host never answers ARP for it), links up before addresses go on them. */
enum rs_kind {
	RS_MODULE,  /* load a module that provides a device (ipip -> tunl0) */
	RS_SYSCTL,  /* an integer under /proc/sys */
	RS_LINK_UP, /* bring an interface up */
	RS_ADDR,    /* put an address on an interface */
	_RS_KIND_MAX,
	_RS_KIND_INVALID = -EINVAL,
};

/* "module", "sysctl", "link", "addr": the state file's first word. */
const char *rs_kind_to_string(enum rs_kind k);
enum rs_kind rs_kind_from_string(const char *s);

/* Long enough for any sysctl key we write (net.ipv4.conf.IFNAME.NAME). */
#define RS_NAME_MAX 96

/* One thing the real server needs. */
struct rs_want {
	enum rs_kind kind;
	/* MODULE: the module; SYSCTL: the key in sysctl(8)'s dotted form;
	 * LINK_UP, ADDR: the interface. */
	char name[RS_NAME_MAX];
	/* MODULE: the device that shows it is loaded (tunl0).  SYSCTL: for a
	 * per-device key, the device ("" for all/default/lo), see fallback. */
	char ifname[IFNAMSIZ];
	/* SYSCTL of a device that does not exist yet (tunl0 before ipip is
	 * loaded): the "default" key it will inherit its value from, so a dry
	 * run can tell whether it will need a change.  "" for none. */
	char fallback[RS_NAME_MAX];
	struct config_addr addr; /* ADDR */
	unsigned prefixlen;      /* ADDR: 32 or 128 */
	int value;               /* SYSCTL: the value to write */
	/* SYSCTL: the values that satisfy it, bit v for value v (arp_ignore 2
	 * is as good as 1 and left alone); values above 31 never do. */
	uint32_t ok_mask;
};

/* What is there for one want, as observed. */
struct rs_have {
	/* MODULE: its device exists; SYSCTL: the key (or its fallback) can be
	 * read; LINK_UP: the link exists; ADDR: the address is on the link. */
	bool present;
	int value; /* SYSCTL: the value; LINK_UP: 1 when up */
};

/* One change: made, to make, or recorded in the state file. */
struct rs_change {
	enum rs_kind kind;
	char name[RS_NAME_MAX];  /* as struct rs_want's name */
	struct config_addr addr; /* ADDR */
	unsigned prefixlen;
	bool old_known;          /* SYSCTL: old_value was read */
	int old_value;           /* SYSCTL: the value found before */
	int new_value;           /* SYSCTL: the value written */
};

/* The wants of `mode` for the n VIPs (duplicates count once), in apply order.
 * A VIP's family picks the tunnel (ipip/tunl0 or ip6_tunnel/ip6tnl0) and
 * whether the IPv4 sysctls are needed.  Returns 0 and a new array the caller
 * frees (*ret_n may be 0 only for n == 0); -EINVAL for a bad mode or an unset
 * address. */
int rs_wants(enum rs_mode mode, const struct config_addr *vips, size_t n, struct rs_want **ret,
	     size_t *ret_n);

/* True when `have` satisfies `want`. */
bool rs_want_satisfied(const struct rs_want *want, const struct rs_have *have);

/* The changes for wants[i] not satisfied by haves[i], in the same order.
 * Returns the number of changes written to ret (room for n is enough). */
size_t rs_plan(const struct rs_want *wants, const struct rs_have *haves, size_t n,
	       struct rs_change *ret);

/* True when two changes touch the same thing (kind, name, and for ADDR the
 * address): the state file keeps one record per thing. */
bool rs_change_same_target(const struct rs_change *a, const struct rs_change *b);

/* The sysctl key of an IPv4/IPv6 per-device setting, in sysctl(8)'s dotted
 * form: ("ipv4", "eth0.100", "rp_filter") -> "net.ipv4.conf.eth0/100.rp_filter"
 * (a dot in an interface name is written as a slash).  Returns buf, or NULL
 * when it does not fit. */
char *rs_sysctl_conf_key(const char *proto, const char *dev, const char *name, char *buf,
			 size_t size);
/* The /proc/sys path of a dotted key (dots and slashes swap, as sysctl(8)
 * does).  Returns buf, or NULL when it does not fit. */
char *rs_sysctl_path(const char *key, char *buf, size_t size);

/* How a line is worded: what was done, or what a dry run would do. */
enum rs_tense {
	RS_DONE,
	RS_WOULD,
	_RS_TENSE_MAX,
};

/* One line for a change: "set net.ipv4.conf.all.arp_ignore 0 -> 1",
 * "added 10.0.0.100/32 to lo", "would bring tunl0 up", ...  Returns buf. */
char *rs_change_describe(const struct rs_change *c, enum rs_tense tense, char *buf, size_t size);

/* ---- undo ------------------------------------------------------------------ */

/* What --undo does with one recorded change, given what is there now. */
enum rs_undo {
	RS_UNDO_RESTORE, /* put back what was found before */
	RS_UNDO_ALREADY, /* it already is as it was before: nothing to do */
	RS_UNDO_CHANGED, /* someone changed it since lbha did: leave it alone */
	RS_UNDO_KEEP,    /* never undone (a module: other users may need it) */
	_RS_UNDO_MAX,
	_RS_UNDO_INVALID = -EINVAL,
};

/* `now` is observed as for the forward direction (SYSCTL: the key itself,
 * never its fallback). */
enum rs_undo rs_undo_decide(const struct rs_change *c, const struct rs_have *now);

/* One line for the undo of c: "restored net.ipv4.conf.all.arp_ignore 1 -> 0",
 * "removed 10.0.0.100/32 from lo", "lo is already down", "left
 * net.ipv4.conf.all.rp_filter at 2 (lbha set 0, something changed it since)",
 * "left module ipip loaded ...".  Returns buf. */
char *rs_undo_describe(const struct rs_change *c, enum rs_undo u, const struct rs_have *now,
		       enum rs_tense tense, char *buf, size_t size);

#endif
