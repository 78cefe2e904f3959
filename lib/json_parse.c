#include <config.h>

/* json_parse: see json_parse.h.
 *
 * One loop, no recursion: a value starts, and either is complete (a scalar,
 * an empty array or object) or opens a container, whose frame goes on an
 * explicit stack bounded by max_depth.  Complete values wait on a "pending"
 * vector; when a container closes, its elements are copied from the top of
 * that vector into one contiguous arena slice, so arrays index in O(1) and
 * nothing is allocated per value. */

#include <math.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "hex_digit.h"
#include "json_parse.h"
#include "xalloc.h"

/* Arena chunk size; a container bigger than a quarter of it gets a chunk of
 * its own, so one large array wastes no partly used chunk. */
#define ARENA_CHUNK (256u << 10)
#define ARENA_ALIGN alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct json_doc {
	char *text;                   /* the input's copy; strings decoded in place */
	struct arena_chunk *chunks;   /* the first has room, the rest are full */
	struct json_value root;
};

/* An array or object being parsed. */
struct frame {
	uint8_t type;                 /* JSON_ARRAY or JSON_OBJECT */
	size_t first;                 /* its first element in parser.pending */
	const char *key;              /* object: the key of the value being parsed */
	uint32_t key_len;
};

struct parser {
	char *start, *p, *end;        /* *end is a NUL sentinel */
	struct json_doc *doc;
	struct json_member *pending;  /* complete values of open containers */
	size_t n_pending, cap_pending;
	struct frame *frames;
	unsigned depth, cap_frames;
	size_t values;
	struct json_limits lim;
	struct json_error err;
};

static const char *const type_names[_JSON_TYPE_MAX] = {
	[JSON_NULL] = "null",     [JSON_BOOL] = "bool",   [JSON_NUMBER] = "number",
	[JSON_STRING] = "string", [JSON_ARRAY] = "array", [JSON_OBJECT] = "object",
};

const char *json_type_to_string(enum json_type t)
{
	return t >= 0 && t < _JSON_TYPE_MAX ? type_names[t] : NULL;
}

static void *arena_alloc(struct json_doc *d, size_t bytes)
{
	struct arena_chunk *c = d->chunks;

	bytes = (bytes + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (bytes > ARENA_CHUNK / 4) {
		c = xmalloc(sizeof(*c) + bytes);
		c->size = c->used = bytes;
		/* Behind the head: the head keeps its free space. */
		c->next = d->chunks ? d->chunks->next : NULL;
		if (d->chunks)
			d->chunks->next = c;
		else
			d->chunks = c;
		return c->data;
	}
	if (!c || c->size - c->used < bytes) {
		c = xmalloc(sizeof(*c) + ARENA_CHUNK);
		c->size = ARENA_CHUNK;
		c->used = 0;
		c->next = d->chunks;
		d->chunks = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += bytes;
	return p;
}

/* Record the first error; a truncated input says so whatever was expected. */
static int fail(struct parser *ps, const char *at, int r, const char *message)
{
	ps->err.offset = (size_t)(at - ps->start);
	ps->err.message = r == -EBADMSG && at >= ps->end ? "unexpected end of input" : message;
	return r;
}

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t')
		ps->p++;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Four hex digits after "\u", or -1. */
static long hex4(const char *s)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		int h = hex_digit_value(s[i]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* Length of the valid UTF-8 sequence (2 to 4 bytes) at s, 0 if invalid:
 * no overlong forms, no surrogates, nothing above U+10FFFF.  The NUL
 * sentinel is never a continuation byte, so this stops at the end. */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;   /* range of the second byte */

	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		n = 2;
	} else if (c < 0xf0) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c < 0xf5) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static char *utf8_put(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		*out++ = (char)cp;
	} else if (cp < 0x800) {
		*out++ = (char)(0xc0 | cp >> 6);
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*out++ = (char)(0xe0 | cp >> 12);
		*out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*out++ = (char)(0xf0 | cp >> 18);
		*out++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	}
	return out;
}

/* An escape at in ("\..."); writes its bytes at out.  Never writes more
 * than it reads, so decoding in place is safe. */
static int parse_escape(struct parser *ps, char **in, char **out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	char *s = *in;
	const char *e = s[1] ? strchr(from, s[1]) : NULL;

	if (e) {
		*(*out)++ = to[e - from];
		*in = s + 2;
		return 0;
	}
	if (s[1] != 'u')
		return fail(ps, s, -EBADMSG, "invalid escape in string");
	long cp = hex4(s + 2);
	if (cp < 0)
		return fail(ps, s, -EBADMSG, "invalid \\u escape");
	s += 6;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(ps, s - 6, -EBADMSG, "lone low surrogate in \\u escape");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		long lo = s[0] == '\\' && s[1] == 'u' ? hex4(s + 2) : -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(ps, s - 6, -EBADMSG, "high surrogate without its low half");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		s += 6;
	}
	if (cp == 0)
		return fail(ps, s - 6, -EBADMSG, "\\u0000 is not supported");
	*out = utf8_put(*out, (unsigned long)cp);
	*in = s;
	return 0;
}

static bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The string at ps->p (on its opening quote), decoded in place and
 * NUL-terminated where it started. */
static int parse_string(struct parser *ps, const char **ret, uint32_t *ret_len)
{
	char *begin = ps->p + 1, *in = begin, *out = begin;

	for (;;) {
		char *run = in;
		while (plain_byte((unsigned char)*in))
			in++;
		if (out != run)
			memmove(out, run, (size_t)(in - run));
		out += in - run;

		unsigned char c = (unsigned char)*in;
		if (c == '"')
			break;
		if (c == '\\') {
			int r = parse_escape(ps, &in, &out);
			if (r < 0)
				return r;
		} else if (c >= 0x80) {
			size_t n = utf8_seq_len((const unsigned char *)in);
			if (n == 0)
				return fail(ps, in, -EBADMSG, "invalid UTF-8 in string");
			memmove(out, in, n);
			in += n;
			out += n;
		} else {
			return fail(ps, in, -EBADMSG, "control character in string");
		}
	}
	ps->p = in + 1;
	*out = '\0';
	*ret = begin;
	*ret_len = (uint32_t)(out - begin);
	return 0;
}

static int parse_number(struct parser *ps, struct json_value *v)
{
	char *s = ps->p, *p = s;
	bool integer = true;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (is_digit(*p))
			p++;
	else
		return fail(ps, p, -EBADMSG, "invalid number");
	if (*p == '.') {
		integer = false;
		if (!is_digit(*++p))
			return fail(ps, p, -EBADMSG, "invalid number: no digit after '.'");
		while (is_digit(*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		integer = false;
		if (*++p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return fail(ps, p, -EBADMSG, "invalid number: no digit in exponent");
		while (is_digit(*p))
			p++;
	}
	ps->p = p;
	*v = (struct json_value){ .type = JSON_NUMBER };

	if (integer && *s != '-') {
		uint64_t u = 0;
		const char *d = s;
		for (; d < p && u <= (UINT64_MAX - (uint64_t)(*d - '0')) / 10; d++)
			u = u * 10 + (uint64_t)(*d - '0');
		if (d == p) {
			v->exact_uint = true;
			v->u.uint = u;
			return 0;
		}
	}
	/* strtod stops at the sentinel, not at whatever follows the number
	 * (it would read "0x1" as hex). */
	char saved = *p;
	*p = '\0';
	v->u.number = strtod(s, NULL);
	*p = saved;
	if (v->u.number == HUGE_VAL || v->u.number == -HUGE_VAL)
		return fail(ps, s, -EBADMSG, "number out of range");
	return 0;
}

static int parse_literal(struct parser *ps, struct json_value *v)
{
	static const struct {
		const char *word;
		struct json_value value;
	} literals[] = {
		{ "true", { .type = JSON_BOOL, .u.boolean = true } },
		{ "false", { .type = JSON_BOOL, .u.boolean = false } },
		{ "null", { .type = JSON_NULL } },
	};
	size_t left = (size_t)(ps->end - ps->p);

	for (size_t i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
		size_t n = strlen(literals[i].word);
		if (left >= n && memcmp(ps->p, literals[i].word, n) == 0) {
			*v = literals[i].value;
			ps->p += n;
			return 0;
		}
	}
	return fail(ps, ps->p, -EBADMSG, "expected a value");
}

static int parse_scalar(struct parser *ps, struct json_value *v)
{
	char c = *ps->p;

	if (c == '"') {
		const char *s;
		uint32_t len;
		int r = parse_string(ps, &s, &len);
		if (r < 0)
			return r;
		*v = (struct json_value){ .type = JSON_STRING, .n = len, .u.string = s };
		return 0;
	}
	if (c == '-' || is_digit(c))
		return parse_number(ps, v);
	return parse_literal(ps, v);
}

/* An object's "key": (and the whitespace after), into the top frame. */
static int parse_key(struct parser *ps)
{
	struct frame *f = &ps->frames[ps->depth - 1];

	if (*ps->p != '"')
		return fail(ps, ps->p, -EBADMSG, "expected a string (an object key)");
	int r = parse_string(ps, &f->key, &f->key_len);
	if (r < 0)
		return r;
	skip_ws(ps);
	if (*ps->p != ':')
		return fail(ps, ps->p, -EBADMSG, "expected ':' after an object key");
	ps->p++;
	skip_ws(ps);
	return 0;
}

/* '[' or '{' at ps->p.  Returns 1 when the container is open and its first
 * value is next, 0 when it was empty (then *v is it), or an error. */
static int open_container(struct parser *ps, struct json_value *v)
{
	uint8_t type = *ps->p == '[' ? JSON_ARRAY : JSON_OBJECT;
	char close = type == JSON_ARRAY ? ']' : '}';

	if (ps->depth >= ps->lim.max_depth)
		return fail(ps, ps->p, -E2BIG, "nesting too deep");
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		*v = (struct json_value){ .type = type };
		return 0;
	}
	if (ps->depth == ps->cap_frames) {
		ps->cap_frames = ps->cap_frames ? 2 * ps->cap_frames : 8;
		ps->frames = xreallocarray(ps->frames, ps->cap_frames, sizeof(*ps->frames));
	}
	ps->frames[ps->depth++] = (struct frame){ .type = type, .first = ps->n_pending };
	if (type == JSON_OBJECT) {
		int r = parse_key(ps);
		if (r < 0)
			return r;
	}
	return 1;
}

static void push_pending(struct parser *ps, const struct json_value *v)
{
	const struct frame *f = &ps->frames[ps->depth - 1];

	if (ps->n_pending == ps->cap_pending) {
		ps->cap_pending = ps->cap_pending ? 2 * ps->cap_pending : 64;
		ps->pending = xreallocarray(ps->pending, ps->cap_pending, sizeof(*ps->pending));
	}
	ps->pending[ps->n_pending++] = (struct json_member){
		.key = f->key, .key_len = f->key_len, .value = *v,
	};
}

/* Move the top frame's elements into the arena; *v becomes the container. */
static void close_container(struct parser *ps, struct json_value *v)
{
	const struct frame *f = &ps->frames[--ps->depth];
	size_t n = ps->n_pending - f->first;
	const struct json_member *src = ps->pending + f->first;

	*v = (struct json_value){ .type = f->type, .n = (uint32_t)n };
	if (f->type == JSON_OBJECT) {
		struct json_member *m = arena_alloc(ps->doc, n * sizeof(*m));
		memcpy(m, src, n * sizeof(*m));
		v->u.members = m;
	} else {
		struct json_value *items = arena_alloc(ps->doc, n * sizeof(*items));
		for (size_t i = 0; i < n; i++)
			items[i] = src[i].value;
		v->u.items = items;
	}
	ps->n_pending = f->first;
}

static int parse_document(struct parser *ps, struct json_value *ret)
{
	struct json_value v;
	int r;

	skip_ws(ps);
	for (;;) {
		/* A value starts at ps->p. */
		if (++ps->values > ps->lim.max_values)
			return fail(ps, ps->p, -E2BIG, "too many values");
		if (*ps->p == '[' || *ps->p == '{') {
			r = open_container(ps, &v);
			if (r < 0)
				return r;
			if (r > 0)
				continue;
		} else {
			r = parse_scalar(ps, &v);
			if (r < 0)
				return r;
		}

		/* v is complete: give it to its container, closing every container
		 * that ends here. */
		for (;;) {
			if (ps->depth == 0) {
				skip_ws(ps);
				if (ps->p != ps->end)
					return fail(ps, ps->p, -EBADMSG, "trailing characters after the value");
				*ret = v;
				return 0;
			}
			push_pending(ps, &v);
			skip_ws(ps);

			const struct frame *f = &ps->frames[ps->depth - 1];
			char close = f->type == JSON_ARRAY ? ']' : '}';
			if (*ps->p == ',') {
				ps->p++;
				skip_ws(ps);
				if (f->type == JSON_OBJECT && (r = parse_key(ps)) < 0)
					return r;
				break;
			}
			if (*ps->p != close)
				return fail(ps, ps->p, -EBADMSG, f->type == JSON_ARRAY ?
					    "expected ',' or ']'" : "expected ',' or '}'");
			ps->p++;
			close_container(ps, &v);
		}
	}
}

static size_t limit_or(size_t v, size_t def, size_t max)
{
	v = v ? v : def;
	return v < max ? v : max;
}

int json_parse(const char *text, size_t len, const struct json_limits *limits,
	       struct json_doc **ret, struct json_error *ret_error)
{
	const struct json_limits none = { 0 };
	const struct json_limits *l = limits ? limits : &none;
	struct parser ps = {
		.lim = {
			/* Lengths and counts are stored in 32 bits. */
			.max_bytes = limit_or(l->max_bytes, JSON_DEFAULT_MAX_BYTES, UINT32_MAX),
			.max_values = limit_or(l->max_values, JSON_DEFAULT_MAX_VALUES, UINT32_MAX),
			.max_depth = l->max_depth ? l->max_depth : JSON_DEFAULT_MAX_DEPTH,
		},
	};
	int r;

	if (len > ps.lim.max_bytes) {
		ps.err = (struct json_error){ ps.lim.max_bytes, "input too large" };
		r = -E2BIG;
		goto out;
	}
	ps.doc = xnew(struct json_doc);
	ps.doc->text = xmalloc(len + 1);
	memcpy(ps.doc->text, text, len);
	ps.doc->text[len] = '\0';
	ps.start = ps.p = ps.doc->text;
	ps.end = ps.start + len;

	r = parse_document(&ps, &ps.doc->root);
	if (r == 0) {
		*ret = ps.doc;
		ps.doc = NULL;
	}
out:
	json_doc_free(ps.doc);
	free(ps.pending);
	free(ps.frames);
	if (r < 0 && ret_error)
		*ret_error = ps.err;
	return r;
}

const struct json_value *json_doc_root(const struct json_doc *doc)
{
	return &doc->root;
}

struct json_doc *json_doc_free(struct json_doc *doc)
{
	if (!doc)
		return NULL;
	for (struct arena_chunk *c = doc->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(doc->text);
	free(doc);
	return NULL;
}

bool json_is(const struct json_value *v, enum json_type t)
{
	return v && v->type == t;
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	if (!json_is(obj, JSON_OBJECT) || !key)
		return NULL;
	size_t len = strlen(key);
	for (uint32_t i = obj->n; i-- > 0;) {
		const struct json_member *m = &obj->u.members[i];
		if (m->key_len == len && memcmp(m->key, key, len) == 0)
			return &m->value;
	}
	return NULL;
}

const struct json_value *json_at(const struct json_value *array, size_t i)
{
	return json_is(array, JSON_ARRAY) && i < array->n ? &array->u.items[i] : NULL;
}

const struct json_member *json_member_at(const struct json_value *obj, size_t i)
{
	return json_is(obj, JSON_OBJECT) && i < obj->n ? &obj->u.members[i] : NULL;
}

size_t json_len(const struct json_value *v)
{
	return v && (v->type == JSON_ARRAY || v->type == JSON_OBJECT || v->type == JSON_STRING) ?
		v->n : 0;
}

const char *json_string(const struct json_value *v)
{
	return json_is(v, JSON_STRING) ? v->u.string : NULL;
}

int json_u64(const struct json_value *v, uint64_t *ret)
{
	if (!json_is(v, JSON_NUMBER) || !v->exact_uint)
		return -EINVAL;
	*ret = v->u.uint;
	return 0;
}

int json_double(const struct json_value *v, double *ret)
{
	if (!json_is(v, JSON_NUMBER))
		return -EINVAL;
	*ret = v->exact_uint ? (double)v->u.uint : v->u.number;
	return 0;
}

int json_bool(const struct json_value *v, bool *ret)
{
	if (!json_is(v, JSON_BOOL))
		return -EINVAL;
	*ret = v->u.boolean;
	return 0;
}
