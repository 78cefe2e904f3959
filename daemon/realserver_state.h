/* realserver_state: the file where `lbha realserver` records what it changed
 * and what it found before (<runtime dir>/realserver.state), so that
 * `lbha realserver --undo` restores exactly that.  Pure text <-> records.
 *
 * The format is one change per line, in the order they were made, after a
 * version line; '#' starts a comment:
 *
 *   lbha-realserver-state 1
 *   module ipip
 *   sysctl net.ipv4.conf.all.rp_filter 1 0      (key, value found, value set)
 *   sysctl net.ipv4.conf.tunl0.rp_filter - 0    ('-': could not be read)
 *   link tunl0                                  (was down, brought up)
 *   addr tunl0 10.0.0.100/32                    (was not there, added)
 */
#ifndef LBHA_REALSERVER_STATE_H
#define LBHA_REALSERVER_STATE_H

#include <stddef.h>

#include "daemon/realserver_plan.h"

/* A list of recorded changes, oldest first. */
struct rs_state {
	struct rs_change *v;
	size_t n, cap;
};

/* Free the records; the struct may be used again.  NULL-safe. */
void rs_state_done(struct rs_state *s);

/* Append c unless a record for the same thing is there already: the first
 * record keeps what was found before lbha touched it, which a later run
 * (after someone undid part of it by hand) would no longer see.
 * Returns true when appended. */
bool rs_state_add(struct rs_state *s, const struct rs_change *c);

/* The file's text (caller frees). */
char *rs_state_format(const struct rs_state *s);

/* Parse the file's text into *ret (which must be empty).  Returns 0, or
 * -EINVAL with the 1-based number of the first bad line in *ret_line (0 when
 * the version line is missing) and *ret empty. */
int rs_state_parse(const char *text, struct rs_state *ret, unsigned *ret_line);

#endif
