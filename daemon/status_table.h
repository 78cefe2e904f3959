/* status_table: the text `lbha status` prints, from the children's status
 * files.
 *
 * Pure: parsed status files and the time in, text out (no clock, no files,
 * no process checks), so tests feed it sample JSON.  It shows what the
 * files say and nothing else: a member that is missing or of the wrong
 * type prints as "?", so an older or newer child's file still gives a
 * table. */
#ifndef LBHA_STATUS_TABLE_H
#define LBHA_STATUS_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_value;

struct status_table_child {
	const char *role;               /* "vrrp", "checker" */
	const struct json_value *doc;   /* the root of its status file; NULL: none */
	const char *problem;            /* when doc is NULL, why (one line, shown as is) */
};

/* Write to f, for children[0..n):
 *   - one line per child: its pid, uptime and config generation, or its
 *     problem;
 *   - the VRRP instances of each child whose file has "instances": name,
 *     interface, VRID, state, priority now/configured, master address, age
 *     and reason of the last transition;
 *   - the IPVS and health summary and the virtual servers of each child
 *     whose file has "virtual_servers", each followed by its real servers:
 *     address:port, health, weight now/configured, checks, failures, age
 *     of the last change and the reason.
 * Columns are aligned over the whole table; the reason, last, is never
 * padded.  Control characters from the files print as '?'.  Ages are
 * counted back from `now` (wall clock, seconds since the epoch). */
void status_table_write(FILE *f, const struct status_table_child *children, size_t n,
			uint64_t now);

#endif
