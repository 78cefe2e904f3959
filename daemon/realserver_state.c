#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/realserver_state.h"
#include "xalloc.h"

#define STATE_MAGIC "lbha-realserver-state"
#define STATE_VERSION 1
/* More than any real run makes; a bound on what a corrupt file can cost. */
#define STATE_MAX_RECORDS 4096

void rs_state_done(struct rs_state *s)
{
	if (!s)
		return;
	free(s->v);
	*s = (struct rs_state){ 0 };
}

bool rs_state_add(struct rs_state *s, const struct rs_change *c)
{
	for (size_t i = 0; i < s->n; i++)
		if (rs_change_same_target(&s->v[i], c))
			return false;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = *c;
	return true;
}

/* ---- format ------------------------------------------------------------------- */

char *rs_state_format(const struct rs_state *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort(); /* out of memory, as xmalloc would */

	fprintf(f, "# What `lbha realserver` changed and what it found before;\n"
		   "# `lbha realserver --undo` restores it.  Do not edit.\n"
		   STATE_MAGIC " %d\n", STATE_VERSION);
	for (size_t i = 0; i < s->n; i++) {
		const struct rs_change *c = &s->v[i];
		char a[CONFIG_ADDR_STRLEN];
		struct config_prefix p = { .addr = c->addr, .len = c->prefixlen };

		fprintf(f, "%s %s", rs_kind_to_string(c->kind), c->name);
		if (c->kind == RS_SYSCTL) {
			if (c->old_known)
				fprintf(f, " %d %d", c->old_value, c->new_value);
			else
				fprintf(f, " - %d", c->new_value);
		} else if (c->kind == RS_ADDR) {
			fprintf(f, " %s", config_prefix_to_string(&p, a, sizeof(a)));
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* ---- parse -------------------------------------------------------------------- */

#define MAX_WORDS 5

/* Split a line (modified in place) into at most MAX_WORDS words; a '#'
 * starts a comment.  Returns the word count, or -1 for too many words. */
static int split(char *line, char *words[MAX_WORDS])
{
	int n = 0;
	char *save = NULL;

	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	for (char *w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
		if (n == MAX_WORDS)
			return -1;
		words[n++] = w;
	}
	return n;
}

static bool parse_int(const char *s, int *ret)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < INT_MIN || v > INT_MAX)
		return false;
	*ret = (int)v;
	return true;
}

/* Names come back into paths (/proc/sys/...) and netlink requests: allow
 * only what sysctl keys, interface and module names use. */
static bool name_ok(enum rs_kind kind, const char *s)
{
	size_t max = kind == RS_LINK_UP || kind == RS_ADDR ? IFNAMSIZ : RS_NAME_MAX;

	if (!*s || strlen(s) >= max || strstr(s, ".."))
		return false;
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-/:@", *p))
			return false;
	return kind != RS_SYSCTL || strncmp(s, "net.", 4) == 0;
}

/* One record line (words[0] is its kind). */
static bool parse_record(char **w, int n, struct rs_change *ret)
{
	struct rs_change c = { .kind = rs_kind_from_string(w[0]) };
	/* words each kind takes, its name included */
	static const int n_words[_RS_KIND_MAX] = {
		[RS_MODULE] = 2, [RS_SYSCTL] = 4, [RS_LINK_UP] = 2, [RS_ADDR] = 3,
	};

	if (c.kind < 0 || n != n_words[c.kind] || !name_ok(c.kind, w[1]))
		return false;
	snprintf(c.name, sizeof(c.name), "%s", w[1]);
	if (c.kind == RS_SYSCTL) {
		c.old_known = strcmp(w[2], "-") != 0;
		if ((c.old_known && !parse_int(w[2], &c.old_value)) || !parse_int(w[3], &c.new_value))
			return false;
	} else if (c.kind == RS_ADDR) {
		struct config_prefix p;
		bool had_len;
		if (config_prefix_parse(w[2], &p, &had_len) < 0 || !had_len)
			return false;
		c.addr = p.addr;
		c.prefixlen = p.len;
	}
	*ret = c;
	return true;
}

int rs_state_parse(const char *text, struct rs_state *ret, unsigned *ret_line)
{
	char *copy = xstrdup(text);
	struct rs_state s = { 0 };
	bool have_version = false;
	unsigned lineno = 0;
	int r = 0;

	/* strtok_r would merge empty lines and miscount them: walk by hand */
	for (char *line = copy, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		char *w[MAX_WORDS];
		int n = split(line, w);
		if (n == 0)
			continue;
		if (n < 0) {
			r = -EINVAL;
			break;
		}
		if (!have_version) {
			int version;
			if (n != 2 || strcmp(w[0], STATE_MAGIC) != 0 || !parse_int(w[1], &version) ||
			    version != STATE_VERSION) {
				r = -EINVAL;
				break;
			}
			have_version = true;
			continue;
		}
		struct rs_change c;
		if (!parse_record(w, n, &c) || s.n >= STATE_MAX_RECORDS) {
			r = -EINVAL;
			break;
		}
		rs_state_add(&s, &c);
	}
	free(copy);
	if (r == 0 && !have_version) {
		r = -EINVAL;
		lineno = 0;
	}
	if (r < 0) {
		rs_state_done(&s);
		if (ret_line)
			*ret_line = lineno;
		return r;
	}
	*ret = s;
	return 0;
}
