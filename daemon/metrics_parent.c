#include <config.h>

#include "daemon/metrics_parent.h"
#include "daemon/metrics_text.h"

void metrics_parent_write(const struct metrics_parent_stats *st, const struct metrics_child *c,
			  size_t n, FILE *f)
{
	metrics_family(f, "lbha_reloads_total", METRICS_COUNTER,
		       "Config reloads (SIGHUP) by result: success, or failure (old config kept).");
	metrics_sample_u64(f, "lbha_reloads_total", &(struct metrics_label){ "result", "success" },
			   1, st->reloads_ok);
	metrics_sample_u64(f, "lbha_reloads_total", &(struct metrics_label){ "result", "failure" },
			   1, st->reloads_failed);
	metrics_family(f, "lbha_config_generation", METRICS_GAUGE,
		       "Generation of the running config: 1 at start, +1 per successful reload.");
	metrics_sample_u64(f, "lbha_config_generation", NULL, 0, st->generation);
	metrics_family(f, "lbha_config_load_timestamp_seconds", METRICS_GAUGE,
		       "When the running config was loaded (seconds since the epoch).");
	metrics_sample_double(f, "lbha_config_load_timestamp_seconds", NULL, 0,
			      (double)st->loaded_wall_usec / 1e6);
	metrics_family(f, "lbha_config_load_duration_seconds", METRICS_GAUGE,
		       "How long reading and validating the running config took.");
	metrics_sample_double(f, "lbha_config_load_duration_seconds", NULL, 0,
			      (double)st->load_usec / 1e6);
	metrics_family(f, "lbha_child_up", METRICS_GAUGE, "1 while the child runs and is ready.");
	for (size_t i = 0; i < n; i++)
		metrics_sample_u64(f, "lbha_child_up", &(struct metrics_label){ "child", c[i].name },
				   1, c[i].up);
	metrics_family(f, "lbha_child_restarts_total", METRICS_COUNTER,
		       "Times the child was restarted after it died.");
	for (size_t i = 0; i < n; i++)
		metrics_sample_u64(f, "lbha_child_restarts_total",
				   &(struct metrics_label){ "child", c[i].name }, 1, c[i].restarts);
	for (size_t i = 0; i < n; i++)
		if (c[i].text && c[i].text_len)
			fwrite(c[i].text, 1, c[i].text_len, f);
}
