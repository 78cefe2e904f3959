#include <config.h>

#include <inttypes.h>
#include <string.h>

#include "daemon/metrics_text.h"

#define MAX_LABELS 8

/* Prometheus's classic latency ladder, cut to what a probe can take. */
static const uint64_t bucket_usec[METRICS_N_BUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000,
};
static const char *const bucket_le[METRICS_N_BUCKETS] = {
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
	"1", "2.5", "5", "10",
};

static const char *const type_names[_METRICS_TYPE_MAX] = {
	[METRICS_COUNTER] = "counter",
	[METRICS_GAUGE] = "gauge",
	[METRICS_HISTOGRAM] = "histogram",
};

const char *metrics_type_to_string(enum metrics_type t)
{
	return (unsigned)t < _METRICS_TYPE_MAX ? type_names[t] : NULL;
}

void metrics_family(FILE *f, const char *name, enum metrics_type type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, metrics_type_to_string(type));
}

void metrics_write_label_value(FILE *f, const char *v)
{
	if (!v)
		return;
	for (const char *run = v;; v++) {
		const char *esc = *v == '\\' ? "\\\\" : *v == '"' ? "\\\"" : *v == '\n' ? "\\n" : NULL;
		if (!esc && *v)
			continue;
		fwrite(run, 1, (size_t)(v - run), f);
		if (!*v)
			return;
		fputs(esc, f);
		run = v + 1;
	}
}

static void write_labels(FILE *f, const struct metrics_label *labels, size_t n)
{
	if (n == 0)
		return;
	fputc('{', f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "", labels[i].name);
		metrics_write_label_value(f, labels[i].value);
		fputc('"', f);
	}
	fputc('}', f);
}

void metrics_sample_u64(FILE *f, const char *name, const struct metrics_label *labels, size_t n,
			uint64_t value)
{
	fputs(name, f);
	write_labels(f, labels, n);
	fprintf(f, " %" PRIu64 "\n", value);
}

void metrics_sample_double(FILE *f, const char *name, const struct metrics_label *labels,
			   size_t n, double value)
{
	fputs(name, f);
	write_labels(f, labels, n);
	/* seconds to the microsecond: every value written is one */
	fprintf(f, " %.6f\n", value);
}

uint64_t metrics_bucket_usec(size_t i)
{
	return i < METRICS_N_BUCKETS ? bucket_usec[i] : UINT64_MAX;
}

void metrics_histogram_observe(struct metrics_histogram *h, uint64_t usec)
{
	size_t i = 0;

	while (i < METRICS_N_BUCKETS && usec > bucket_usec[i])
		i++;
	h->bucket[i]++;
	h->count++;
	h->sum_usec += usec;
}

void metrics_histogram_write(FILE *f, const char *name, const struct metrics_label *labels,
			     size_t n, const struct metrics_histogram *h)
{
	struct metrics_label l[MAX_LABELS];
	size_t len = strlen(name);
	char series[128];
	uint64_t cum = 0;

	if (n > MAX_LABELS - 1 || len + sizeof("_bucket") > sizeof(series))
		return;  /* names and label sets are fixed by the code */
	if (n)
		memcpy(l, labels, n * sizeof(*l));
	snprintf(series, sizeof(series), "%s_bucket", name);
	for (size_t i = 0; i <= METRICS_N_BUCKETS; i++) {
		cum += h->bucket[i];
		l[n] = (struct metrics_label){ "le", i < METRICS_N_BUCKETS ? bucket_le[i] : "+Inf" };
		metrics_sample_u64(f, series, l, n + 1, cum);
	}
	snprintf(series, sizeof(series), "%s_sum", name);
	metrics_sample_double(f, series, labels, n, (double)h->sum_usec / 1e6);
	snprintf(series, sizeof(series), "%s_count", name);
	metrics_sample_u64(f, series, labels, n, h->count);
}
