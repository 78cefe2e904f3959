/* conf_lexer: one line of keepalived config text -> tokens.
 *
 * Pure string work; no files, no macros, no tree.  conf_parse feeds it lines
 * after comments are cut, conditionals applied and macros expanded. */
#ifndef LBHA_CONF_LEXER_H
#define LBHA_CONF_LEXER_H

#include <stdbool.h>
#include <stddef.h>

enum conf_token_kind {
	CONF_TOKEN_WORD,
	CONF_TOKEN_OPEN,   /* an unquoted `{` standing as a word or ending one */
	CONF_TOKEN_CLOSE,  /* an unquoted `}` standing as a word or starting one */
};

struct conf_token {
	enum conf_token_kind kind;
	char *text;        /* unquoted, unescaped; "{" / "}" for braces; in the list's buf */
	bool quoted;       /* some part of the word was in quotes */
};

/* The texts live one after another in one buffer owned by the list (a line
 * is lexed with one allocation at most, none once the buffers are warm). */
struct conf_token_list {
	struct conf_token *tokens;
	size_t n, cap;
	char *buf;
	size_t buf_len, buf_cap;
};

/* Length of `line` before its comment: `#` or `!` outside quotes starts one
 * (keepalived cuts comments anywhere on a line, even inside a word). */
size_t conf_lex_comment_start(const char *line, size_t len);

/* Split `line` (no newline, comments already cut) into words.  A word may
 * mix bare and quoted parts (`ab"c d"e` is one word `abc de`); inside single
 * or double quotes whitespace is kept and shell-like escapes (\n \t \xHH \nnn
 * \cC \\ \" ...) are decoded.  Tokens are appended to `out`.
 * Returns 0, or -EINVAL on an unterminated quote (the partial word is still
 * appended, so the caller can report and go on). */
int conf_lex_line(const char *line, size_t len, struct conf_token_list *out);

/* Empty the list (keeps the arrays for reuse). */
void conf_token_list_clear(struct conf_token_list *l);
/* Free everything. */
void conf_token_list_done(struct conf_token_list *l);

#endif
