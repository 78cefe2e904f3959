/* metrics_parent: the parent's own Prometheus metrics (lbha_reloads_total,
 * lbha_config_*, lbha_child_*) and the page it serves: its text, then the
 * latest text each child sent (MSG_METRICS).  Pure. */
#ifndef LBHA_METRICS_PARENT_H
#define LBHA_METRICS_PARENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What the parent counts. */
struct metrics_parent_stats {
	uint64_t reloads_ok, reloads_failed;  /* SIGHUP reloads by result */
	uint64_t generation;                  /* the running config's */
	uint64_t loaded_wall_usec;            /* when it was loaded (realtime) */
	uint64_t load_usec;                   /* how long reading and validating it took */
};

/* One child, as the supervisor knows it. */
struct metrics_child {
	const char *name;      /* "vrrp", "checker" */
	bool up;               /* running and ready */
	uint64_t restarts;     /* restarts after a crash or an unexpected exit */
	const char *text;      /* its latest metrics text, or NULL */
	size_t text_len;
};

/* Write the parent's families, then each child's text as it came. */
void metrics_parent_write(const struct metrics_parent_stats *st, const struct metrics_child *c,
			  size_t n, FILE *f);

#endif
