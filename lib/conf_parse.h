/* conf_parse: keepalived's config syntax -> a syntax tree.
 *
 * This knows the syntax only, never what a keyword means: the schema
 * (daemon/config_*.c) gives the tree its meaning.
 *
 * Syntax handled (keepalived.conf(5)):
 *   - `keyword arg arg ...` one statement per line; `{` opens a block (at the end
 *     of a line, or alone on the next line), `}` closes it; `}` may also end a
 *     statement line, and `{ a b c }` may stand on one line
 *     (e.g. `track_script { chk }`).
 *   - `!` and `#` start a comment anywhere outside quotes.
 *   - "double quoted" strings keep their spaces; quotes are removed. A quoted
 *     argument is marked so the schema can tell `"{"` from `{`.
 *   - `include GLOB`: files matched by the glob, relative to the including
 *     file's directory, are read in sorted order as if written in place; nested
 *     includes work; a file including itself (directly or not) is an error.
 *   - `$NAME=value` defines a macro; `$NAME` and `${NAME}` in later lines are
 *     replaced by its value (keepalived's "parameter substitution").
 *   - `@tag line`: the line counts only when the config id is `tag`;
 *     `@^tag line` only when it is not.
 *
 * Every node records the file and line it came from.  Errors (unbalanced
 * braces, unreadable include, include loop, unterminated quote, NUL bytes, lines
 * over the length limit, too-deep nesting) go to the diag list; parsing keeps
 * going where it can so all problems are reported in one run.
 */
#ifndef LBHA_CONF_PARSE_H
#define LBHA_CONF_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

struct conf_arg {
	char *text;
	bool quoted;    /* was written in double quotes */
};

struct conf_node {
	char *keyword;              /* first word of the statement */
	struct conf_arg *args;      /* the words after it, without `{` */
	size_t n_args;
	bool is_block;              /* the statement opened a `{ }` block */
	struct conf_node *children; /* first statement inside the block, or NULL */
	struct conf_node *next;     /* next sibling */
	const char *file;           /* interned; owned by the conf_tree */
	unsigned line;
};

struct conf_chunk;

struct conf_tree {
	struct conf_node *root;     /* first top-level statement */
	char **files;               /* every file read, interned names */
	size_t n_files;
	struct conf_chunk *chunks;  /* every node, argument array and string of the tree:
	                             * a big config is built with a few dozen
	                             * allocations and freed at once */
};

struct conf_parse_options {
	const char *config_id;      /* for @tag lines; NULL: the host name, as keepalived */
	size_t max_include_depth;   /* 0: default 32 */
	size_t max_file_size;       /* 0: default 64 MiB */
};

/* Parse the file at `path` (and its includes).  Always returns a tree (maybe
 * empty) in *ret; returns 0 on success, -ENOENT/-EACCES/... (negative errno)
 * when `path` itself cannot be read (nothing else is read then), or -EINVAL
 * when errors were recorded in `d`. */
int conf_parse_file(const char *path, const struct conf_parse_options *opt, struct diag *d,
		    struct conf_tree **ret);

/* Same, for text in memory.  `name` is used as the file name in node places
 * and diagnostics; includes are resolved relative to the current directory. */
int conf_parse_string(const char *name, const char *text, size_t len,
		      const struct conf_parse_options *opt, struct diag *d,
		      struct conf_tree **ret);

/* NULL-safe; returns NULL. */
struct conf_tree *conf_tree_free(struct conf_tree *t);

/* Arguments of a node joined by single spaces (caller frees). */
char *conf_node_join_args(const struct conf_node *n, size_t first);

#endif
