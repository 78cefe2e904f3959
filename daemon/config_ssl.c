/* config_ssl: the top-level SSL block, keepalived's client context for
 * SSL_GET: `SSL { password P  ca FILE  certificate FILE  key FILE }`.
 *
 * keepalived (check_ssl.c) loads the certificate chain, the key (with the
 * password as PEM pass phrase) and the CA file into one SSL_CTX shared by
 * every SSL_GET, and stops its checker when a file cannot be loaded.  lbha
 * checks at load time that each file is a readable file, so a bad path is a
 * config error with its line (a reload with it is refused and the running
 * config stays) instead of every SSL_GET failing later.  A second SSL block
 * replaces the first, as in keepalived. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/config_sections.h"
#include "xalloc.h"

#define S(f) offsetof(struct config_ssl, f)

/* A file keepalived hands to OpenSSL: it must be a regular file we can read
 * now (the checker reads it again when it sets up the HTTPS engine). */
static int ssl_file_parse(struct config_ctx *c, const struct config_keyword *kw,
			  const struct conf_node *n, void *obj, void *field)
{
	char **s = field;
	const char *path;
	struct stat st;
	int fd, r = 0;

	if (config_expect_args(c, n, 1, 1) < 0)
		return -EINVAL;
	path = n->args[0].text;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		diag_error(c->d, n->file, n->line, "SSL %s '%s' cannot be read: %s", n->keyword,
			   path, strerror(errno));
		return -EINVAL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		diag_error(c->d, n->file, n->line, "SSL %s '%s' is not a regular file", n->keyword,
			   path);
		r = -EINVAL;
	}
	close(fd);
	if (r < 0)
		return r;
	free(*s);
	*s = xstrdup(path);
	return 0;
}

static void ssl_file_print(struct config_printer *p, const struct config_keyword *kw,
			   const void *field)
{
	config_type_string.print(p, kw, field);
}

static bool ssl_file_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_type_string.equal(kw, a, b);
}

static void ssl_file_free(const struct config_keyword *kw, void *field)
{
	config_type_string.free(kw, field);
}

static const struct config_type type_ssl_file = {
	.name = "readable file", .parse = ssl_file_parse, .print = ssl_file_print,
	.equal = ssl_file_equal, .free = ssl_file_free,
};

static const struct config_keyword ssl_rows[] = {
	{ .keyword = "password", .type = &config_type_string, .offset = S(password) },
	{ .keyword = "ca", .type = &type_ssl_file, .offset = S(ca) },
	{ .keyword = "certificate", .type = &type_ssl_file, .offset = S(certificate) },
	{ .keyword = "key", .type = &type_ssl_file, .offset = S(key) },
	{ .keyword = NULL },
};

static bool ssl_written(const struct config_ssl *s)
{
	return s->password || s->ca || s->certificate || s->key;
}

/* `SSL` takes no words; a second block starts over (keepalived: "SSL
 * context already specified - replacing"). */
static int ssl_head(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	struct config_ssl *s = obj;

	if (n->n_args > 0) {
		diag_error(c->d, n->file, n->line, "'%s' takes no arguments before its block",
			   n->keyword);
		return -EINVAL;
	}
	if (s->obj.line != n->line || s->obj.file != config_intern_file(c, n->file)) {
		if (ssl_written(s))
			diag_warn(c->d, n->file, n->line,
				  "SSL is given more than once; this block replaces the one at "
				  "line %u", s->obj.line);
		config_obj_clear(&config_section_ssl, s);
		config_obj_init(c, &config_section_ssl, s, n);
	}
	return 0;
}

static bool ssl_present(const void *obj)
{
	return ssl_written(obj);
}

static void ssl_finish(struct config_ctx *c, const struct conf_node *n, void *obj)
{
	const struct config_ssl *s = obj;

	if (s->key && !s->certificate)
		diag_warn(c->d, s->obj.file, config_obj_line(s, S(key)),
			  "SSL key without a certificate is not used: SSL_GET sends no client "
			  "certificate");
	if (s->password && !s->key && !s->certificate)
		diag_warn(c->d, s->obj.file, config_obj_line(s, S(password)),
			  "SSL password without a certificate or key is not used");
}

const struct config_section config_section_ssl = {
	.name = "SSL",
	.size = sizeof(struct config_ssl),
	.keywords = ssl_rows, .index = CONFIG_SECTION_INDEX,
	.head = ssl_head,
	.present = ssl_present,
	.finish = ssl_finish,
};
