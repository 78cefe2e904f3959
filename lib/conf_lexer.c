#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf_lexer.h"
#include "xalloc.h"

/* Make room for `need` more bytes of text.  Tokens point into the buffer,
 * so a move takes them along. */
static void buf_reserve(struct conf_token_list *l, size_t need)
{
	if (l->buf_len + need <= l->buf_cap)
		return;
	size_t cap = l->buf_cap ? l->buf_cap : 256;
	while (cap < l->buf_len + need)
		cap *= 2;
	char *nb = xmalloc(cap);
	if (l->buf_len)
		memcpy(nb, l->buf, l->buf_len);
	for (size_t i = 0; i < l->n; i++)
		l->tokens[i].text = nb + (l->tokens[i].text - l->buf);
	free(l->buf);
	l->buf = nb;
	l->buf_cap = cap;
}

/* Append one byte of the word being built, keeping room for its NUL. */
static inline void word_put(struct conf_token_list *l, char c)
{
	if (l->buf_len + 2 > l->buf_cap)
		buf_reserve(l, 2);
	l->buf[l->buf_len++] = c;
}

static void list_push(struct conf_token_list *l, enum conf_token_kind kind, size_t text_off,
		      bool quoted)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->tokens = xreallocarray(l->tokens, l->cap, sizeof(*l->tokens));
	}
	l->tokens[l->n++] = (struct conf_token){ .kind = kind, .text = l->buf + text_off,
						 .quoted = quoted };
}

size_t conf_lex_comment_start(const char *line, size_t len)
{
	char quote = 0;

	for (size_t i = 0; i < len; i++) {
		char c = line[i];
		if (quote) {
			if (c == '\\' && i + 1 < len)
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '#' || c == '!') {
			return i;
		}
	}
	return len;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decode the escape at s[*i] (just after the backslash); advance *i past it. */
static char decode_escape(const char *s, size_t len, size_t *i)
{
	static const struct {
		char in, out;
	} simple[] = {
		{ 'a', '\a' }, { 'b', '\b' }, { 'E', 27 }, { 'f', '\f' },
		{ 'n', '\n' }, { 'r', '\r' }, { 't', '\t' }, { 'v', '\v' },
	};
	char c = s[*i];

	(*i)++;
	for (size_t k = 0; k < sizeof(simple) / sizeof(simple[0]); k++)
		if (simple[k].in == c)
			return simple[k].out;
	if (c >= '0' && c <= '7') {
		int v = c - '0';
		for (int n = 1; n < 3 && *i < len && s[*i] >= '0' && s[*i] <= '7'; n++)
			v = v * 8 + (s[(*i)++] - '0');
		return (char)v;
	}
	if (c == 'x' && *i < len && hexval(s[*i]) >= 0) {
		int v = 0;
		while (*i < len && hexval(s[*i]) >= 0)
			v = (v * 16 + hexval(s[(*i)++])) & 0xff;
		return (char)v;
	}
	if (c == 'c' && *i < len)
		return (char)(toupper((unsigned char)s[(*i)++]) ^ 0x40);
	return c;
}

/* Emit the finished word (the bytes from `start` to the end of the buffer),
 * splitting a trailing unquoted `{` or a leading unquoted `}` into their own
 * tokens (`VI_1{`, `}else`). */
static void emit_word(struct conf_token_list *out, size_t start, bool quoted, bool open_at_end,
		      bool close_at_start)
{
	size_t len = out->buf_len - start;

	buf_reserve(out, 3); /* the word's NUL, and the split braces' */
	char *text = out->buf + start;
	if (close_at_start) {
		/* "}rest" -> "}\0rest" */
		memmove(text + 2, text + 1, len - 1);
		text[1] = '\0';
		list_push(out, CONF_TOKEN_CLOSE, start, false);
		start += 2;
		text += 2;
		len--;
		out->buf_len++;
	}
	if (open_at_end) {
		/* "rest{" -> "rest\0{\0" */
		text[len - 1] = '\0';
		text[len] = '{';
		text[len + 1] = '\0';
		if (len - 1 > 0 || quoted)
			list_push(out, CONF_TOKEN_WORD, start, quoted);
		list_push(out, CONF_TOKEN_OPEN, start + len, false);
		out->buf_len += 2;
		return;
	}
	text[len] = '\0';
	out->buf_len++;
	if (len > 0 || quoted)
		list_push(out, CONF_TOKEN_WORD, start, quoted);
}

int conf_lex_line(const char *line, size_t len, struct conf_token_list *out)
{
	size_t i = 0;
	int r = 0;

	/* every byte of text comes from a byte of the line, plus NULs and split
	 * braces: twice the line is plenty, so the loop below rarely grows it */
	buf_reserve(out, 2 * len + 4);
	for (;;) {
		while (i < len && isspace((unsigned char)line[i]))
			i++;
		if (i >= len)
			break;

		size_t start = out->buf_len;
		bool quoted = false;
		bool first_bare_close = line[i] == '}';
		bool last_bare_open = false;

		while (i < len && !isspace((unsigned char)line[i])) {
			char c = line[i];
			if (c == '"' || c == '\'') {
				char quote = c;
				quoted = true;
				i++;
				while (i < len && line[i] != quote) {
					if (line[i] == '\\' && i + 1 < len) {
						i++;
						word_put(out, decode_escape(line, len, &i));
					} else {
						word_put(out, line[i++]);
					}
				}
				if (i >= len) {
					r = -EINVAL;
					break;
				}
				i++;
				last_bare_open = false;
				continue;
			}
			word_put(out, c);
			last_bare_open = c == '{';
			i++;
		}
		size_t wlen = out->buf_len - start;
		const char *w = out->buf + start;
		if (wlen == 1 && !quoted && (w[0] == '{' || w[0] == '}')) {
			out->buf[out->buf_len++] = '\0'; /* word_put left room */
			list_push(out, w[0] == '{' ? CONF_TOKEN_OPEN : CONF_TOKEN_CLOSE, start, false);
			continue;
		}
		/* A word like `{a,b}.conf` (a brace glob) keeps its braces: only a
		 * trailing `{` or a leading `}` is taken as structure.  (The word
		 * may hold a decoded NUL; like strchr, look only before it.) */
		bool close_at_start = first_bare_close && wlen > 1;
		bool open_at_end = last_bare_open && wlen > (close_at_start ? 2u : 1u) &&
				   memchr(w, '}', strnlen(w, wlen)) == NULL;
		emit_word(out, start, quoted, open_at_end, close_at_start);
	}
	return r;
}

void conf_token_list_clear(struct conf_token_list *l)
{
	l->n = 0;
	l->buf_len = 0;
}

void conf_token_list_done(struct conf_token_list *l)
{
	free(l->tokens);
	free(l->buf);
	*l = (struct conf_token_list){ 0 };
}
