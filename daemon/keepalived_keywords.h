/* keepalived_keywords: every keyword keepalived.conf(5) knows, grouped by the
 * block it may appear in.
 *
 * The schema uses it to tell a keyword keepalived has but lbha does not
 * implement (a warning: "keyword 'X' is not supported by lbha and is ignored")
 * from one nobody has (an error, a typo, with a did-you-mean suggestion).
 *
 * A section is named by the keyword that opens its block, as written in the
 * config: "global_defs", "vrrp_instance", "vrrp_script", "vrrp_sync_group",
 * "virtual_server", "virtual_server_group", "real_server", "HTTP_GET",
 * "SSL_GET", "TCP_CHECK", "MISC_CHECK", "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK",
 * "PING_CHECK", "FILE_CHECK", "BFD_CHECK", "url", "host" (inside SMTP_CHECK),
 * "bfd_instance", "vrrp_track_file", "track_file", "garp_group", ... and ""
 * for the top level of the file. */
#ifndef LBHA_KEEPALIVED_KEYWORDS_H
#define LBHA_KEEPALIVED_KEYWORDS_H

#include <stdbool.h>
#include <stddef.h>

/* True when keepalived accepts `keyword` directly inside `section`.  Blocks
 * whose lines are data (virtual_ipaddress, track_script, unicast_peer, ...)
 * have no keywords.  NULL for either is never known. */
bool keepalived_keyword_known(const char *section, const char *keyword);

/* True when keepalived accepts `keyword` in some section (used to say
 * "'X' belongs in global_defs, not vrrp_instance" style hints). */
bool keepalived_keyword_known_anywhere(const char *keyword);

/* The section where keyword is known, first match, or NULL. */
const char *keepalived_keyword_home(const char *keyword);

/* All keywords keepalived accepts in `section`; returns the count and sets
 * *ret to a static array (no need to free), sorted by strcmp().  0 and
 * *ret = NULL for an unknown section.  ret may be NULL. */
size_t keepalived_section_keywords(const char *section, const char *const **ret);

#endif
