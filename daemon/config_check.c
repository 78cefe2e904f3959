/* config_check: the checker blocks of a real_server (HTTP_GET, SSL_GET,
 * TCP_CHECK, MISC_CHECK) and the url block of the HTTP checkers.
 *
 * All four fill one struct config_checker (its type says which); they share
 * the connection and timing rows.  SMTP_CHECK, DNS_CHECK, UDP_CHECK,
 * PING_CHECK, FILE_CHECK and BFD_CHECK have no rows: the engine warns that
 * they are not supported and skips their blocks whole.
 *
 * config_checker_inherit() fills what a checker did not write from its real
 * server (keepalived: "the real server setting is the default for checkers"),
 * with keepalived's per-type defaults (retry 0 for MISC_CHECK, 1 otherwise;
 * delay_before_retry 3 s for HTTP/SSL, 1 s for TCP, delay_loop for MISC). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config_sections.h"
#include "xalloc.h"

#define K(f) offsetof(struct config_checker, f)
#define U(f) offsetof(struct config_url, f)
#define DAY CONFIG_SEC(86400)

const char *const config_http_protocol_names[] = {
	[CONFIG_HTTP_1_0] = "1.0", [CONFIG_HTTP_1_0C] = "1.0C", [CONFIG_HTTP_1_1] = "1.1", NULL,
};

static const char *const checker_names[] = {
	[CONFIG_CHECK_HTTP_GET] = "HTTP_GET", [CONFIG_CHECK_SSL_GET] = "SSL_GET",
	[CONFIG_CHECK_TCP] = "TCP_CHECK", [CONFIG_CHECK_MISC] = "MISC_CHECK",
};

const char *config_checker_type_to_string(enum config_checker_type t)
{
	return t >= 0 && t < _CONFIG_CHECK_MAX ? checker_names[t] : NULL;
}

/* ---- url { } ------------------------------------------------------------------------- */

/* status_code 200 200-299 ...: each 100-599 */
static int status_parse(struct config_ctx *c, const struct config_keyword *kw,
			const struct conf_node *n, void *obj, void *field)
{
	struct config_url *u = obj;
	struct config_status_range *r;

	if (config_expect_args(c, n, 1, 64) < 0)
		return -EINVAL;
	r = xcalloc(n->n_args, sizeof(*r));
	for (size_t i = 0; i < n->n_args; i++) {
		char lo[16], *dash;
		const char *s = n->args[i].text;
		int64_t a, b;
		snprintf(lo, sizeof(lo), "%s", s);
		dash = strchr(lo, '-');
		if (dash)
			*dash = '\0';
		if (config_parse_int_range(c, n, "status_code", lo, 100, 599, &a) < 0 ||
		    (dash && config_parse_int_range(c, n, "status_code", dash + 1, 100, 599, &b) < 0))
			goto fail;
		if (!dash)
			b = a;
		if (b < a) {
			diag_error(c->d, n->file, n->line, "status_code range '%s' ends before it starts", s);
			goto fail;
		}
		r[i] = (struct config_status_range){ (uint16_t)a, (uint16_t)b };
	}
	free(u->status);
	u->status = r;
	u->n_status = n->n_args;
	return 0;
fail:
	free(r);
	return -EINVAL;
}

static void status_print(struct config_printer *p, const struct config_keyword *kw,
			 const void *field)
{
	const struct config_url *u = (const void *)((const char *)field - kw->offset);

	if (!u->n_status)
		return;
	config_pr_begin(p, kw->keyword);
	for (size_t i = 0; i < u->n_status; i++) {
		if (u->status[i].lo == u->status[i].hi)
			config_pr_fmt(p, "%u", u->status[i].lo);
		else
			config_pr_fmt(p, "%u-%u", u->status[i].lo, u->status[i].hi);
	}
	config_pr_end(p);
}

static bool status_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_url *x = (const void *)((const char *)a - kw->offset);
	const struct config_url *y = (const void *)((const char *)b - kw->offset);

	return x->n_status == y->n_status &&
	       (x->n_status == 0 || memcmp(x->status, y->status, x->n_status * sizeof(*x->status)) == 0);
}

static void status_free(const struct config_keyword *kw, void *field)
{
	struct config_url *u = (void *)((char *)field - kw->offset);

	free(u->status);
	u->status = NULL;
	u->n_status = 0;
}

static const struct config_type type_status = {
	.name = "status codes", .parse = status_parse, .print = status_print,
	.equal = status_equal, .free = status_free,
};

/* digest: 32 hex digits (MD5 of the body, as genhash prints it) */
static int digest_parse(struct config_ctx *c, const struct config_keyword *kw,
			const struct conf_node *n, void *obj, void *field)
{
	char **d = field;
	const char *s;
	char *v;

	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	s = n->args[0].text;
	if (strlen(s) != 32 || strspn(s, "0123456789abcdefABCDEF") != 32) {
		diag_error(c->d, n->file, n->line, "digest '%s' is not an MD5 sum (32 hex digits)", s);
		return -EINVAL;
	}
	v = xstrdup(s);
	for (char *q = v; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	free(*d);
	*d = v;
	return 0;
}

static void digest_print(struct config_printer *p, const struct config_keyword *kw,
			 const void *field)
{
	config_type_string.print(p, kw, field);
}

static bool digest_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_type_string.equal(kw, a, b);
}

static void digest_free(const struct config_keyword *kw, void *field)
{
	config_type_string.free(kw, field);
}

static const struct config_type type_digest = {
	.name = "digest", .parse = digest_parse, .print = digest_print, .equal = digest_equal,
	.free = digest_free,
};

static const struct config_keyword url_rows[] = {
	{ .keyword = "path", .type = &config_type_string, .offset = U(path) },
	{ .keyword = "digest", .type = &type_digest, .offset = U(digest) },
	{ .keyword = "status_code", .type = &type_status, .offset = U(status) },
	{ .keyword = "virtualhost", .type = &config_type_string, .offset = U(virtualhost) },
	{ .keyword = "regex", .type = &config_type_string, .offset = U(regex) },
	{ .keyword = "regex_no_match", .type = &config_type_flag, .offset = U(regex_no_match) },
	{ .keyword = NULL },
};

static void url_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_url *u = obj;

	if (!u->path)
		diag_error(c->d, n->file, n->line, "url has no 'path'");
	else if (u->path[0] != '/')
		diag_warn(c->d, n->file, n->line, "url path '%s' does not start with '/'", u->path);
	if (u->n_status == 0) {
		/* keepalived's default: any 2xx */
		u->status = xnew(struct config_status_range);
		u->status[0] = (struct config_status_range){ 200, 299 };
		u->n_status = 1;
	}
}

static const struct config_section url_section = {
	.name = "url",
	.size = sizeof(struct config_url),
	.keywords = url_rows, .index = CONFIG_SECTION_INDEX,
	.finish = url_finish,
};

/* ---- checkers -------------------------------------------------------------------------- */

#define CONNECTION_ROWS \
	{ .keyword = "connect_ip", .type = &config_type_addr, .offset = K(connect_ip) }, \
	{ .keyword = "connect_port", .type = &config_type_u16, .offset = K(connect_port), \
	  .min = 1, .max = 65535 }, \
	{ .keyword = "bindto", .type = &config_type_addr, .offset = K(bindto) }, \
	{ .keyword = "bind_if", .type = &config_type_string, .offset = K(bind_if), .min = 0, \
	  .max = 15 }, \
	{ .keyword = "bind_port", .type = &config_type_u16, .offset = K(bind_port), .min = 1, \
	  .max = 65535, .flags = CONFIG_KW_UNSET0 }, \
	{ .keyword = "fwmark", .type = &config_type_u32, .offset = K(fwmark), .min = 0, \
	  .max = UINT32_MAX, .flags = CONFIG_KW_UNSET0 }, \
	{ .keyword = "connect_timeout", .type = &config_type_duration, \
	  .offset = K(connect_timeout_us), .min = CONFIG_SEC(1) / 1000, .max = DAY }

#define TIMING_ROWS \
	{ .keyword = "retry", .type = &config_type_u32, .offset = K(retry), .min = 0, \
	  .max = 1000000 }, \
	{ .keyword = "nb_get_retry", .type = &config_type_u32, .offset = K(retry), .min = 0, \
	  .max = 1000000, .flags = CONFIG_KW_ALIAS }, \
	{ .keyword = "delay_before_retry", .type = &config_type_duration, \
	  .offset = K(delay_before_retry_us), .min = 0, .max = DAY }, \
	{ .keyword = "delay_loop", .type = &config_type_duration, .offset = K(delay_loop_us), \
	  .min = CONFIG_SEC(1) / 1000, .max = DAY }, \
	{ .keyword = "warmup", .type = &config_type_duration, .offset = K(warmup_us), .min = 0, \
	  .max = DAY }, \
	{ .keyword = "alpha", .type = &config_type_bool, .offset = K(alpha) }, \
	{ .keyword = "log_all_failures", .type = &config_type_bool, \
	  .offset = K(log_all_failures) }, \
	{ .keyword = "rise", .type = &config_type_u32, .offset = K(rise), .min = 1, \
	  .max = 65535, .print_if = says_rise }, \
	{ .keyword = "fall", .type = &config_type_u32, .offset = K(fall), .min = 1, \
	  .max = 65535, .print_if = says_fall }

/* lbha's rise/fall (inherited in config_vs.c): printed only when written,
 * inherited from a written one, or not the default, as in config_vs.c. */
static bool says_rise(const void *obj)
{
	const struct config_checker *ck = obj;

	return ck->rise != 1 || config_obj_isset(obj, K(rise));
}

static bool says_fall(const void *obj)
{
	const struct config_checker *ck = obj;

	return ck->fall != 1 || config_obj_isset(obj, K(fall));
}

static const struct config_keyword http_rows[] = {
	CONNECTION_ROWS,
	TIMING_ROWS,
	{ .keyword = "http_protocol", .type = &config_type_enum, .offset = K(http_protocol),
	  .aux = config_http_protocol_names },
	{ .keyword = "virtualhost", .type = &config_type_string, .offset = K(virtualhost) },
	{ .keyword = "enable_sni", .type = &config_type_flag, .offset = K(enable_sni) },
	{ .keyword = "fast_recovery", .type = &config_type_bool, .offset = K(fast_recovery) },
	{ .keyword = "tls_compliant", .type = &config_type_flag, .offset = K(tls_compliant) },
	{ .keyword = "keepalive_time", .type = &config_type_duration,
	  .offset = K(keepalive_time_us), .min = 0, .max = DAY, .flags = CONFIG_KW_UNSET0 },
	{ .keyword = "url", .type = &config_type_block_list, .offset = K(urls),
	  .aux = &url_section, .flags = CONFIG_KW_MULTI },
	{ .keyword = NULL },
};

static const struct config_keyword tcp_rows[] = {
	CONNECTION_ROWS,
	TIMING_ROWS,
	{ .keyword = NULL },
};

static const struct config_keyword misc_rows[] = {
	{ .keyword = "misc_path", .type = &config_type_command, .offset = K(misc_path) },
	{ .keyword = "misc_timeout", .type = &config_type_duration,
	  .offset = K(misc_timeout_us), .min = CONFIG_SEC(1) / 1000, .max = DAY },
	{ .keyword = "misc_dynamic", .type = &config_type_flag, .offset = K(misc_dynamic) },
	{ .keyword = "user", .type = &config_type_user, .offset = K(misc_user), .min = 0,
	  .max = K(misc_group) },
	TIMING_ROWS,
	{ .keyword = NULL },
};

static void http_init(struct config_ctx *c, void *obj)
{
	((struct config_checker *)obj)->type = CONFIG_CHECK_HTTP_GET;
}

static void ssl_init(struct config_ctx *c, void *obj)
{
	((struct config_checker *)obj)->type = CONFIG_CHECK_SSL_GET;
}

static void tcp_init(struct config_ctx *c, void *obj)
{
	((struct config_checker *)obj)->type = CONFIG_CHECK_TCP;
}

static void misc_init(struct config_ctx *c, void *obj)
{
	((struct config_checker *)obj)->type = CONFIG_CHECK_MISC;
}

static void http_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_checker *ck = obj;

	if (ck->urls.n == 0)
		diag_error(c->d, n->file, n->line, "%s has no url block", n->keyword);
}

static void misc_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_checker *ck = obj;

	if (!ck->misc_path) {
		diag_error(c->d, n->file, n->line, "MISC_CHECK has no misc_path");
		return;
	}
	free(ck->misc_path->user);
	free(ck->misc_path->group);
	ck->misc_path->user = ck->misc_user ? xstrdup(ck->misc_user) : NULL;
	ck->misc_path->group = ck->misc_group ? xstrdup(ck->misc_group) : NULL;
}

const struct config_section config_section_http_get = {
	.name = "HTTP_GET", .size = sizeof(struct config_checker), .keywords = http_rows,
	.index = CONFIG_SECTION_INDEX, .init = http_init, .finish = http_finish,
};
const struct config_section config_section_ssl_get = {
	.name = "SSL_GET", .size = sizeof(struct config_checker), .keywords = http_rows,
	.index = CONFIG_SECTION_INDEX, .init = ssl_init, .finish = http_finish,
};
const struct config_section config_section_tcp_check = {
	.name = "TCP_CHECK", .size = sizeof(struct config_checker), .keywords = tcp_rows,
	.index = CONFIG_SECTION_INDEX, .init = tcp_init,
};
const struct config_section config_section_misc_check = {
	.name = "MISC_CHECK", .size = sizeof(struct config_checker), .keywords = misc_rows,
	.index = CONFIG_SECTION_INDEX, .init = misc_init, .finish = misc_finish,
};

/* ---- inheritance ------------------------------------------------------------------------- */

void config_checker_inherit(struct config_ctx *c, struct config_checker *ck,
			    const struct config_real_server *rs,
			    const struct config_virtual_server *vs)
{
	bool http = ck->type == CONFIG_CHECK_HTTP_GET || ck->type == CONFIG_CHECK_SSL_GET;
	char name[CONFIG_SERVICE_STRLEN];

	if (ck->type != CONFIG_CHECK_MISC) {
		if (!config_obj_isset(ck, K(connect_ip)))
			ck->connect_ip = rs->addr;
		if (!config_obj_isset(ck, K(connect_port)))
			ck->connect_port = rs->port;
		if (ck->connect_port == 0)
			diag_error(c->d, ck->obj.file, ck->obj.line,
				   "%s for real_server %s has no port to probe; add connect_port",
				   config_checker_type_to_string(ck->type),
				   config_rs_to_string(rs, name, sizeof(name)));
		if (!config_obj_isset(ck, K(connect_timeout_us)))
			ck->connect_timeout_us = rs->connect_timeout_us;
	}
	if (!config_obj_isset(ck, K(delay_loop_us)))
		ck->delay_loop_us = rs->delay_loop_us;
	if (!config_obj_isset(ck, K(retry)))
		ck->retry = config_obj_isset(rs, offsetof(struct config_real_server, retry)) ?
				    rs->retry : ck->type == CONFIG_CHECK_MISC ? 0 : 1;
	if (!config_obj_isset(ck, K(delay_before_retry_us)))
		ck->delay_before_retry_us =
			config_obj_isset(rs, offsetof(struct config_real_server, delay_before_retry_us)) ?
				rs->delay_before_retry_us :
			http ? CONFIG_SEC(3) :
			ck->type == CONFIG_CHECK_TCP ? CONFIG_SEC(1) : ck->delay_loop_us;
	if (!config_obj_isset(ck, K(warmup_us)))
		ck->warmup_us = config_obj_isset(rs, offsetof(struct config_real_server, warmup_us)) ?
					rs->warmup_us : ck->delay_loop_us;
	if (!config_obj_isset(ck, K(alpha)))
		ck->alpha = rs->alpha;
	if (ck->type == CONFIG_CHECK_MISC && !config_obj_isset(ck, K(misc_timeout_us)))
		ck->misc_timeout_us = ck->delay_loop_us;
	if (http) {
		if (!config_obj_isset(ck, K(keepalive_time_us)))
			ck->keepalive_time_us = rs->keepalive_time_us;
		if (!ck->virtualhost && rs->virtualhost)
			ck->virtualhost = xstrdup(rs->virtualhost);
		config_list_foreach(struct config_url, u, &ck->urls)
			if (!u->virtualhost && ck->virtualhost)
				u->virtualhost = xstrdup(ck->virtualhost);
	}
	(void)vs;
}
