/* config_text: the text helpers the schema's parsers and printers share:
 * numbers, durations, booleans, enum names and addresses with errors that
 * name the keyword, value and accepted range; word lists; scripts (split for
 * execve, never for a shell); and the printer that writes the canonical
 * dump with keepalived's quoting. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "daemon/config_schema.h"
#include "xalloc.h"

/* ---- text helpers ----------------------------------------------------------- */

int config_parse_uint_text(const char *s, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*ret = v;
	return 0;
}

int config_parse_int_text(const char *s, int64_t *ret)
{
	bool neg = false;
	uint64_t v;
	int r;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	r = config_parse_uint_text(s, &v);
	if (r < 0)
		return r;
	if (v > (uint64_t)INT64_MAX)
		return -ERANGE;
	*ret = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int config_parse_duration_text(const char *s, uint64_t *ret_us)
{
	uint64_t whole = 0, frac = 0;
	size_t n_whole = 0, n_frac = 0;

	for (; *s >= '0' && *s <= '9'; s++, n_whole++) {
		if (whole > 1000000000u)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, n_frac++) {
			if (n_frac >= 6)
				return -ERANGE; /* finer than the microsecond resolution */
			frac = frac * 10 + (uint64_t)(*s - '0');
		}
	}
	if (*s || n_whole + n_frac == 0)
		return -EINVAL;
	for (size_t i = n_frac; i < 6; i++)
		frac *= 10;
	*ret_us = whole * 1000000u + frac;
	return 0;
}

void config_format_duration(uint64_t us, char *buf, size_t size)
{
	uint64_t frac = us % 1000000u;

	if (!frac) {
		snprintf(buf, size, "%" PRIu64, us / 1000000u);
		return;
	}
	char f[8];
	snprintf(f, sizeof(f), "%06" PRIu64, frac);
	for (size_t i = 5; i > 0 && f[i] == '0'; i--)
		f[i] = '\0';
	snprintf(buf, size, "%" PRIu64 ".%s", us / 1000000u, f);
}

int config_parse_bool_text(const char *s, bool *ret)
{
	static const char *const yes[] = { "on", "true", "yes", NULL };
	static const char *const no[] = { "off", "false", "no", NULL };

	for (size_t i = 0; yes[i]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

int config_expect_args(struct config_ctx *c, const struct conf_node *n, size_t min, size_t max)
{
	if (n->n_args < min) {
		diag_error(c->d, n->file, n->line, "missing argument to '%s'", n->keyword);
		return -EINVAL;
	}
	if (n->n_args > max) {
		if (max == 0)
			diag_error(c->d, n->file, n->line, "'%s' takes no argument ('%s' is extra)",
				   n->keyword, n->args[0].text);
		else
			diag_error(c->d, n->file, n->line, "too many arguments to '%s' ('%s' is extra)",
				   n->keyword, n->args[max].text);
		return -EINVAL;
	}
	return 0;
}

int config_parse_int_range(struct config_ctx *c, const struct conf_node *n, const char *what,
			   const char *s, int64_t min, int64_t max, int64_t *ret)
{
	int64_t v;
	int r = config_parse_int_text(s, &v);

	if (r == -EINVAL) {
		diag_error(c->d, n->file, n->line, "%s '%s' is not an integer (expected %" PRId64
			   "-%" PRId64 ")", what, s, min, max);
		return -EINVAL;
	}
	if (r < 0 || v < min || v > max) {
		diag_error(c->d, n->file, n->line, "%s %s is out of range (%" PRId64 "-%" PRId64 ")",
			   what, s, min, max);
		return -ERANGE;
	}
	*ret = v;
	return 0;
}

int config_parse_duration_range(struct config_ctx *c, const struct conf_node *n, const char *what,
				const char *s, uint64_t min_us, uint64_t max_us, uint64_t *ret)
{
	char a[32], b[32];
	uint64_t v;
	int r = config_parse_duration_text(s, &v);

	config_format_duration(min_us, a, sizeof(a));
	config_format_duration(max_us, b, sizeof(b));
	if (r == -EINVAL) {
		diag_error(c->d, n->file, n->line,
			   "%s '%s' is not a time in seconds (expected %s-%s, e.g. 1 or 0.5)", what, s,
			   a, b);
		return -EINVAL;
	}
	if (r < 0 || v < min_us || v > max_us) {
		diag_error(c->d, n->file, n->line, "%s %s is out of range (%s-%s seconds%s)", what, s,
			   a, b, r < 0 && r != -EINVAL ? ", resolution 0.000001" : "");
		return -ERANGE;
	}
	*ret = v;
	return 0;
}

int config_parse_enum(struct config_ctx *c, const struct conf_node *n, const char *what,
		      const char *s, const char *const *names)
{
	char list[512];
	size_t len = 0;

	for (int i = 0; names[i]; i++)
		if (names[i][0] && strcasecmp(s, names[i]) == 0)
			return i;
	list[0] = '\0';
	for (int i = 0; names[i] && len < sizeof(list); i++) {
		if (!names[i][0])
			continue;
		int w = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", names[i]);
		if (w > 0)
			len += (size_t)w;
	}
	diag_error(c->d, n->file, n->line, "unknown %s '%s'; expected one of: %s", what, s, list);
	return -EINVAL;
}

int config_parse_addr(struct config_ctx *c, const struct conf_node *n, const char *what,
		      const char *s, struct config_addr *ret)
{
	if (config_addr_parse(s, ret) < 0) {
		diag_error(c->d, n->file, n->line, "%s '%s' is not an IPv4 or IPv6 address", what, s);
		return -EINVAL;
	}
	return 0;
}

bool config_str_equal(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

bool config_strv_equal(const struct config_strv *a, const struct config_strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

void config_strv_clear(struct config_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	*v = (struct config_strv){ 0 };
}

void config_strv_append(struct config_strv *v, const char *s)
{
	/* doubled at powers of two, as config_list_append */
	if ((v->n & (v->n - 1)) == 0)
		v->v = xreallocarray(v->v, v->n ? 2 * v->n : 1, sizeof(*v->v));
	v->v[v->n++] = xstrdup(s);
}

/* ---- scripts ------------------------------------------------------------------ */

/* Split on unquoted blanks; '...' and "..." group (keepalived's rule for
 * arguments with spaces inside a quoted command). */
static void split_cmd(const char *cmd, char ***ret_argv, size_t *ret_argc)
{
	char **argv = NULL;
	size_t argc = 0;
	const char *p = cmd;

	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		char *w = xmalloc(strlen(p) + 1);
		size_t len = 0;
		char q = 0;
		for (; *p && (q || !isspace((unsigned char)*p)); p++) {
			if (q && *p == q)
				q = 0;
			else if (!q && (*p == '\'' || *p == '"'))
				q = *p;
			else
				w[len++] = *p;
		}
		w[len] = '\0';
		argv = xreallocarray(argv, argc + 2, sizeof(*argv));
		argv[argc++] = w;
	}
	if (!argv)
		argv = xcalloc(1, sizeof(*argv));
	argv[argc] = NULL;
	*ret_argv = argv;
	*ret_argc = argc;
}

struct config_script *config_script_new(const char *cmd, const char *user, const char *group)
{
	struct config_script *s = xnew(struct config_script);

	s->cmd = xstrdup(cmd);
	split_cmd(cmd, &s->argv, &s->argc);
	s->user = user ? xstrdup(user) : NULL;
	s->group = group ? xstrdup(group) : NULL;
	return s;
}

struct config_script *config_script_free(struct config_script *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < s->argc; i++)
		free(s->argv[i]);
	free(s->argv);
	free(s->cmd);
	free(s->user);
	free(s->group);
	free(s);
	return NULL;
}

bool config_script_equal(const struct config_script *a, const struct config_script *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a->cmd, b->cmd) == 0 && config_str_equal(a->user, b->user) &&
	       config_str_equal(a->group, b->group);
}

/* ---- printing ------------------------------------------------------------------ */

static void indent(struct config_printer *p)
{
	for (unsigned i = 0; i < p->depth; i++)
		fputc('\t', p->f);
}

static bool needs_quotes(const char *w)
{
	if (!*w)
		return true;
	for (const char *s = w; *s; s++)
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s) ||
		    strchr("\"'!#{}\\", *s))
			return true;
	return false;
}

static void put_word(FILE *f, const char *w)
{
	if (!needs_quotes(w)) {
		fputs(w, f);
		return;
	}
	fputc('"', f);
	for (const char *s = w; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (iscntrl(ch))
			fprintf(f, "\\%03o", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void config_pr_begin(struct config_printer *p, const char *keyword)
{
	indent(p);
	p->fresh = !keyword;
	if (keyword)
		put_word(p->f, keyword);
}

static void space(struct config_printer *p)
{
	if (!p->fresh)
		fputc(' ', p->f);
	p->fresh = false;
}

void config_pr_word(struct config_printer *p, const char *word)
{
	space(p);
	put_word(p->f, word);
}

void config_pr_fmt(struct config_printer *p, const char *fmt, ...)
{
	va_list ap;

	space(p);
	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
}

void config_pr_end(struct config_printer *p)
{
	fputc('\n', p->f);
}

void config_pr_open(struct config_printer *p)
{
	fputs(" {\n", p->f);
	p->depth++;
}

void config_pr_close(struct config_printer *p)
{
	p->depth--;
	indent(p);
	fputs("}\n", p->f);
}

void config_pr_addr(struct config_printer *p, const struct config_addr *a)
{
	char buf[CONFIG_ADDR_STRLEN];

	config_pr_word(p, config_addr_to_string(a, buf, sizeof(buf)));
}

void config_pr_duration(struct config_printer *p, uint64_t us)
{
	char buf[32];

	config_format_duration(us, buf, sizeof(buf));
	config_pr_word(p, buf);
}
