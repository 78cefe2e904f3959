/* vrrp_priority: how tracked things move an instance's priority, with
 * keepalived's rules.  Pure arithmetic, unit-tested.
 *
 *  - A tracked interface or script is good or bad.  Weight 0: bad means
 *    FAULT.  Weight > 0: added while good.  Weight < 0: added while bad.
 *    `reverse` swaps good and bad.  A script not run yet counts as neither.
 *  - A track_file holds an integer; value * weight is added (reverse:
 *    subtracted).  Weight 0: a non-zero value means FAULT; a total of -254 or
 *    less also means FAULT (keepalived: the instance could never win).
 *  - The effective priority is base + the sum, clamped to 1..254; an address
 *    owner (base 255) is never moved. */
#ifndef LBHA_VRRP_PRIORITY_H
#define LBHA_VRRP_PRIORITY_H

#include <stdbool.h>
#include <stdint.h>

/* Weight to add for a good/bad tracked thing; *fault set true (never
 * cleared) when it puts the instance in FAULT. */
int32_t vrrp_priority_track_delta(int32_t weight, bool reverse, bool good, bool *fault);

/* Weight to add for a track_file value. */
int32_t vrrp_priority_file_delta(int32_t weight, bool reverse, int64_t value, bool *fault);

/* base + delta clamped to 1..254, or 255 for base 255. */
uint8_t vrrp_priority_effective(uint8_t base, int64_t delta);

#endif
