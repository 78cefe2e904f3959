/* conf_parse: keepalived config text -> syntax tree.  See conf_parse.h.
 *
 * Map of this file:
 *   reading:    read_whole_file(), parse_source() splits lines and joins
 *               multiline $NAME= definitions;
 *   one line:   process_line() applies @tag conditions, definitions, macro
 *               expansion (whose result may be several lines) and `include`;
 *   structure:  feed_tokens() turns tokens into nodes with a stack of open
 *               blocks (struct frame); each file must close what it opens.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf_lexer.h"
#include "conf_macro.h"
#include "conf_parse.h"
#include "diag.h"
#include "xalloc.h"

#define DEFAULT_MAX_INCLUDE_DEPTH 32
#define DEFAULT_MAX_FILE_SIZE (64u << 20)
#define MAX_LINE_LENGTH 65536
#define MAX_BLOCK_DEPTH 64
#define MAX_EXPANSION_DEPTH 16

struct frame {
	struct conf_node *node;   /* NULL at top level */
	struct conf_node **tail;  /* where the next child goes */
};

struct source {
	const char *name;         /* interned */
	char *real;               /* realpath, for include loops; NULL for strings */
	char *dir;                /* includes and ${_PWD} are relative to this */
	size_t depth_base;        /* block depth when the file began */
	struct source *parent;
};

struct parser {
	const struct conf_parse_options *opt;
	struct diag *d;
	struct conf_tree *tree;
	struct conf_macros *macros;
	char *config_id;
	struct frame *stack;
	size_t depth, cap;
	size_t overflow;           /* blocks opened past MAX_BLOCK_DEPTH, not stacked */
	struct conf_node *last_plain;  /* may still take a `{` from the next line */
	struct source *src;
	struct conf_token_list toks;   /* the line being read (reused: no allocation per line) */
	size_t include_depth;
	/* a multiline definition being collected */
	char *pending_name;
	char *pending_value;
	unsigned pending_line;
};

static const char *intern_file(struct conf_tree *t, const char *name)
{
	for (size_t i = 0; i < t->n_files; i++)
		if (strcmp(t->files[i], name) == 0)
			return t->files[i];
	t->files = xreallocarray(t->files, t->n_files + 1, sizeof(*t->files));
	t->files[t->n_files] = xstrdup(name);
	return t->files[t->n_files++];
}

/* ------------------------------------------------------------ tree memory */

/* The tree is read-only once built and dies whole, so its pieces come from
 * big chunks instead of one malloc each (a 30,000-line config made ~100,000
 * small allocations, and freeing them took as long again). */
struct conf_chunk {
	struct conf_chunk *next;
	size_t used, size;
	alignas(max_align_t) char data[];
};

#define CHUNK_FIRST 4096
#define CHUNK_MAX (1u << 20)

static void *tree_alloc(struct conf_tree *t, size_t size, size_t align)
{
	struct conf_chunk *c = t->chunks;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;

	if (!c || at > c->size || c->size - at < size) {
		size_t cap = c ? (c->size < CHUNK_MAX ? c->size * 2 : CHUNK_MAX) : CHUNK_FIRST;
		if (cap < size)
			cap = size;
		struct conf_chunk *nc = xmalloc(sizeof(*nc) + cap);
		*nc = (struct conf_chunk){ .next = c, .size = cap };
		t->chunks = c = nc;
		at = 0;
	}
	c->used = at + size;
	return c->data + at;
}

static char *tree_strdup(struct conf_tree *t, const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(tree_alloc(t, len, 1), s, len);
}

/* ------------------------------------------------------------ tree building */

static struct conf_node *node_new(const struct parser *p, const char *keyword, unsigned line)
{
	struct conf_node *n = tree_alloc(p->tree, sizeof(*n), alignof(struct conf_node));

	*n = (struct conf_node){
		.keyword = tree_strdup(p->tree, keyword),
		.file = p->src->name,
		.line = line,
	};
	return n;
}

/* The words toks[first..] up to the next brace become n's arguments; returns
 * the index of the first token not taken. */
static size_t node_take_args(const struct parser *p, struct conf_node *n,
			     const struct conf_token_list *toks, size_t first)
{
	size_t end = first;

	while (end < toks->n && toks->tokens[end].kind == CONF_TOKEN_WORD)
		end++;
	if (end == first)
		return end;
	n->n_args = end - first;
	n->args = tree_alloc(p->tree, n->n_args * sizeof(*n->args), alignof(struct conf_arg));
	for (size_t i = first; i < end; i++)
		n->args[i - first] = (struct conf_arg){
			.text = tree_strdup(p->tree, toks->tokens[i].text),
			.quoted = toks->tokens[i].quoted,
		};
	return end;
}

static void append(struct parser *p, struct conf_node *n)
{
	struct frame *f = &p->stack[p->depth];

	*f->tail = n;
	f->tail = &n->next;
}

static void push_block(struct parser *p, struct conf_node *n, unsigned line)
{
	n->is_block = true;
	if (p->depth + 1 >= MAX_BLOCK_DEPTH) {
		if (p->overflow++ == 0)
			diag_error(p->d, p->src->name, line, "blocks nested deeper than %d",
				   MAX_BLOCK_DEPTH);
		return;
	}
	if (p->depth + 1 >= p->cap) {
		p->cap *= 2;
		p->stack = xreallocarray(p->stack, p->cap, sizeof(*p->stack));
	}
	p->depth++;
	p->stack[p->depth] = (struct frame){ .node = n, .tail = &n->children };
}

static void pop_block(struct parser *p)
{
	if (p->overflow)
		p->overflow--;
	else
		p->depth--;
}

static void open_brace(struct parser *p, struct conf_node *cur, unsigned line)
{
	if (cur) {
		append(p, cur);
		push_block(p, cur, line);
		return;
	}
	if (p->last_plain) {
		/* `keyword` on one line, `{` on the next (Allman style) */
		push_block(p, p->last_plain, line);
		return;
	}
	diag_error(p->d, p->src->name, line, "unexpected '{' with no keyword before it");
	/* a block for the contents, reachable from nowhere: dropped with the tree */
	push_block(p, node_new(p, "{", line), line);
}

static void close_brace(struct parser *p, unsigned line)
{
	if (p->overflow == 0 && p->depth <= p->src->depth_base) {
		if (p->depth == 0)
			diag_error(p->d, p->src->name, line, "unexpected '}' with no open block");
		else
			diag_error(p->d, p->src->name, line,
				   "unexpected '}': it would close block '%s' opened in %s:%u",
				   p->stack[p->depth].node->keyword, p->stack[p->depth].node->file,
				   p->stack[p->depth].node->line);
		return;
	}
	pop_block(p);
}

static void feed_tokens(struct parser *p, const struct conf_token_list *toks, unsigned line)
{
	struct conf_node *cur = NULL;

	for (size_t i = 0; i < toks->n; i++) {
		const struct conf_token *t = &toks->tokens[i];
		switch (t->kind) {
		case CONF_TOKEN_WORD:
			/* a keyword and the words after it (cur is always NULL
			 * here: its arguments were all taken with it) */
			cur = node_new(p, t->text, line);
			i = node_take_args(p, cur, toks, i + 1) - 1;
			p->last_plain = NULL;
			break;
		case CONF_TOKEN_OPEN:
			open_brace(p, cur, line);
			cur = NULL;
			p->last_plain = NULL;
			break;
		case CONF_TOKEN_CLOSE:
			if (cur)
				append(p, cur);
			cur = NULL;
			close_brace(p, line);
			p->last_plain = NULL;
			break;
		}
	}
	if (cur) {
		append(p, cur);
		p->last_plain = cur;
	}
}

/* Close what the current file left open, reporting each at its opening line. */
static void close_unbalanced(struct parser *p)
{
	if (p->overflow) {
		diag_error(p->d, p->src->name, 0, "%zu blocks nested too deep are never closed",
			   p->overflow);
		p->overflow = 0;
	}
	while (p->depth > p->src->depth_base) {
		const struct conf_node *n = p->stack[p->depth].node;
		diag_error(p->d, n->file, n->line, "block '%s' opened here is never closed",
			   n->keyword);
		p->depth--;
	}
	p->last_plain = NULL;
}

/* ------------------------------------------------------------ sources */

static int read_whole_file(const char *path, size_t max, char **ret, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		close(fd);
		return -EFBIG;
	}

	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 4096, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;
			free(buf);
			close(fd);
			return r;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			close(fd);
			return -EFBIG;
		}
	}
	close(fd);
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static void parse_source(struct parser *p, const char *text, size_t len);

/* Read `path` and parse it in place.  Returns 0, or the negative errno of a
 * failed read (already reported, at the include line or with no line for the
 * top-level file). */
static int parse_file_at(struct parser *p, const char *path, unsigned inc_line)
{
	char *real = realpath(path, NULL);
	const char *from = p->src ? p->src->name : path;

	for (struct source *s = p->src; s && real; s = s->parent)
		if (s->real && strcmp(s->real, real) == 0) {
			diag_error(p->d, from, inc_line, "include loop: '%s' is already being read",
				   path);
			free(real);
			return -ELOOP;
		}
	if (p->include_depth >= (p->opt->max_include_depth ? p->opt->max_include_depth
							      : DEFAULT_MAX_INCLUDE_DEPTH)) {
		diag_error(p->d, from, inc_line, "include '%s': includes nested too deep", path);
		free(real);
		return -ELOOP;
	}

	char *text = NULL;
	size_t len = 0;
	int r = read_whole_file(path, p->opt->max_file_size ? p->opt->max_file_size
							    : DEFAULT_MAX_FILE_SIZE, &text, &len);
	if (r < 0) {
		const char *why = r == -EFBIG ? "file too large" : strerror(-r);
		if (p->src)
			diag_error(p->d, from, inc_line, "include '%s': %s", path, why);
		else
			diag_error(p->d, path, 0, "cannot read config file: %s", why);
		free(real);
		return r;
	}

	struct source src = {
		.name = intern_file(p->tree, path),
		.real = real,
		.dir = dir_of(path),
		.depth_base = p->depth,
		.parent = p->src,
	};
	p->src = &src;
	p->include_depth++;
	conf_macros_set_pwd(p->macros, src.dir);
	parse_source(p, text, len);
	p->include_depth--;
	p->src = src.parent;
	if (p->src)
		conf_macros_set_pwd(p->macros, p->src->dir);
	free(src.real);
	free(src.dir);
	free(text);
	return 0;
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[{") != NULL;
}

static void do_include(struct parser *p, const struct conf_token_list *toks, unsigned line)
{
	if (toks->n < 2) {
		diag_error(p->d, p->src->name, line, "'%s' needs a file name",
			   toks->tokens[0].text);
		return;
	}
	for (size_t i = 1; i < toks->n; i++) {
		const char *pat = toks->tokens[i].text;
		char *full = (pat[0] == '/' || strcmp(p->src->dir, ".") == 0)
				     ? xstrdup(pat)
				     : xasprintf("%s/%s", p->src->dir, pat);
		glob_t g;
		int r = glob(full, GLOB_BRACE | GLOB_TILDE, NULL, &g);

		if (r == 0) {
			for (size_t k = 0; k < g.gl_pathc; k++)
				parse_file_at(p, g.gl_pathv[k], line);
			globfree(&g);
		} else if (has_wildcard(pat)) {
			if (r != GLOB_NOMATCH)
				globfree(&g);
			diag_warn(p->d, p->src->name, line, "include '%s' matches no file", full);
		} else {
			if (r != GLOB_NOMATCH)
				globfree(&g);
			parse_file_at(p, full, line);   /* reports why it cannot be read */
		}
		free(full);
	}
}

/* ------------------------------------------------------------ lines */

static bool is_include_keyword(const char *w)
{
	static const char *const names[] = { "include",	 "includer", "includem",
					     "includew", "includeb", "includea" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(w, names[i]) == 0)
			return true;
	return false;
}

/* `@tag rest` / `@^tag rest`: returns the rest, or NULL when the line does
 * not apply to this config id. */
static const char *apply_condition(const struct parser *p, const char *s)
{
	bool negate = s[1] == '^';
	const char *tag = s + 1 + negate;
	size_t n = 0;

	while (tag[n] && !isspace((unsigned char)tag[n]))
		n++;
	bool match = strlen(p->config_id) == n && memcmp(p->config_id, tag, n) == 0;
	if (match == negate)
		return NULL;
	return tag + n;
}

static char *trim_dup(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static void process_line(struct parser *p, const char *s, unsigned line, unsigned depth);

static void process_expanded(struct parser *p, char *text, unsigned line, unsigned depth)
{
	char *save = NULL;

	if (depth >= MAX_EXPANSION_DEPTH) {
		diag_error(p->d, p->src->name, line, "parameter expansion nested too deep");
		return;
	}
	for (char *piece = strtok_r(text, "\n", &save); piece; piece = strtok_r(NULL, "\n", &save))
		process_line(p, piece, line, depth + 1);
}

static void define_macro(struct parser *p, const char *s, size_t name_len, size_t value_start,
			 unsigned line, unsigned depth)
{
	char *value = trim_dup(s + value_start, strlen(s + value_start));
	size_t vlen = strlen(value);

	if (depth == 0 && vlen && value[vlen - 1] == '\\') {
		/* multiline: collected by parse_source until a line without `\` */
		value[vlen - 1] = '\0';
		p->pending_name = xstrndup(s + 1, name_len);
		p->pending_value = trim_dup(value, strlen(value));
		p->pending_line = line;
		free(value);
		return;
	}
	conf_macros_define(p->macros, s + 1, name_len, value);
	free(value);
}

static void process_line(struct parser *p, const char *s, unsigned line, unsigned depth)
{
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '@') {
		s = apply_condition(p, s);
		if (!s)
			return;
		while (isspace((unsigned char)*s))
			s++;
	}
	if (!*s)
		return;

	size_t value_start, name_len = conf_macros_is_definition(s, &value_start);
	if (name_len) {
		define_macro(p, s, name_len, value_start, line, depth);
		return;
	}
	if (strchr(s, '$')) {
		bool changed;
		char *x = conf_macros_expand(p->macros, s, &changed);
		if (!x) {
			diag_error(p->d, p->src->name, line,
				   "parameter expansion does not end (a definition refers to itself?)");
			return;
		}
		if (changed) {
			process_expanded(p, x, line, depth);
			free(x);
			return;
		}
		free(x);
	}
	if (strncmp(s, "~SEQ", 4) == 0) {
		diag_warn(p->d, p->src->name, line, "~SEQ lines are not supported by lbha and are ignored");
		return;
	}

	struct conf_token_list *toks = &p->toks;
	conf_token_list_clear(toks);
	if (conf_lex_line(s, strlen(s), toks) < 0)
		diag_error(p->d, p->src->name, line, "unterminated quoted string");
	if (toks->n && toks->tokens[0].kind == CONF_TOKEN_WORD && !toks->tokens[0].quoted &&
	    is_include_keyword(toks->tokens[0].text)) {
		/* the included files' lines reuse p->toks: keep this line's apart */
		struct conf_token_list inc = *toks;
		*toks = (struct conf_token_list){ 0 };
		do_include(p, &inc, line);
		conf_token_list_done(toks);
		*toks = inc;
	} else {
		feed_tokens(p, toks, line);
	}
}

/* Add one physical line to the multiline definition being collected. */
static void continue_definition(struct parser *p, char *s)
{
	size_t len = strlen(s);
	bool more = len && s[len - 1] == '\\';

	if (more)
		s[--len] = '\0';
	char *piece = trim_dup(s, len);
	if (*piece) {
		char *v = *p->pending_value ? xasprintf("%s\n%s", p->pending_value, piece)
					    : xstrdup(piece);
		free(p->pending_value);
		p->pending_value = v;
	}
	free(piece);
	if (more || len == 0)
		return;   /* blank lines inside a definition do not end it */
	conf_macros_define(p->macros, p->pending_name, strlen(p->pending_name), p->pending_value);
	free(p->pending_name);
	free(p->pending_value);
	p->pending_name = p->pending_value = NULL;
}

static void finish_pending_definition(struct parser *p)
{
	if (!p->pending_name)
		return;
	diag_warn(p->d, p->src->name, p->pending_line,
		  "multiline definition of $%s is not finished when the file ends", p->pending_name);
	conf_macros_define(p->macros, p->pending_name, strlen(p->pending_name), p->pending_value);
	free(p->pending_name);
	free(p->pending_value);
	p->pending_name = p->pending_value = NULL;
}

static unsigned line_of_offset(const char *text, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

static void parse_source(struct parser *p, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);

	if (nul) {
		diag_error(p->d, p->src->name, line_of_offset(text, (size_t)(nul - text)),
			   "binary data (a NUL byte): this is not a config file; file ignored");
		return;
	}
	p->last_plain = NULL;

	unsigned lineno = 0;
	char *s = NULL;   /* the current line without its comment, reused */
	size_t s_cap = 0;
	for (size_t pos = 0; pos < len;) {
		const char *eol = memchr(text + pos, '\n', len - pos);
		size_t n = eol ? (size_t)(eol - (text + pos)) : len - pos;
		const char *raw = text + pos;

		pos += n + (eol != NULL);
		lineno++;
		if (n && raw[n - 1] == '\r')
			n--;
		if (n > MAX_LINE_LENGTH) {
			diag_error(p->d, p->src->name, lineno, "line longer than %d bytes; ignored",
				   MAX_LINE_LENGTH);
			continue;
		}
		size_t keep = conf_lex_comment_start(raw, n);
		if (keep + 1 > s_cap) {
			s_cap = keep + 1 > 2 * s_cap ? keep + 1 : 2 * s_cap;
			free(s);
			s = xmalloc(s_cap);
		}
		memcpy(s, raw, keep);
		s[keep] = '\0';
		if (p->pending_name)
			continue_definition(p, s);
		else
			process_line(p, s, lineno, 0);
	}
	free(s);
	finish_pending_definition(p);
	close_unbalanced(p);
}

/* ------------------------------------------------------------ entry points */

static char *default_config_id(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return xstrdup("");
	char *dot = strchr(u.nodename, '.');
	if (dot)
		*dot = '\0';
	return xstrdup(u.nodename);
}

static void parser_init(struct parser *p, const struct conf_parse_options *opt, struct diag *d)
{
	static const struct conf_parse_options defaults = { 0 };

	*p = (struct parser){ .opt = opt ? opt : &defaults, .d = d };
	p->tree = xnew(struct conf_tree);
	p->config_id = p->opt->config_id ? xstrdup(p->opt->config_id) : default_config_id();
	p->macros = conf_macros_new(p->config_id);
	p->cap = 16;
	p->stack = xcalloc(p->cap, sizeof(*p->stack));
	p->stack[0] = (struct frame){ .node = NULL, .tail = &p->tree->root };
}

static struct conf_tree *parser_done(struct parser *p)
{
	conf_token_list_done(&p->toks);
	conf_macros_free(p->macros);
	free(p->config_id);
	free(p->stack);
	return p->tree;
}

int conf_parse_file(const char *path, const struct conf_parse_options *opt, struct diag *d,
		    struct conf_tree **ret)
{
	struct parser p;
	size_t errors_before = d->n_errors;

	parser_init(&p, opt, d);
	int r = parse_file_at(&p, path, 0);
	*ret = parser_done(&p);
	if (r < 0)
		return r;
	return d->n_errors > errors_before ? -EINVAL : 0;
}

int conf_parse_string(const char *name, const char *text, size_t len,
		      const struct conf_parse_options *opt, struct diag *d,
		      struct conf_tree **ret)
{
	struct parser p;
	size_t errors_before = d->n_errors;

	parser_init(&p, opt, d);
	struct source src = { .name = intern_file(p.tree, name), .dir = xstrdup(".") };
	p.src = &src;
	parse_source(&p, text, len);
	free(src.dir);
	*ret = parser_done(&p);
	return d->n_errors > errors_before ? -EINVAL : 0;
}

struct conf_tree *conf_tree_free(struct conf_tree *t)
{
	if (!t)
		return NULL;
	for (struct conf_chunk *c = t->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	for (size_t i = 0; i < t->n_files; i++)
		free(t->files[i]);
	free(t->files);
	free(t);
	return NULL;
}

char *conf_node_join_args(const struct conf_node *n, size_t first)
{
	size_t len = 1;

	for (size_t i = first; i < n->n_args; i++)
		len += strlen(n->args[i].text) + 1;
	char *s = xmalloc(len);
	s[0] = '\0';
	for (size_t i = first; i < n->n_args; i++) {
		if (i > first)
			strcat(s, " ");
		strcat(s, n->args[i].text);
	}
	return s;
}
