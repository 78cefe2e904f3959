/* metrics_text: writing the Prometheus text exposition format (0.0.4).
 *
 * Every process writes its own metric families into a FILE (open_memstream);
 * the parent serves its own text followed by each child's latest one, so a
 * family must be written whole by one process: `# HELP` and `# TYPE` first,
 * then all its samples.  Names are fixed by the code; label values come from
 * the config (instance names, addresses) and are escaped here.
 *
 * Pure; no I/O but the FILE given. */
#ifndef LBHA_METRICS_TEXT_H
#define LBHA_METRICS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The Content-Type of what these functions write. */
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

enum metrics_type {
	METRICS_COUNTER,
	METRICS_GAUGE,
	METRICS_HISTOGRAM,
	_METRICS_TYPE_MAX,
};

/* "counter", "gauge", "histogram"; NULL when out of range. */
const char *metrics_type_to_string(enum metrics_type t);

struct metrics_label {
	const char *name;   /* [a-zA-Z_][a-zA-Z0-9_]*, not checked */
	const char *value;  /* any bytes; NULL is written as "" */
};

/* `# HELP name help` and `# TYPE name type`.  help must be one line without
 * backslashes (it is code, not config). */
void metrics_family(FILE *f, const char *name, enum metrics_type type, const char *help);

/* v as a label value: backslash, double quote and newline escaped (\\, \",
 * \n); NULL as "". */
void metrics_write_label_value(FILE *f, const char *v);

/* One sample line `name{l1="v1",...} value`; n may be 0 (no braces). */
void metrics_sample_u64(FILE *f, const char *name, const struct metrics_label *labels, size_t n,
			uint64_t value);
/* The same with a fractional value, to six decimals (seconds to the
 * microsecond). */
void metrics_sample_double(FILE *f, const char *name, const struct metrics_label *labels,
			   size_t n, double value);

/* A latency histogram with fixed buckets, 1 ms to 10 s (metrics_bucket_usec);
 * counts per bucket (not cumulative: the writer sums them), in microseconds. */
#define METRICS_N_BUCKETS 13
struct metrics_histogram {
	uint64_t bucket[METRICS_N_BUCKETS + 1];  /* the last: above the highest bound */
	uint64_t count;
	uint64_t sum_usec;
};

/* Upper bound of bucket i (0 <= i < METRICS_N_BUCKETS), in microseconds. */
uint64_t metrics_bucket_usec(size_t i);

/* Count one observation of usec microseconds. */
void metrics_histogram_observe(struct metrics_histogram *h, uint64_t usec);

/* name_bucket{labels...,le="0.001"} ... le="+Inf", name_sum (seconds) and
 * name_count.  labels may be NULL when n is 0; at most 7 labels. */
void metrics_histogram_write(FILE *f, const char *name, const struct metrics_label *labels,
			     size_t n, const struct metrics_histogram *h);

#endif
