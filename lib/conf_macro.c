#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conf_macro.h"
#include "xalloc.h"

/* Bounds that make a self-referencing definition an error, not a hang. */
#define MACRO_MAX_EXPANSIONS 10000
#define MACRO_MAX_OUTPUT (1u << 20)

struct macro {
	char *name;
	char *value;
};

struct conf_macros {
	struct macro *v;
	size_t n, cap;
	char *pwd;
	char *instance;
	unsigned random_state;
};

struct conf_macros *conf_macros_new(const char *instance)
{
	struct conf_macros *m = xnew(struct conf_macros);

	m->instance = xstrdup(instance ? instance : "");
	m->pwd = xstrdup(".");
	m->random_state = 12345;
	return m;
}

struct conf_macros *conf_macros_free(struct conf_macros *m)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].value);
	}
	free(m->v);
	free(m->pwd);
	free(m->instance);
	free(m);
	return NULL;
}

void conf_macros_set_pwd(struct conf_macros *m, const char *dir)
{
	free(m->pwd);
	m->pwd = xstrdup(dir);
}

static struct macro *find(const struct conf_macros *m, const char *name, size_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->v[i].name) == len && memcmp(m->v[i].name, name, len) == 0)
			return &m->v[i];
	return NULL;
}

void conf_macros_define(struct conf_macros *m, const char *name, size_t name_len,
			const char *value)
{
	struct macro *old = find(m, name, name_len);

	if (old) {
		free(old->value);
		old->value = xstrdup(value);
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	m->v[m->n++] = (struct macro){ .name = xstrndup(name, name_len), .value = xstrdup(value) };
}

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

size_t conf_macros_is_definition(const char *line, size_t *value_start)
{
	size_t i = 1;

	if (line[0] != '$' || !name_start(line[1]))
		return 0;
	while (name_char(line[i]))
		i++;
	if (line[i] != '=')
		return 0;
	*value_start = i + 1;
	return i - 1;
}

/* The value of a pre-defined parameter, or NULL.  `args` is what followed the
 * name inside ${...} (only _RANDOM takes any). */
static char *predefined(const struct conf_macros *cm, const char *name, size_t len,
			const char *args)
{
	static const struct {
		const char *name;
		const char *value;
	} constants[] = { { "_HASH", "#" }, { "_BANG", "!" } };

	for (size_t i = 0; i < sizeof(constants) / sizeof(constants[0]); i++)
		if (strlen(constants[i].name) == len && !memcmp(constants[i].name, name, len))
			return xstrdup(constants[i].value);
	if (len == 4 && !memcmp(name, "_PWD", 4))
		return xstrdup(cm->pwd);
	if (len == 9 && !memcmp(name, "_INSTANCE", 9))
		return xstrdup(cm->instance);
	if (len == 7 && !memcmp(name, "_RANDOM", 7)) {
		unsigned long lo = 0, hi = 32767;
		char *end;
		if (args && *args) {
			lo = strtoul(args, &end, 10);
			if (*end)
				hi = strtoul(end, NULL, 10);
		}
		if (hi < lo)
			hi = lo;
		/* Deterministic (a fixed seed per load) so a reload sees the same config. */
		struct conf_macros *mm = (struct conf_macros *)cm;
		mm->random_state = mm->random_state * 1103515245u + 12345u;
		return xasprintf("%lu", lo + (mm->random_state >> 8) % (hi - lo + 1));
	}
	return NULL;
}

static char *lookup(const struct conf_macros *m, const char *name, size_t len, const char *args)
{
	struct macro *mac = find(m, name, len);

	if (mac)
		return xstrdup(mac->value);
	return predefined(m, name, len, args);
}

struct outbuf {
	char *s;
	size_t len, cap;
};

static void out_put(struct outbuf *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->s = xreallocarray(o->s, o->cap, 1);
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* One pass: replace each reference once.  Returns the number replaced. */
static size_t expand_once(const struct conf_macros *m, const char *in, struct outbuf *o)
{
	size_t replaced = 0;

	out_put(o, "", 0);
	for (size_t i = 0; in[i];) {
		if (in[i] != '$') {
			out_put(o, &in[i++], 1);
			continue;
		}
		char *value = NULL;
		size_t skip = 0;
		if (in[i + 1] == '{' && name_start(in[i + 2])) {
			size_t j = i + 2;
			while (name_char(in[j]))
				j++;
			const char *close = strchr(in + j, '}');
			if (close && (in[j] == '}' || in[j] == ' ')) {
				char *args = xstrndup(in + j, (size_t)(close - (in + j)));
				value = lookup(m, in + i + 2, j - i - 2, args);
				free(args);
				skip = (size_t)(close - (in + i)) + 1;
			}
		} else if (name_start(in[i + 1])) {
			size_t j = i + 1;
			while (name_char(in[j]))
				j++;
			if (in[j] == '\0' || isspace((unsigned char)in[j])) {
				value = lookup(m, in + i + 1, j - i - 1, NULL);
				skip = j - i;
			}
		}
		if (value) {
			out_put(o, value, strlen(value));
			free(value);
			i += skip;
			replaced++;
		} else {
			out_put(o, &in[i++], 1);
		}
	}
	return replaced;
}

char *conf_macros_expand(const struct conf_macros *m, const char *line, bool *changed)
{
	char *cur = xstrdup(line);
	size_t total = 0;

	*changed = false;
	if (!strchr(line, '$'))
		return cur;
	for (;;) {
		struct outbuf o = { 0 };
		size_t n = expand_once(m, cur, &o);
		free(cur);
		cur = o.s;
		if (n == 0)
			return cur;
		*changed = true;
		total += n;
		if (total > MACRO_MAX_EXPANSIONS || o.len > MACRO_MAX_OUTPUT) {
			free(cur);
			return NULL;
		}
	}
}
