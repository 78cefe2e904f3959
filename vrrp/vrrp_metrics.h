/* vrrp_metrics: the VRRP child's Prometheus metrics (lbha_vrrp_*).
 *
 * Written from the same state vrrp.json shows (struct vrrp_instance_stats,
 * the fsm), at the same moments: at once for a transition, at most once a
 * second for counters alone (vrrp_status.c), by the child frame, and only
 * while global_defs has metrics_address.  The parent serves the text. */
#ifndef LBHA_VRRP_METRICS_H
#define LBHA_VRRP_METRICS_H

#include <stdio.h>

struct vrrp_ctx;

/* Write every lbha_vrrp_* family for the instances of ctx.  Families with no
 * instance still get their HELP and TYPE lines.  Pure: reads ctx, writes f. */
void vrrp_metrics_write(const struct vrrp_ctx *ctx, FILE *f);

#endif
