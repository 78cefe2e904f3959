#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xalloc.h"

#define DIAG_DEFAULT_MAX 1000

static const char *const severity_names[_DIAG_SEVERITY_MAX] = {
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
};

const char *diag_severity_to_string(enum diag_severity s)
{
	return (s >= 0 && s < _DIAG_SEVERITY_MAX) ? severity_names[s] : "?";
}

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_done(struct diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_entries; i++) {
		free(d->entries[i].file);
		free(d->entries[i].message);
	}
	free(d->entries);
	diag_init(d);
}

void diag_add(struct diag *d, enum diag_severity sev, const char *file, unsigned line,
	      const char *fmt, ...)
{
	size_t max = d->max_entries ? d->max_entries : DIAG_DEFAULT_MAX;

	if (sev == DIAG_ERROR)
		d->n_errors++;
	else
		d->n_warnings++;
	if (d->n_entries >= max) {
		d->n_dropped++;
		return;
	}
	if (d->n_entries == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->entries = xreallocarray(d->entries, d->cap, sizeof(*d->entries));
	}

	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);

	d->entries[d->n_entries++] = (struct diag_entry){
		.severity = sev,
		.file = file ? xstrdup(file) : NULL,
		.line = line,
		.message = msg,
	};
}

void diag_promote_warnings(struct diag *d)
{
	for (size_t i = 0; i < d->n_entries; i++)
		d->entries[i].severity = DIAG_ERROR;
	d->n_errors += d->n_warnings;
	d->n_warnings = 0;
}

void diag_format(const struct diag_entry *e, char *buf, size_t size)
{
	const char *sev = diag_severity_to_string(e->severity);

	if (e->file && e->line)
		snprintf(buf, size, "%s:%u: %s: %s", e->file, e->line, sev, e->message);
	else if (e->file)
		snprintf(buf, size, "%s: %s: %s", e->file, sev, e->message);
	else
		snprintf(buf, size, "%s: %s", sev, e->message);
}

void diag_print(const struct diag *d, FILE *out)
{
	char buf[4096];

	for (size_t i = 0; i < d->n_entries; i++) {
		diag_format(&d->entries[i], buf, sizeof(buf));
		fprintf(out, "%s\n", buf);
	}
	if (d->n_dropped)
		fprintf(out, "... and %zu more problems not shown\n", d->n_dropped);
}
