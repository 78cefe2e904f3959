#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf_lexer.h"
#include "xalloc.h"

/* A growing byte buffer for the word being built. */
struct word {
	char *buf;
	size_t len, cap;
	bool quoted;
};

static void word_put(struct word *w, char c)
{
	if (w->len + 1 >= w->cap) {
		w->cap = w->cap ? w->cap * 2 : 32;
		w->buf = xreallocarray(w->buf, w->cap, 1);
	}
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

static void list_push(struct conf_token_list *l, enum conf_token_kind kind, char *text,
		      bool quoted)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->tokens = xreallocarray(l->tokens, l->cap, sizeof(*l->tokens));
	}
	l->tokens[l->n++] = (struct conf_token){ .kind = kind, .text = text, .quoted = quoted };
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

/* Emit the finished word, splitting a trailing unquoted `{` or a leading
 * unquoted `}` into their own tokens (`VI_1{`, `}else`). */
static void emit_word(struct conf_token_list *out, struct word *w, bool open_at_end,
		      bool close_at_start)
{
	char *text = w->buf ? w->buf : xstrdup("");
	size_t len = w->len;

	if (close_at_start) {
		list_push(out, CONF_TOKEN_CLOSE, xstrdup("}"), false);
		memmove(text, text + 1, len);
		len--;
	}
	if (open_at_end)
		text[--len] = '\0';
	if (len > 0 || w->quoted)
		list_push(out, CONF_TOKEN_WORD, text, w->quoted);
	else
		free(text);
	if (open_at_end)
		list_push(out, CONF_TOKEN_OPEN, xstrdup("{"), false);
	*w = (struct word){ 0 };
}

int conf_lex_line(const char *line, size_t len, struct conf_token_list *out)
{
	size_t i = 0;
	int r = 0;

	for (;;) {
		while (i < len && isspace((unsigned char)line[i]))
			i++;
		if (i >= len)
			break;

		struct word w = { 0 };
		bool first_bare_close = line[i] == '}';
		bool last_bare_open = false;

		while (i < len && !isspace((unsigned char)line[i])) {
			char c = line[i];
			if (c == '"' || c == '\'') {
				char quote = c;
				w.quoted = true;
				i++;
				while (i < len && line[i] != quote) {
					if (line[i] == '\\' && i + 1 < len) {
						i++;
						word_put(&w, decode_escape(line, len, &i));
					} else {
						word_put(&w, line[i++]);
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
			word_put(&w, c);
			last_bare_open = c == '{';
			i++;
		}
		if (w.len == 1 && !w.quoted && (w.buf[0] == '{' || w.buf[0] == '}')) {
			list_push(out, w.buf[0] == '{' ? CONF_TOKEN_OPEN : CONF_TOKEN_CLOSE, w.buf,
				  false);
			continue;
		}
		/* A word like `{a,b}.conf` (a brace glob) keeps its braces: only a
		 * trailing `{` or a leading `}` is taken as structure. */
		bool close_at_start = first_bare_close && w.len > 1;
		bool open_at_end = last_bare_open && w.len > (close_at_start ? 2u : 1u) &&
				   strchr(w.buf, '}') == NULL;
		emit_word(out, &w, open_at_end, close_at_start);
	}
	return r;
}

void conf_token_list_clear(struct conf_token_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->tokens[i].text);
	l->n = 0;
}

void conf_token_list_done(struct conf_token_list *l)
{
	conf_token_list_clear(l);
	free(l->tokens);
	l->tokens = NULL;
	l->cap = 0;
}
