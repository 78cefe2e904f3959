/* ipvs_owned: the set of kernel IPVS services lbha created (or took over).
 *
 * The reconciler deletes a kernel service only when it is in this set and no
 * longer wanted, so rules someone else made are never touched.  The set must
 * outlive the checker process (a checker restart, a daemon restart, a reload
 * while lbha was down), so it is kept in <runtime dir>/ipvs-owned, one
 * service key per line, rewritten atomically when it changes:
 *
 *     # lbha: IPVS services lbha owns (one a line; do not edit)
 *     tcp 10.0.0.1 80
 *     udp 2001:db8::1 53
 *     sctp 10.0.0.2 3868
 *     fwmark 7 inet6
 *
 * The set is kept sorted by ipvs_service_key_cmp() so lookups are binary
 * searches.  Everything but ipvs_owned_load/save is pure. */
#ifndef LBHA_CHECKER_IPVS_OWNED_H
#define LBHA_CHECKER_IPVS_OWNED_H

#include <stdbool.h>
#include <stddef.h>

#include "ipvs.h"

struct ipvs_owned {
	struct ipvs_service_key *keys;  /* sorted, no duplicates */
	size_t n, alloc;
};

/* The file name under the runtime dir. */
#define IPVS_OWNED_FILE "ipvs-owned"

/* Files larger than this are refused (a million services would still fit). */
#define IPVS_OWNED_MAX_BYTES (64u << 20)

bool ipvs_owned_contains(const struct ipvs_owned *o, const struct ipvs_service_key *k);

/* Add a key (no-op when present); keeps the set sorted.  Returns true when
 * the set changed. */
bool ipvs_owned_add(struct ipvs_owned *o, const struct ipvs_service_key *k);

/* Remove a key; returns true when it was there. */
bool ipvs_owned_remove(struct ipvs_owned *o, const struct ipvs_service_key *k);

bool ipvs_owned_equal(const struct ipvs_owned *a, const struct ipvs_owned *b);

/* Replace *dst with a copy of *src. */
void ipvs_owned_copy(struct ipvs_owned *dst, const struct ipvs_owned *src);

/* Free the keys; the struct may be reused.  NULL-safe. */
void ipvs_owned_clear(struct ipvs_owned *o);

/* One key as a line without the newline ("tcp 10.0.0.1 80", "fwmark 7
 * inet"); returns buf.  IPVS_OWNED_LINE_MAX bytes are always enough. */
#define IPVS_OWNED_LINE_MAX 80
const char *ipvs_owned_key_format(const struct ipvs_service_key *k, char *buf, size_t size);

/* Parse one such line (surrounding blanks allowed).  Returns 0 or -EINVAL. */
int ipvs_owned_key_parse(const char *line, struct ipvs_service_key *ret);

/* The whole file's text (header comment and one key per line); caller frees. */
char *ipvs_owned_format(const struct ipvs_owned *o, size_t *ret_len);

/* Parse a file's text into *ret (cleared first).  Blank lines and lines
 * starting with '#' are skipped; a line that does not parse is skipped and
 * counted in *ret_bad (may be NULL), so a damaged file loses only its damaged
 * lines.  Returns 0. */
int ipvs_owned_parse(const char *text, struct ipvs_owned *ret, size_t *ret_bad);

/* Read `path` into *ret (cleared first).  A missing file is an empty set
 * and returns 0; other errors return a negative errno with *ret empty.
 * *ret_bad as for ipvs_owned_parse. */
int ipvs_owned_load(const char *path, struct ipvs_owned *ret, size_t *ret_bad);

/* Write the set to `path` atomically (lib/atomic_file.h).  Returns 0 or a
 * negative errno. */
int ipvs_owned_save(const char *path, const struct ipvs_owned *o);

#endif
