/* config_value: the generic value types of the schema (flags, booleans,
 * bounded integers, durations, strings, addresses, enums, word lists,
 * scripts); the helpers they use are in config_text.c.
 *
 * Every parser reports its own error, naming the keyword, the value and what
 * would have been accepted, and leaves the field alone on error: a bad value
 * never quietly turns into a default. */
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

static void print_simple(struct config_printer *p, const char *kw, const char *value)
{
	config_pr_begin(p, kw);
	if (value)
		config_pr_word(p, value);
	config_pr_end(p);
}

/* ---- flags and booleans -------------------------------------------------------- */

static int flag_parse(struct config_ctx *c, const struct config_keyword *kw,
		      const struct conf_node *n, void *obj, void *field)
{
	if (config_expect_args(c, n, 0, 0) < 0)
		return -EINVAL;
	*(bool *)field = kw->type == &config_type_flag;
	return 0;
}

static void flag_print(struct config_printer *p, const struct config_keyword *kw,
		       const void *field)
{
	if (*(const bool *)field == (kw->type == &config_type_flag))
		print_simple(p, kw->keyword, NULL);
}

static bool bool_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return *(const bool *)a == *(const bool *)b;
}

const struct config_type config_type_flag = {
	.name = "flag", .parse = flag_parse, .print = flag_print, .equal = bool_equal,
};
const struct config_type config_type_flag_false = {
	.name = "flag", .parse = flag_parse, .print = flag_print, .equal = bool_equal,
};

static int bool_parse(struct config_ctx *c, const struct config_keyword *kw,
		      const struct conf_node *n, void *obj, void *field)
{
	bool v = true;

	if (config_expect_args(c, n, 0, 1) < 0)
		return -EINVAL;
	if (n->n_args == 1 && config_parse_bool_text(n->args[0].text, &v) < 0) {
		diag_error(c->d, n->file, n->line,
			   "%s '%s' is not a boolean (expected on, off, true, false, yes or no)",
			   n->keyword, n->args[0].text);
		return -EINVAL;
	}
	*(bool *)field = v;
	return 0;
}

static void bool_print(struct config_printer *p, const struct config_keyword *kw,
		       const void *field)
{
	print_simple(p, kw->keyword, *(const bool *)field ? "true" : "false");
}

const struct config_type config_type_bool = {
	.name = "boolean", .parse = bool_parse, .print = bool_print, .equal = bool_equal,
};

static int tristate_parse(struct config_ctx *c, const struct config_keyword *kw,
			  const struct conf_node *n, void *obj, void *field)
{
	if (config_expect_args(c, n, 0, 0) < 0)
		return -EINVAL;
	*(int *)field = kw->type == &config_type_tristate_on;
	return 0;
}

static void tristate_print(struct config_printer *p, const struct config_keyword *kw,
			   const void *field)
{
	if (*(const int *)field == (kw->type == &config_type_tristate_on))
		print_simple(p, kw->keyword, NULL);
}

static bool int_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return *(const int *)a == *(const int *)b;
}

const struct config_type config_type_tristate_on = {
	.name = "flag", .parse = tristate_parse, .print = tristate_print, .equal = int_equal,
};
const struct config_type config_type_tristate_off = {
	.name = "flag", .parse = tristate_parse, .print = tristate_print, .equal = int_equal,
};

/* ---- integers ------------------------------------------------------------------ */

static int num_parse(struct config_ctx *c, const struct config_keyword *kw,
		     const struct conf_node *n, void *obj, void *field)
{
	int64_t v;

	if (config_expect_args(c, n, 1, 1) < 0 ||
	    config_parse_int_range(c, n, n->keyword, n->args[0].text, kw->min, kw->max, &v) < 0)
		return -EINVAL;
	if (kw->type == &config_type_u8)
		*(uint8_t *)field = (uint8_t)v;
	else if (kw->type == &config_type_u16)
		*(uint16_t *)field = (uint16_t)v;
	else if (kw->type == &config_type_u32)
		*(uint32_t *)field = (uint32_t)v;
	else
		*(int32_t *)field = (int32_t)v;
	return 0;
}

static int64_t num_get(const struct config_keyword *kw, const void *field)
{
	if (kw->type == &config_type_u8)
		return *(const uint8_t *)field;
	if (kw->type == &config_type_u16)
		return *(const uint16_t *)field;
	if (kw->type == &config_type_u32)
		return *(const uint32_t *)field;
	return *(const int32_t *)field;
}

static void num_print(struct config_printer *p, const struct config_keyword *kw, const void *field)
{
	if ((kw->flags & CONFIG_KW_UNSET0) && num_get(kw, field) == 0)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_fmt(p, "%" PRId64, num_get(kw, field));
	config_pr_end(p);
}

static bool num_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return num_get(kw, a) == num_get(kw, b);
}

const struct config_type config_type_u8 = {
	.name = "integer", .parse = num_parse, .print = num_print, .equal = num_equal,
};
const struct config_type config_type_u16 = {
	.name = "integer", .parse = num_parse, .print = num_print, .equal = num_equal,
};
const struct config_type config_type_u32 = {
	.name = "integer", .parse = num_parse, .print = num_print, .equal = num_equal,
};
const struct config_type config_type_i32 = {
	.name = "integer", .parse = num_parse, .print = num_print, .equal = num_equal,
};

static int duration_parse(struct config_ctx *c, const struct config_keyword *kw,
			  const struct conf_node *n, void *obj, void *field)
{
	uint64_t v;

	if (config_expect_args(c, n, 1, 1) < 0 ||
	    config_parse_duration_range(c, n, n->keyword, n->args[0].text, (uint64_t)kw->min,
					(uint64_t)kw->max, &v) < 0)
		return -EINVAL;
	*(uint64_t *)field = v;
	return 0;
}

static void duration_print(struct config_printer *p, const struct config_keyword *kw,
			   const void *field)
{
	if ((kw->flags & CONFIG_KW_UNSET0) && *(const uint64_t *)field == 0)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_duration(p, *(const uint64_t *)field);
	config_pr_end(p);
}

static bool u64_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return *(const uint64_t *)a == *(const uint64_t *)b;
}

const struct config_type config_type_duration = {
	.name = "duration", .parse = duration_parse, .print = duration_print, .equal = u64_equal,
};

/* ---- strings -------------------------------------------------------------------- */

static int string_parse(struct config_ctx *c, const struct config_keyword *kw,
			const struct conf_node *n, void *obj, void *field)
{
	char **s = field;

	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	if (kw->max > 0 && strlen(n->args[0].text) > (size_t)kw->max) {
		diag_error(c->d, n->file, n->line, "%s '%s' is longer than %" PRId64 " characters",
			   n->keyword, n->args[0].text, kw->max);
		return -EINVAL;
	}
	free(*s);
	*s = xstrdup(n->args[0].text);
	return 0;
}

static void string_print(struct config_printer *p, const struct config_keyword *kw,
			 const void *field)
{
	const char *s = *(char *const *)field;

	if (s)
		print_simple(p, kw->keyword, s);
}

static bool string_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_str_equal(*(char *const *)a, *(char *const *)b);
}

static void string_free(const struct config_keyword *kw, void *field)
{
	char **s = field;

	free(*s);
	*s = NULL;
}

const struct config_type config_type_string = {
	.name = "string", .parse = string_parse, .print = string_print, .equal = string_equal,
	.free = string_free,
};

static int strv_parse(struct config_ctx *c, const struct config_keyword *kw,
		      const struct conf_node *n, void *obj, void *field)
{
	struct config_strv *v = field;

	if (config_expect_args(c, n, (size_t)kw->min, (size_t)kw->max) < 0)
		return -EINVAL;
	config_strv_clear(v);
	for (size_t i = 0; i < n->n_args; i++)
		config_strv_append(v, n->args[i].text);
	return 0;
}

static void strv_print(struct config_printer *p, const struct config_keyword *kw,
		       const void *field)
{
	const struct config_strv *v = field;

	if (v->n == 0)
		return;
	config_pr_begin(p, kw->keyword);
	for (size_t i = 0; i < v->n; i++)
		config_pr_word(p, v->v[i]);
	config_pr_end(p);
}

static bool strv_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_strv_equal(a, b);
}

static void strv_free(const struct config_keyword *kw, void *field)
{
	config_strv_clear(field);
}

const struct config_type config_type_strv = {
	.name = "words", .parse = strv_parse, .print = strv_print, .equal = strv_equal,
	.free = strv_free,
};

/* `user NAME [GROUP]`: the group field sits at offset kw->max of the object. */
static int user_parse(struct config_ctx *c, const struct config_keyword *kw,
		      const struct conf_node *n, void *obj, void *field)
{
	char **user = field, **group = (char **)((char *)obj + kw->max);

	if (config_expect_args(c, n, 1, 2) < 0)
		return -EINVAL;
	free(*user);
	free(*group);
	*user = xstrdup(n->args[0].text);
	*group = n->n_args > 1 ? xstrdup(n->args[1].text) : NULL;
	return 0;
}

static void user_print(struct config_printer *p, const struct config_keyword *kw,
		       const void *field)
{
	char *const *user = field;
	char *const *group = (char *const *)((const char *)field - kw->offset + kw->max);

	if (!*user)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_word(p, *user);
	if (*group)
		config_pr_word(p, *group);
	config_pr_end(p);
}

static bool user_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	char *const *ga = (char *const *)((const char *)a - kw->offset + kw->max);
	char *const *gb = (char *const *)((const char *)b - kw->offset + kw->max);

	return config_str_equal(*(char *const *)a, *(char *const *)b) && config_str_equal(*ga, *gb);
}

static void user_free(const struct config_keyword *kw, void *field)
{
	char **group = (char **)((char *)field - kw->offset + kw->max);

	string_free(kw, field);
	free(*group);
	*group = NULL;
}

const struct config_type config_type_user = {
	.name = "user", .parse = user_parse, .print = user_print, .equal = user_equal,
	.free = user_free,
};

/* ---- addresses ------------------------------------------------------------------ */

static int addr_parse(struct config_ctx *c, const struct config_keyword *kw,
		      const struct conf_node *n, void *obj, void *field)
{
	struct config_addr a;

	if (config_expect_args(c, n, 1, 1) < 0 ||
	    config_parse_addr(c, n, n->keyword, n->args[0].text, &a) < 0)
		return -EINVAL;
	if (kw->min && a.family != kw->min) {
		diag_error(c->d, n->file, n->line, "%s '%s' is not an %s address", n->keyword,
			   n->args[0].text, kw->min == AF_INET ? "IPv4" : "IPv6");
		return -EINVAL;
	}
	*(struct config_addr *)field = a;
	return 0;
}

static void addr_print(struct config_printer *p, const struct config_keyword *kw,
		       const void *field)
{
	if (!config_addr_is_set(field))
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_addr(p, field);
	config_pr_end(p);
}

static bool addr_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_addr_equal(a, b);
}

const struct config_type config_type_addr = {
	.name = "address", .parse = addr_parse, .print = addr_print, .equal = addr_equal,
};

static int prefix_parse(struct config_ctx *c, const struct config_keyword *kw,
			const struct conf_node *n, void *obj, void *field)
{
	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	if (config_prefix_parse(n->args[0].text, field, NULL) < 0) {
		diag_error(c->d, n->file, n->line, "%s '%s' is not an address/prefix", n->keyword,
			   n->args[0].text);
		return -EINVAL;
	}
	return 0;
}

static void prefix_print(struct config_printer *p, const struct config_keyword *kw,
			 const void *field)
{
	char buf[CONFIG_ADDR_STRLEN];
	const struct config_prefix *px = field;

	if (!config_addr_is_set(&px->addr))
		return;
	print_simple(p, kw->keyword, config_prefix_to_string(px, buf, sizeof(buf)));
}

static bool prefix_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_prefix *pa = a, *pb = b;

	return config_addr_equal(&pa->addr, &pb->addr) && pa->len == pb->len;
}

const struct config_type config_type_prefix = {
	.name = "prefix", .parse = prefix_parse, .print = prefix_print, .equal = prefix_equal,
};

/* ---- enums ---------------------------------------------------------------------- */

static int enum_parse(struct config_ctx *c, const struct config_keyword *kw,
		      const struct conf_node *n, void *obj, void *field)
{
	int v;

	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	v = config_parse_enum(c, n, n->keyword, n->args[0].text, kw->aux);
	if (v < 0)
		return v;
	*(int *)field = v;
	return 0;
}

static void enum_print(struct config_printer *p, const struct config_keyword *kw,
		       const void *field)
{
	const char *const *names = kw->aux;

	print_simple(p, kw->keyword, names[*(const int *)field]);
}

const struct config_type config_type_enum = {
	.name = "name", .parse = enum_parse, .print = enum_print, .equal = int_equal,
};

/* ---- scripts -------------------------------------------------------------------- */

static int script_parse(struct config_ctx *c, const struct config_keyword *kw,
			const struct conf_node *n, void *obj, void *field)
{
	struct config_script **s = field;

	if (config_expect_args(c, n, 1, 3) < 0)
		return -EINVAL;
	if (!n->args[0].text[0]) {
		diag_error(c->d, n->file, n->line, "%s: empty command", n->keyword);
		return -EINVAL;
	}
	config_script_free(*s);
	*s = config_script_new(n->args[0].text, n->n_args > 1 ? n->args[1].text : NULL,
			       n->n_args > 2 ? n->args[2].text : NULL);
	return 0;
}

static void script_print(struct config_printer *p, const struct config_keyword *kw,
			 const void *field)
{
	const struct config_script *s = *(struct config_script *const *)field;

	if (!s)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_word(p, s->cmd);
	if (s->user)
		config_pr_word(p, s->user);
	if (s->group)
		config_pr_word(p, s->group);
	config_pr_end(p);
}

static bool script_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_script_equal(*(struct config_script *const *)a,
				   *(struct config_script *const *)b);
}

static void script_free(const struct config_keyword *kw, void *field)
{
	struct config_script **s = field;

	*s = config_script_free(*s);
}

const struct config_type config_type_script = {
	.name = "script", .parse = script_parse, .print = script_print, .equal = script_equal,
	.free = script_free,
};

/* `script a b c` / `misc_path "a b c"`: every word is part of the command
 * (keepalived reads unquoted words as arguments). */
static int command_parse(struct config_ctx *c, const struct config_keyword *kw,
			 const struct conf_node *n, void *obj, void *field)
{
	struct config_script **s = field;
	char *cmd;

	if (config_expect_args(c, n, 1, SIZE_MAX) < 0)
		return -EINVAL;
	if (n->n_args == 1) {
		cmd = xstrdup(n->args[0].text);
	} else {
		size_t len = 1;
		for (size_t i = 0; i < n->n_args; i++)
			len += strlen(n->args[i].text) + 3;
		cmd = xzalloc(len);
		for (size_t i = 0; i < n->n_args; i++) {
			bool q = strpbrk(n->args[i].text, " \t") != NULL;
			if (i)
				strcat(cmd, " ");
			if (q)
				strcat(cmd, "'");
			strcat(cmd, n->args[i].text);
			if (q)
				strcat(cmd, "'");
		}
	}
	if (!cmd[0]) {
		diag_error(c->d, n->file, n->line, "%s: empty command", n->keyword);
		free(cmd);
		return -EINVAL;
	}
	config_script_free(*s);
	*s = config_script_new(cmd, NULL, NULL);
	free(cmd);
	return 0;
}

static void command_print(struct config_printer *p, const struct config_keyword *kw,
			  const void *field)
{
	const struct config_script *s = *(struct config_script *const *)field;

	if (!s)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_word(p, s->cmd);
	config_pr_end(p);
}

static bool command_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_script *x = *(struct config_script *const *)a;
	const struct config_script *y = *(struct config_script *const *)b;

	return (!x || !y) ? x == y : strcmp(x->cmd, y->cmd) == 0;
}

const struct config_type config_type_command = {
	.name = "command", .parse = command_parse, .print = command_print, .equal = command_equal,
	.free = script_free,
};

/* ---- ignored -------------------------------------------------------------------- */

/* For keywords lbha reads but does not act on; aux says why. */
static int ignored_parse(struct config_ctx *c, const struct config_keyword *kw,
			 const struct conf_node *n, void *obj, void *field)
{
	diag_warn(c->d, n->file, n->line, "keyword '%s' is not supported by lbha and is ignored%s%s",
		  n->keyword, kw->aux ? ": " : "", kw->aux ? (const char *)kw->aux : "");
	return 0;
}

const struct config_type config_type_ignored = {
	.name = "ignored", .parse = ignored_parse,
};
