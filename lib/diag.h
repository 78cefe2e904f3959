/* diag: a list of config diagnostics, each tied to a file and line.
 *
 * The parser and the schema never log; they append here, keep going, and the
 * caller prints the whole list once (`lbha -t` prints every problem, a reload
 * logs them all).  Messages are stored in order of discovery. */
#ifndef LBHA_DIAG_H
#define LBHA_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum diag_severity {
	DIAG_WARNING,
	DIAG_ERROR,
	_DIAG_SEVERITY_MAX,
};

struct diag_entry {
	enum diag_severity severity;
	char *file;     /* NULL when the problem has no place (e.g. command line) */
	unsigned line;  /* 0 when unknown */
	char *message;
};

struct diag {
	struct diag_entry *entries;
	size_t n_entries, cap;
	size_t n_errors, n_warnings;
	/* Cap on stored entries, so a 10 MB file of garbage cannot make 10^6 messages;
	 * past it entries are counted but not stored.  0 means the default (1000). */
	size_t max_entries;
	size_t n_dropped;
};

void diag_init(struct diag *d);
void diag_done(struct diag *d);

/* Append one message.  `file` may be NULL, `line` 0. */
void diag_add(struct diag *d, enum diag_severity sev, const char *file, unsigned line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define diag_error(d, file, line, ...) diag_add((d), DIAG_ERROR, (file), (line), __VA_ARGS__)
#define diag_warn(d, file, line, ...) diag_add((d), DIAG_WARNING, (file), (line), __VA_ARGS__)

/* Turn every warning into an error (`--strict`). */
void diag_promote_warnings(struct diag *d);

/* Print every entry as "file:line: error: message" (or "warning:"), one per line,
 * then a line about dropped entries if any. */
void diag_print(const struct diag *d, FILE *out);

/* Format one entry into buf, same format as diag_print without the newline. */
void diag_format(const struct diag_entry *e, char *buf, size_t size);

const char *diag_severity_to_string(enum diag_severity s);

#endif
