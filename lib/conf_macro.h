/* conf_macro: keepalived's parameter substitution.
 *
 *   $NAME=value        define (value may span lines, see conf_parse)
 *   $NAME<space|end>   replaced by the value
 *   ${NAME}            replaced anywhere
 *
 * Replacement is recursive and happens at use time, so a value may name
 * parameters defined later.  An undefined name is left as written.
 * Pre-defined: ${_PWD} (directory of the current file), ${_INSTANCE} (the
 * config id), ${_HASH} (#), ${_BANG} (!), ${_RANDOM [MIN [MAX]]}. */
#ifndef LBHA_CONF_MACRO_H
#define LBHA_CONF_MACRO_H

#include <stdbool.h>
#include <stddef.h>

struct conf_macros;

struct conf_macros *conf_macros_new(const char *instance);
struct conf_macros *conf_macros_free(struct conf_macros *m);

/* Set ${_PWD} (the caller updates it when entering/leaving an include). */
void conf_macros_set_pwd(struct conf_macros *m, const char *dir);

/* Define or redefine NAME. */
void conf_macros_define(struct conf_macros *m, const char *name, size_t name_len,
			const char *value);

/* If `line` (leading whitespace already skipped) is a definition
 * `$NAME=value`, return the length of NAME (name starts at line+1) and set
 * *value_start to the index after '='; else return 0. */
size_t conf_macros_is_definition(const char *line, size_t *value_start);

/* Expand every parameter in `line`.  Returns a new string (caller frees), or
 * NULL when the expansion does not terminate within the limits (a definition
 * that refers to itself); *changed says whether anything was replaced. */
char *conf_macros_expand(const struct conf_macros *m, const char *line, bool *changed);

#endif
