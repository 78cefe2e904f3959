/* config_schema: the keyword-table engine that turns a syntax tree into the
 * structs of config_types.h.
 *
 * A section (global_defs, vrrp_instance, url, ...) is a table of rows
 *   { keyword, type, offsetof(struct, field), min, max, aux, flags }
 * plus hooks: init (every default, in one place), head (the words after the
 * block keyword, e.g. `vrrp_instance VI_1`), line (lines that are data, not
 * keywords), finish (checks of the block as a whole, with its file:line).
 * A type is {parse, print, equal, free}, so the canonical dump, equality and
 * freeing are generic over the rows.  Nested blocks are rows whose type is
 * config_type_block (an embedded struct) or config_type_block_list (a list of
 * heap objects); data blocks (virtual_ipaddress { ... }) are config_type_lines
 * rows whose aux is a struct config_item_type.
 *
 * Parsers get the enclosing object and a context; there is no global cursor.
 * Every problem goes to ctx->d with the node's file:line, and parsing goes on.
 *
 * Files: config_schema.c (engine, unknown keywords, did-you-mean),
 * config_value.c (generic value types), config_text.c (parse/print helpers),
 * config_global.c, config_vrrp.c,
 * config_vrrp_lines.c, config_vsg.c, config_vs.c, config_check.c (sections),
 * config_validate.c (cross-references), config_load.c (entry points). */
#ifndef LBHA_CONFIG_SCHEMA_H
#define LBHA_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf_parse.h"
#include "diag.h"
#include "daemon/config_types.h"

struct config_ctx {
	struct diag *d;
	struct lbha_config *cfg;
};

/* Where the dump goes; depth is the indentation level. */
struct config_printer {
	FILE *f;
	unsigned depth;
	bool fresh; /* at the start of a line: the next word takes no space */
	bool written_only; /* only the values the source wrote: defaults and
	                    * resolved values are left for the reader to redo */
};

struct config_keyword;

struct config_type {
	const char *name;
	bool block; /* the keyword takes a { } block */
	/* Parse node n into *field (obj is the enclosing object).  Reports its
	 * own errors; returns 0 or a negative errno. */
	int (*parse)(struct config_ctx *c, const struct config_keyword *kw, const struct conf_node *n,
		     void *obj, void *field);
	/* Print the whole statement (indentation, keyword, value, newline), or
	 * nothing for an unset optional value. */
	void (*print)(struct config_printer *p, const struct config_keyword *kw, const void *field);
	bool (*equal)(const struct config_keyword *kw, const void *a, const void *b);
	void (*free)(const struct config_keyword *kw, void *field); /* NULL: nothing owned */
};

enum {
	CONFIG_KW_ALIAS = 1u << 0,  /* accepted on input only (another row owns the field) */
	CONFIG_KW_SHARED = 1u << 1, /* parsed and printed, but another row compares/frees it */
	CONFIG_KW_HEAD = 1u << 2,   /* not a keyword: a head value, compared and freed only */
	CONFIG_KW_MULTI = 1u << 3,  /* may be written more than once without a warning */
	CONFIG_KW_UNSET0 = 1u << 4, /* integers: 0 means "not set" and is not printed */
};

struct config_keyword {
	const char *keyword;
	const struct config_type *type;
	size_t offset;
	int64_t min, max;
	const void *aux;
	unsigned flags;
	/* Print the row only when this says so (e.g. no unicast_ttl without
	 * unicast peers, which keepalived rejects); NULL: always. */
	bool (*print_if)(const void *obj);
};

/* A data line inside a block (a VIP, a track_script entry, a VSG entry).
 * Items are heap objects that start with struct config_obj. */
struct config_item_type {
	const char *name;
	size_t size;
	/* n->keyword is the first word of the line, n->args the rest. */
	int (*parse)(struct config_ctx *c, const struct conf_node *n, void *item);
	void (*print)(struct config_printer *p, const void *item); /* whole line */
	bool (*equal)(const void *a, const void *b);
	void (*free)(void *item); /* the item's fields, not the item */
};

/* Lookup tables of a section's rows: keyword -> row and field offset -> the
 * row that records "written".  Every line of a config and every isset/mark
 * asks one of these, and a linear scan of 50 rows per question was a tenth
 * of loading a big config.  The tables are built on first use: the sections
 * are const tables spread over many files with no registration step, so
 * this small cache object is the one mutable thing a section points to
 * (CONFIG_SECTION_INDEX gives each section its own, zeroed).  lbha is single
 * threaded; a child forked after the first load inherits built tables.
 * Sections whose rows do not fit the tables are searched linearly. */
#define CONFIG_SECTION_SLOTS 256
#define CONFIG_SECTION_MAX_OFFSET 1024
struct config_section_index {
	bool built;
	bool usable;                                 /* the rows fit the tables below */
	unsigned char n_rows;                        /* rows a set bit can stand for */
	unsigned char by_keyword[CONFIG_SECTION_SLOTS]; /* hashed; row + 1, 0: empty slot */
	unsigned char by_offset[CONFIG_SECTION_MAX_OFFSET]; /* first row + 1; 0: none */
};
#define CONFIG_SECTION_INDEX (&(struct config_section_index){ 0 })

struct config_section {
	const char *name;    /* keyword that opens it, as keepalived_keywords names it */
	size_t size;         /* object size (list sections) */
	const struct config_keyword *keywords; /* ends with a { NULL } row */
	void (*init)(struct config_ctx *c, void *obj);
	/* The words after the block keyword; NULL: none allowed. */
	int (*head)(struct config_ctx *c, const struct conf_node *n, void *obj);
	void (*print_head)(struct config_printer *p, const void *obj); /* after the keyword */
	/* Embedded blocks: whether there is anything to print (NULL: always). */
	bool (*present)(const void *obj);
	/* A child line that matched no row; return 1 if it is not data either
	 * (the engine then reports it as unknown/unsupported), 0 if handled. */
	int (*line)(struct config_ctx *c, const struct conf_node *n, void *obj);
	void (*print_lines)(struct config_printer *p, const void *obj);
	/* Whole-block checks and derived values; n is the block's node. */
	void (*finish)(struct config_ctx *c, const struct conf_node *n, void *obj);
	/* Extra fields not described by rows (compared/freed besides the rows). */
	bool (*equal)(const void *a, const void *b);
	void (*free)(void *obj);
	struct config_section_index *index; /* CONFIG_SECTION_INDEX; NULL: linear scans */
};

/* ---- engine --------------------------------------------------------------- */

/* Parse the children of block node n into obj using section s.  Unknown,
 * unsupported, repeated and misplaced keywords are reported here. */
void config_parse_block(struct config_ctx *c, const struct config_section *s,
			const struct conf_node *first_child, void *obj);

/* Set obj's header and run the section's init hook. */
void config_obj_init(struct config_ctx *c, const struct config_section *s, void *obj,
		     const struct conf_node *n);

/* Print every row of obj (not the head, not the braces). */
void config_print_rows(struct config_printer *p, const struct config_section *s, const void *obj);
/* Print a whole block: keyword, head, `{`, rows, `}`. */
void config_print_block(struct config_printer *p, const struct config_section *s, const void *obj);

bool config_obj_equal(const struct config_section *s, const void *a, const void *b);
/* Free the fields of obj (not obj itself). */
void config_obj_clear(const struct config_section *s, void *obj);

/* Whether the row owning the field at `offset` was written in the config. */
bool config_obj_isset(const void *obj, size_t offset);
void config_obj_mark(void *obj, size_t offset);
/* The line where that row was written, or the object's own line. */
unsigned config_obj_line(const void *obj, size_t offset);

/* Intern a file name into the config (the syntax tree's names die with it). */
const char *config_intern_file(struct config_ctx *c, const char *file);

/* Closest keyword of `section` (ours and keepalived's) to `word`, or NULL. */
const char *config_suggest_keyword(const struct config_section *s, const char *word);

/* Edit distance (optimal string alignment), for did-you-mean. */
size_t config_edit_distance(const char *a, const char *b);

/* ---- helpers for parsers -------------------------------------------------- */

/* Check n has between min and max arguments; reports and returns -EINVAL if not. */
int config_expect_args(struct config_ctx *c, const struct conf_node *n, size_t min, size_t max);

int config_parse_uint_text(const char *s, uint64_t *ret);           /* digits only */
int config_parse_int_text(const char *s, int64_t *ret);             /* [+-]digits */
int config_parse_duration_text(const char *s, uint64_t *ret_us);    /* seconds[.frac] */
/* Parse a number and check the range; reports "<what> <s> is out of range (min-max)". */
int config_parse_int_range(struct config_ctx *c, const struct conf_node *n, const char *what,
			   const char *s, int64_t min, int64_t max, int64_t *ret);
int config_parse_duration_range(struct config_ctx *c, const struct conf_node *n, const char *what,
				const char *s, uint64_t min_us, uint64_t max_us, uint64_t *ret);
int config_parse_bool_text(const char *s, bool *ret);                /* on/off/... */
/* Index of s in a NULL-terminated name table (case-insensitive), or -EINVAL
 * after reporting "unknown <what> 's'; expected one of: a, b, c". */
int config_parse_enum(struct config_ctx *c, const struct conf_node *n, const char *what,
		      const char *s, const char *const *names);
int config_parse_addr(struct config_ctx *c, const struct conf_node *n, const char *what,
		      const char *s, struct config_addr *ret);

/* Indent and print the keyword (quoted when needed); NULL: indent only. */
void config_pr_begin(struct config_printer *p, const char *keyword);
void config_pr_word(struct config_printer *p, const char *word);   /* quoted when needed */
void config_pr_fmt(struct config_printer *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void config_pr_end(struct config_printer *p);
void config_pr_open(struct config_printer *p);  /* " {\n", depth++ */
void config_pr_close(struct config_printer *p); /* depth--, "}\n" */
void config_pr_addr(struct config_printer *p, const struct config_addr *a);
void config_pr_duration(struct config_printer *p, uint64_t us);
void config_format_duration(uint64_t us, char *buf, size_t size);

bool config_str_equal(const char *a, const char *b); /* NULL-safe */
bool config_strv_equal(const struct config_strv *a, const struct config_strv *b);
void config_strv_clear(struct config_strv *v);
void config_strv_append(struct config_strv *v, const char *s);

/* Scripts: split, copy, compare. */
struct config_script *config_script_new(const char *cmd, const char *user, const char *group);
struct config_script *config_script_free(struct config_script *s);
bool config_script_equal(const struct config_script *a, const struct config_script *b);

/* ---- generic types (config_value.c) ------------------------------------- */

extern const struct config_type config_type_flag;       /* bool: keyword alone sets true */
extern const struct config_type config_type_flag_false; /* bool: keyword alone sets false */
extern const struct config_type config_type_bool;       /* bool: [on|off|true|false|yes|no] */
extern const struct config_type config_type_tristate_on;  /* int: keyword alone sets 1 */
extern const struct config_type config_type_tristate_off; /* int: keyword alone sets 0 */
extern const struct config_type config_type_u8;         /* uint8_t in [min,max] */
extern const struct config_type config_type_u16;
extern const struct config_type config_type_u32;
extern const struct config_type config_type_i32;        /* int32_t in [min,max] */
extern const struct config_type config_type_duration;   /* uint64_t us, [min,max] in us */
extern const struct config_type config_type_string;     /* char *; max: length limit (0 none) */
extern const struct config_type config_type_addr;       /* config_addr; min: family (0 any) */
extern const struct config_type config_type_prefix;     /* config_prefix */
extern const struct config_type config_type_enum;       /* int; aux: NULL-terminated names */
extern const struct config_type config_type_strv;       /* config_strv: min..max args */
extern const struct config_type config_type_script;     /* config_script *: cmd [user [group]] */
extern const struct config_type config_type_command;    /* config_script *: all words */
extern const struct config_type config_type_user;       /* char *user; char *group at offset max */
extern const struct config_type config_type_block;      /* aux: section of an embedded struct */
extern const struct config_type config_type_block_list; /* config_list; aux: section */
extern const struct config_type config_type_lines;      /* config_list; aux: config_item_type */
extern const struct config_type config_type_strv_block; /* config_strv; one word per line */
extern const struct config_type config_type_ignored;    /* parsed and dropped, with a warning */

#define CONFIG_SEC(x) ((uint64_t)(x) * 1000000u)

#endif
