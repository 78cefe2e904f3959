#include <config.h>

/* status_table: see status_table.h.  The members read here are written by
 * vrrp/vrrp_status.c (vrrp.json), checker/reconcile.c and
 * checker/servers_status.c (checker.json) and daemon/status.c (the frame
 * every child writes). */

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse.h"
#include "daemon/status_table.h"
#include "xalloc.h"

/* ---- an aligned text table ---- */

#define TABLE_MAX_COLS 8
#define CELL_NONE SIZE_MAX

/* Rows of cells; every cell but a row's last is padded to its column's
 * width. */
struct table {
	size_t n_cols;
	size_t width[TABLE_MAX_COLS];
	char *text;                   /* every cell, NUL-terminated, back to back */
	size_t len, cap;
	size_t *cells;                /* n_rows x TABLE_MAX_COLS offsets into text */
	size_t n_rows, cap_rows;
	size_t col;                   /* the next cell of the last row */
};

/* Display width: UTF-8 continuation bytes take no column. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void table_row(struct table *t)
{
	if (t->n_rows == t->cap_rows) {
		t->cap_rows = t->cap_rows ? 2 * t->cap_rows : 16;
		t->cells = xreallocarray(t->cells, t->cap_rows, TABLE_MAX_COLS * sizeof(*t->cells));
	}
	for (size_t i = 0; i < TABLE_MAX_COLS; i++)
		t->cells[t->n_rows * TABLE_MAX_COLS + i] = CELL_NONE;
	t->n_rows++;
	t->col = 0;
}

static void table_reserve(struct table *t, size_t more)
{
	if (t->cap - t->len >= more)
		return;
	while (t->cap - t->len < more)
		t->cap = t->cap ? 2 * t->cap : 4096;
	t->text = xreallocarray(t->text, t->cap, 1);
}

/* The next cell of the last row.  Bytes below 0x20 (and DEL) become '?':
 * the text comes from files, and goes to a terminal. */
static void __attribute__((format(printf, 2, 3))) table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char small[128];

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || t->col >= t->n_cols)
		return;
	table_reserve(t, (size_t)n + 1);
	char *cell = t->text + t->len;
	if ((size_t)n < sizeof(small)) {
		memcpy(cell, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(cell, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	for (char *c = cell; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';

	t->cells[(t->n_rows - 1) * TABLE_MAX_COLS + t->col] = t->len;
	t->len += (size_t)n + 1;
	t->col++;
}

/* The last cell of a row (never padded). */
static size_t row_last(const size_t *row)
{
	size_t last = 0;

	for (size_t c = 0; c < TABLE_MAX_COLS; c++)
		if (row[c] != CELL_NONE)
			last = c;
	return last;
}

/* Widths from the padded cells only: a short row's last cell (a virtual
 * server's quorum) may run over the columns it does not use. */
static void table_measure(struct table *t)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		const size_t *row = t->cells + r * TABLE_MAX_COLS;
		size_t last = row_last(row);
		for (size_t c = 0; c < last; c++) {
			size_t w = row[c] != CELL_NONE ? text_width(t->text + row[c]) : 0;
			if (w > t->width[c])
				t->width[c] = w;
		}
	}
}

static void table_print(struct table *t, FILE *f)
{
	table_measure(t);
	for (size_t r = 0; r < t->n_rows; r++) {
		const size_t *row = t->cells + r * TABLE_MAX_COLS;
		size_t last = row_last(row);

		for (size_t c = 0; c <= last; c++) {
			const char *s = row[c] != CELL_NONE ? t->text + row[c] : "";
			fputs(s, f);
			if (c < last)
				fprintf(f, "%*s", (int)(t->width[c] - text_width(s) + 2), "");
		}
		fputc('\n', f);
	}
}

static void table_done(struct table *t)
{
	free(t->text);
	free(t->cells);
	*t = (struct table){ 0 };
}

static void table_init(struct table *t, const char *const *heads, size_t n)
{
	*t = (struct table){ .n_cols = n < TABLE_MAX_COLS ? n : TABLE_MAX_COLS };
	table_row(t);
	for (size_t i = 0; i < t->n_cols; i++)
		table_cell(t, "%s", heads[i]);
}

/* s with control characters as '?', as table_cell() shows them. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

/* ---- reading members ---- */

static bool get_u64(const struct json_value *o, const char *key, uint64_t *ret)
{
	return json_u64(json_get(o, key), ret) == 0;
}

/* A string member, `def` when missing or not a string. */
static const char *get_str(const struct json_value *o, const char *key, const char *def)
{
	const char *s = json_string(json_get(o, key));
	return s ? s : def;
}

/* A number member as text, "?" when missing. */
static const char *u64_text(const struct json_value *o, const char *key, char *buf, size_t size)
{
	uint64_t v;

	if (!get_u64(o, key, &v))
		return "?";
	snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

/* "5s", "2m 5s", "3h 2m", "4d 3h". */
static void format_duration(char *buf, size_t size, uint64_t s)
{
	if (s >= 86400)
		snprintf(buf, size, "%" PRIu64 "d %" PRIu64 "h", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%" PRIu64 "h %" PRIu64 "m", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, size, "%" PRIu64 "m %" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(buf, size, "%" PRIu64 "s", s);
}

/* "3s ago" for a wall-clock time member; "-" when 0 (never), "?" when
 * missing.  A time ahead of `now` (the clock stepped back) is "0s ago". */
static const char *age_text(const struct json_value *o, const char *key, uint64_t now,
			    char *buf, size_t size)
{
	uint64_t then;
	char d[32];

	if (!get_u64(o, key, &then))
		return "?";
	if (then == 0)
		return "-";
	format_duration(d, sizeof(d), now > then ? now - then : 0);
	snprintf(buf, size, "%s ago", d);
	return buf;
}

/* "now/configured", each "?" when missing. */
static void now_cfg_cell(struct table *t, const struct json_value *o, const char *now_key,
			 const char *cfg_key)
{
	char a[24], b[24];

	table_cell(t, "%s/%s", u64_text(o, now_key, a, sizeof(a)), u64_text(o, cfg_key, b, sizeof(b)));
}

/* ---- the children ---- */

static void write_child_line(FILE *f, const struct status_table_child *c, size_t role_width,
			     uint64_t now)
{
	uint64_t pid, start, gen;
	char up[32];

	fprintf(f, "  %-*s  ", (int)role_width, c->role);
	if (!c->doc) {
		fprintf(f, "%s\n", c->problem ? c->problem : "no status");
		return;
	}
	if (get_u64(c->doc, "pid", &pid))
		fprintf(f, "pid %" PRIu64, pid);
	else
		fputs("pid ?", f);
	if (get_u64(c->doc, "start_time", &start)) {
		format_duration(up, sizeof(up), now > start ? now - start : 0);
		fprintf(f, ", up %s", up);
	}
	if (!get_u64(c->doc, "config_generation", &gen))
		fputs("\n", f);
	else if (gen == 0)
		fputs(", no config yet\n", f);
	else
		fprintf(f, ", config generation %" PRIu64 "\n", gen);
}

/* ---- VRRP ---- */

static void vrrp_row(struct table *t, const struct json_value *in, uint64_t now)
{
	char num[24], age[48];
	bool held = false;
	const char *fault = get_str(in, "fault", NULL);

	json_bool(json_get(in, "held"), &held);
	table_row(t);
	table_cell(t, "%s", get_str(in, "name", "?"));
	table_cell(t, "%s", get_str(in, "interface", "?"));
	table_cell(t, "%s", u64_text(in, "vrid", num, sizeof(num)));
	table_cell(t, "%s%s", get_str(in, "state", "?"), held ? " (held)" : "");
	now_cfg_cell(t, in, "priority", "base_priority");
	table_cell(t, "%s", get_str(in, "master", "-"));
	table_cell(t, "%s", age_text(in, "last_transition", now, age, sizeof(age)));
	table_cell(t, "%s%s%s", get_str(in, "last_reason", "-"), fault ? "; fault: " : "",
		   fault ? fault : "");
}

static void write_vrrp(FILE *f, const struct json_value *doc, uint64_t now)
{
	static const char *const heads[] = {
		"VRRP INSTANCE", "INTERFACE", "VRID", "STATE", "PRIO NOW/CFG", "MASTER",
		"LAST TRANSITION", "REASON",
	};
	const struct json_value *instances = json_get(doc, "instances");
	const struct json_value *groups = json_get(doc, "sync_groups");
	struct table t;

	fputc('\n', f);
	if (json_len(instances) == 0) {
		fputs("VRRP instances: none\n", f);
		return;
	}
	table_init(&t, heads, sizeof(heads) / sizeof(heads[0]));
	for (size_t i = 0; i < json_len(instances); i++)
		vrrp_row(&t, json_at(instances, i), now);
	table_print(&t, f);
	table_done(&t);

	if (json_len(groups) == 0)
		return;
	fputs("Sync groups:", f);
	for (size_t i = 0; i < json_len(groups); i++) {
		const struct json_value *g = json_at(groups, i);
		fputs(i ? ", " : " ", f);
		put_text(f, get_str(g, "name", "?"));
		fputc(' ', f);
		put_text(f, get_str(g, "state", "?"));
	}
	fputc('\n', f);
}

/* ---- checker ---- */

/* The IPVS and health lines; false when the file has neither. */
static bool write_checker_summary(FILE *f, const struct json_value *doc, uint64_t now)
{
	const struct json_value *ipvs = json_get(doc, "ipvs"), *h = json_get(doc, "health");
	char a[24], b[24], c[24], d[24], age[48];
	bool available = false;

	if (ipvs && json_bool(json_get(ipvs, "available"), &available) == 0 && !available) {
		fprintf(f, "IPVS: not available (%s failed attempts to open it)\n",
			u64_text(ipvs, "open_failures", a, sizeof(a)));
	} else if (ipvs) {
		fprintf(f, "IPVS: %s virtual servers, %s real servers installed; last reconcile %s",
			u64_text(ipvs, "services_installed", a, sizeof(a)),
			u64_text(ipvs, "dests_installed", b, sizeof(b)),
			age_text(ipvs, "last_reconcile", now, age, sizeof(age)));
		fputs(" (", f);
		put_text(f, get_str(ipvs, "last_reason", "-"));
		fputs("): ", f);
		put_text(f, get_str(ipvs, "last_result", "?"));
		fputc('\n', f);
	}
	if (h)
		fprintf(f, "Health: %s real servers: %s up, %s down, %s unknown\n",
			u64_text(h, "real_servers", a, sizeof(a)), u64_text(h, "up", b, sizeof(b)),
			u64_text(h, "down", c, sizeof(c)), u64_text(h, "unknown", d, sizeof(d)));
	return ipvs || h;
}

static void rs_row(struct table *t, const struct json_value *rs, uint64_t now)
{
	const char *addr = get_str(rs, "address", "?");
	char port[24], num[24], age[48];
	bool slow = false;

	json_bool(json_get(rs, "slow_start"), &slow);
	table_row(t);
	/* An IPv6 address gets brackets before its port. */
	table_cell(t, strchr(addr, ':') ? "  -> [%s]:%s" : "  -> %s:%s", addr,
		   u64_text(rs, "port", port, sizeof(port)));
	table_cell(t, "%s%s", get_str(rs, "state", "?"), slow ? " (slow start)" : "");
	now_cfg_cell(t, rs, "weight", "configured_weight");
	table_cell(t, "%s", u64_text(rs, "checks", num, sizeof(num)));
	table_cell(t, "%s", u64_text(rs, "failures", num, sizeof(num)));
	table_cell(t, "%s", age_text(rs, "last_change", now, age, sizeof(age)));
	table_cell(t, "%s", get_str(rs, "reason", "-"));
}

static void vs_row(struct table *t, const struct json_value *vs)
{
	bool sorry = false;

	json_bool(json_get(vs, "sorry_active"), &sorry);
	table_row(t);
	table_cell(t, "%s", get_str(vs, "name", "?"));
	table_cell(t, "quorum %s%s", get_str(vs, "quorum", "?"), sorry ? ", sorry server" : "");
}

static void write_virtual_servers(FILE *f, const struct json_value *doc, uint64_t now)
{
	static const char *const heads[] = {
		"VIRTUAL SERVER / REAL SERVER", "HEALTH", "WEIGHT NOW/CFG", "CHECKS", "FAILURES",
		"LAST CHANGE", "REASON",
	};
	const struct json_value *vss = json_get(doc, "virtual_servers");
	struct table t;

	fputc('\n', f);
	if (write_checker_summary(f, doc, now))
		fputc('\n', f);
	if (json_len(vss) == 0) {
		fputs("Virtual servers: none\n", f);
		return;
	}
	table_init(&t, heads, sizeof(heads) / sizeof(heads[0]));
	for (size_t i = 0; i < json_len(vss); i++) {
		const struct json_value *vs = json_at(vss, i), *rss = json_get(vs, "real_servers");
		vs_row(&t, vs);
		for (size_t k = 0; k < json_len(rss); k++)
			rs_row(&t, json_at(rss, k), now);
	}
	table_print(&t, f);
	table_done(&t);
}

void status_table_write(FILE *f, const struct status_table_child *children, size_t n,
			uint64_t now)
{
	size_t role_width = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(children[i].role) > role_width)
			role_width = strlen(children[i].role);
	for (size_t i = 0; i < n; i++)
		write_child_line(f, &children[i], role_width, now);

	/* By member, not by role name: whichever child publishes them. */
	for (size_t i = 0; i < n; i++)
		if (json_is(json_get(children[i].doc, "instances"), JSON_ARRAY))
			write_vrrp(f, children[i].doc, now);
	for (size_t i = 0; i < n; i++)
		if (json_is(json_get(children[i].doc, "virtual_servers"), JSON_ARRAY))
			write_virtual_servers(f, children[i].doc, now);
}
