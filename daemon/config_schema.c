/* config_schema: the engine that walks a section's rows.
 *
 * One loop (config_parse_block) matches each child node against the
 * section's rows; what matches no row is offered to the section's line hook
 * (data lines), then sorted into "keepalived has it, lbha does not" (a
 * warning, the statement or block skipped whole) or "nobody has it" (an error
 * with a did-you-mean or a belongs-in hint).  Dump, equality and free walk
 * the same rows.  The value types live in config_value.c. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon/config_schema.h"
#include "daemon/keepalived_keywords.h"
#include "xalloc.h"

/* Whether an array of n items, grown only by the appends below, is full:
 * they double it when n reaches a power of two, so there is no capacity
 * field to carry (a list of 1,000 services was reallocated 1,000 times). */
static bool array_full(size_t n)
{
	return (n & (n - 1)) == 0;
}

void config_list_append(struct config_list *l, void *item)
{
	if (array_full(l->n))
		l->items = xreallocarray(l->items, l->n ? 2 * l->n : 1, sizeof(*l->items));
	l->items[l->n++] = item;
}

const char *config_intern_file(struct config_ctx *c, const char *file)
{
	struct config_strv *f = &c->cfg->files;

	if (!file)
		return NULL;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i], file) == 0)
			return f->v[i];
	config_strv_append(f, file);
	return f->v[f->n - 1];
}

/* ---- rows ----------------------------------------------------------------- */

#define MAX_ROW_BITS (64 * 3) /* sizeof(config_obj.set) in bits */

static const struct config_keyword *find_row_linear(const struct config_section *s,
						    const char *kw)
{
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++)
		if (!(k->flags & CONFIG_KW_HEAD) && strcmp(k->keyword, kw) == 0)
			return k;
	return NULL;
}

/* Index of the first row for this offset: the bit that records "written". */
static int row_bit_linear(const struct config_section *s, size_t offset)
{
	int i = 0;

	for (const struct config_keyword *k = s->keywords; k->keyword; k++, i++)
		if (k->offset == offset && !(k->flags & CONFIG_KW_HEAD))
			return i < MAX_ROW_BITS ? i : -1;
	return -1;
}

static size_t hash_keyword(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

#define SLOT_MASK (CONFIG_SECTION_SLOTS - 1)

static void build_index(const struct config_section *s, struct config_section_index *x)
{
	size_t n = 0;

	x->built = true;
	while (s->keywords[n].keyword)
		n++;
	/* half-empty hash slots keep the probes short; a row must fit a byte */
	if (n > CONFIG_SECTION_SLOTS / 2)
		return;
	for (size_t i = 0; i < n; i++)
		if (s->keywords[i].offset >= CONFIG_SECTION_MAX_OFFSET)
			return;
	x->n_rows = (unsigned char)(n < MAX_ROW_BITS ? n : MAX_ROW_BITS);
	for (size_t i = 0; i < n; i++) {
		const struct config_keyword *k = &s->keywords[i];
		if (k->flags & CONFIG_KW_HEAD)
			continue;
		/* the first row wins, as in the linear scans */
		for (size_t h = hash_keyword(k->keyword);; h++) {
			unsigned char *slot = &x->by_keyword[h & SLOT_MASK];
			if (*slot == 0)
				*slot = (unsigned char)(i + 1);
			if (strcmp(s->keywords[*slot - 1].keyword, k->keyword) == 0)
				break;
		}
		if (x->by_offset[k->offset] == 0)
			x->by_offset[k->offset] = (unsigned char)(i + 1);
	}
	x->usable = true;
}

/* The section's tables, or NULL when it must be searched linearly. */
static inline const struct config_section_index *section_index(const struct config_section *s)
{
	struct config_section_index *x = s->index;

	if (!x || !s->keywords)
		return NULL;
	if (!x->built)
		build_index(s, x);
	return x->usable ? x : NULL;
}

static const struct config_keyword *find_row(const struct config_section *s, const char *kw)
{
	const struct config_section_index *x = section_index(s);

	if (!x)
		return find_row_linear(s, kw);
	for (size_t h = hash_keyword(kw);; h++) {
		unsigned char slot = x->by_keyword[h & SLOT_MASK];
		if (slot == 0)
			return NULL;
		if (strcmp(s->keywords[slot - 1].keyword, kw) == 0)
			return &s->keywords[slot - 1];
	}
}

static inline int row_bit(const struct config_section *s, size_t offset)
{
	const struct config_section_index *x;

	if (!s || !s->keywords)
		return -1;
	x = section_index(s);
	if (!x)
		return row_bit_linear(s, offset);
	if (offset >= CONFIG_SECTION_MAX_OFFSET || x->by_offset[offset] == 0)
		return -1;
	return x->by_offset[offset] - 1 < MAX_ROW_BITS ? x->by_offset[offset] - 1 : -1;
}

/* How many rows row_bit() can return an index for. */
static size_t section_rows(const struct config_section *s)
{
	const struct config_section_index *x = section_index(s);
	size_t n = 0;

	if (x)
		return x->n_rows;
	for (const struct config_keyword *k = s->keywords; k->keyword && n < MAX_ROW_BITS; k++)
		n++;
	return n;
}

bool config_obj_isset(const void *obj, size_t offset)
{
	const struct config_obj *o = obj;
	int b = row_bit(o->section, offset);

	return b >= 0 && (o->set[b / 64] >> (b % 64)) & 1;
}

void config_obj_mark(void *obj, size_t offset)
{
	struct config_obj *o = obj;
	int b = row_bit(o->section, offset);

	if (b >= 0)
		o->set[b / 64] |= UINT64_C(1) << (b % 64);
}

static void mark_at(void *obj, size_t offset, unsigned line)
{
	struct config_obj *o = obj;
	int b = row_bit(o->section, offset);

	if (b < 0)
		return;
	o->set[b / 64] |= UINT64_C(1) << (b % 64);
	/* Sized to the section's rows, not the 192 the set bits allow: a
	 * config of 10,000 real servers has 10,000 of these. */
	if (!o->row_lines)
		o->row_lines = xcalloc(section_rows(o->section), sizeof(*o->row_lines));
	o->row_lines[b] = line;
}

unsigned config_obj_line(const void *obj, size_t offset)
{
	const struct config_obj *o = obj;
	int b = row_bit(o->section, offset);

	return b >= 0 && o->row_lines && o->row_lines[b] ? o->row_lines[b] : o->line;
}

void config_obj_init(struct config_ctx *c, const struct config_section *s, void *obj,
		     const struct conf_node *n)
{
	struct config_obj *o = obj;

	o->section = s;
	o->file = n ? config_intern_file(c, n->file) : NULL;
	o->line = n ? n->line : 0;
	memset(o->set, 0, sizeof(o->set));
	/* embedded blocks (authentication, global_defs) get their header and
	 * defaults before the parent's init, which may adjust them */
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++)
		if (k->type == &config_type_block)
			config_obj_init(c, k->aux, (char *)obj + k->offset, NULL);
	if (s->init)
		s->init(c, obj);
}

/* ---- unknown keywords ------------------------------------------------------ */

size_t config_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][65] = { { 0 } };
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			/* a transposition ("prioirty") counts as one edit */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* Suggestions are at most 3 edits away, and two words whose lengths differ
 * by more than that are at least that far apart: skip them unmeasured
 * (a file full of unknown words must not take seconds to report). */
#define SUGGEST_MAX_EDITS 3

static void consider(const char *word, const char *cand, const char **best, size_t *best_d)
{
	size_t lw = strlen(word), lc = strlen(cand), d;

	if ((lw > lc ? lw - lc : lc - lw) > SUGGEST_MAX_EDITS)
		return;
	d = config_edit_distance(word, cand);

	if (d < *best_d) {
		*best_d = d;
		*best = cand;
	}
}

const char *config_suggest_keyword(const struct config_section *s, const char *word)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, limit;
	const char *const *ka;
	size_t n_ka = keepalived_section_keywords(s->name, &ka);

	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++)
		if (!(k->flags & CONFIG_KW_HEAD))
			consider(word, k->keyword, &best, &best_d);
	for (size_t i = 0; i < n_ka; i++)
		consider(word, ka[i], &best, &best_d);
	/* short words need a closer match, or everything suggests everything */
	limit = strlen(word) <= 4 ? 1 : strlen(word) <= 8 ? 2 : SUGGEST_MAX_EDITS;
	return best && best_d > 0 && best_d <= limit ? best : NULL;
}

static const char *section_label(const struct config_section *s)
{
	return s->name[0] ? s->name : "the top level";
}

static void report_unknown(struct config_ctx *c, const struct config_section *s,
			   const struct conf_node *n)
{
	const char *home = keepalived_keyword_home(n->keyword);
	const char *near = config_suggest_keyword(s, n->keyword);
	const char *in = s->name[0] ? "in " : "at ";

	if (home && strcmp(home, s->name) != 0)
		diag_error(c->d, n->file, n->line, "unknown keyword '%s' %s%s; '%s' belongs in %s",
			   n->keyword, in, section_label(s), n->keyword,
			   home[0] ? home : "the top level");
	else if (near)
		diag_error(c->d, n->file, n->line, "unknown keyword '%s' %s%s; did you mean '%s'?",
			   n->keyword, in, section_label(s), near);
	else
		diag_error(c->d, n->file, n->line, "unknown keyword '%s' %s%s", n->keyword, in,
			   section_label(s));
}

static void handle_unmatched(struct config_ctx *c, const struct config_section *s,
			     const struct conf_node *n, void *obj)
{
	if (s->line && s->line(c, n, obj) == 0)
		return;
	if (keepalived_keyword_known(s->name, n->keyword))
		diag_warn(c->d, n->file, n->line,
			  "keyword '%s' is not supported by lbha and is ignored%s", n->keyword,
			  n->is_block ? " (with its whole block)" : "");
	else
		report_unknown(c, s, n);
}

void config_parse_block(struct config_ctx *c, const struct config_section *s,
			const struct conf_node *first_child, void *obj)
{
	for (const struct conf_node *n = first_child; n; n = n->next) {
		const struct config_keyword *k = find_row(s, n->keyword);

		if (!k) {
			handle_unmatched(c, s, n, obj);
			continue;
		}
		if (n->is_block && !k->type->block) {
			diag_error(c->d, n->file, n->line, "'%s' does not take a { } block",
				   n->keyword);
			continue;
		}
		if (!n->is_block && k->type->block) {
			diag_error(c->d, n->file, n->line, "'%s' needs a { } block", n->keyword);
			continue;
		}
		if (!(k->flags & CONFIG_KW_MULTI) && !k->type->block && config_obj_isset(obj, k->offset))
			diag_warn(c->d, n->file, n->line,
				  "'%s' is given more than once in this %s; the last one counts",
				  n->keyword, s->name[0] ? s->name : "file");
		if (k->type->parse(c, k, n, obj, (char *)obj + k->offset) == 0)
			mark_at(obj, k->offset, n->line);
	}
}

/* ---- print / equal / free ------------------------------------------------- */

void config_print_rows(struct config_printer *p, const struct config_section *s, const void *obj)
{
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++) {
		if (k->flags & (CONFIG_KW_ALIAS | CONFIG_KW_HEAD))
			continue;
		if (k->print_if && !k->print_if(obj))
			continue;
		if (p->written_only && !k->type->block && !config_obj_isset(obj, k->offset))
			continue;
		if (k->type->print)
			k->type->print(p, k, (const char *)obj + k->offset);
	}
	if (s->print_lines)
		s->print_lines(p, obj);
}

void config_print_block(struct config_printer *p, const struct config_section *s, const void *obj)
{
	config_pr_begin(p, s->name);
	if (s->print_head)
		s->print_head(p, obj);
	config_pr_open(p);
	config_print_rows(p, s, obj);
	config_pr_close(p);
}

bool config_obj_equal(const struct config_section *s, const void *a, const void *b)
{
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++) {
		if (k->flags & (CONFIG_KW_ALIAS | CONFIG_KW_SHARED))
			continue;
		if (k->type->equal &&
		    !k->type->equal(k, (const char *)a + k->offset, (const char *)b + k->offset))
			return false;
	}
	return s->equal ? s->equal(a, b) : true;
}

void config_obj_clear(const struct config_section *s, void *obj)
{
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++) {
		if (k->flags & (CONFIG_KW_ALIAS | CONFIG_KW_SHARED))
			continue;
		if (k->type->free)
			k->type->free(k, (char *)obj + k->offset);
	}
	if (s->free)
		s->free(obj);
	free(((struct config_obj *)obj)->row_lines);
	((struct config_obj *)obj)->row_lines = NULL;
}

/* ---- block types ---------------------------------------------------------- */

static int block_parse(struct config_ctx *c, const struct config_keyword *kw,
		       const struct conf_node *n, void *obj, void *field)
{
	const struct config_section *s = kw->aux;
	struct config_obj *child = field;

	if (n->n_args > 0 && !s->head) {
		diag_error(c->d, n->file, n->line, "'%s' takes no arguments before its block",
			   n->keyword);
		return -EINVAL;
	}
	if (!child->file) { /* first occurrence: place it; a repeat adds to it */
		child->file = config_intern_file(c, n->file);
		child->line = n->line;
	}
	if (s->head && s->head(c, n, child) < 0)
		return -EINVAL;
	config_parse_block(c, s, n->children, child);
	if (s->finish)
		s->finish(c, n, child);
	return 0;
}

static void block_print(struct config_printer *p, const struct config_keyword *kw,
			const void *field)
{
	const struct config_section *s = kw->aux;

	if (s->present && !s->present(field))
		return;
	config_print_block(p, kw->aux, field);
}

static bool block_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_obj_equal(kw->aux, a, b);
}

static void block_free(const struct config_keyword *kw, void *field)
{
	config_obj_clear(kw->aux, field);
}

const struct config_type config_type_block = {
	.name = "block", .block = true, .parse = block_parse, .print = block_print,
	.equal = block_equal, .free = block_free,
};

static int block_list_parse(struct config_ctx *c, const struct config_keyword *kw,
			    const struct conf_node *n, void *obj, void *field)
{
	const struct config_section *s = kw->aux;
	struct config_list *l = field;
	void *child = xzalloc(s->size);

	config_obj_init(c, s, child, n);
	if (!s->head && n->n_args > 0) {
		diag_error(c->d, n->file, n->line, "'%s' takes no arguments before its block",
			   n->keyword);
	} else if (s->head && s->head(c, n, child) < 0) {
		/* a block with a bad head is still read, so its errors are reported too */
		config_parse_block(c, s, n->children, child);
		config_obj_clear(s, child);
		free(child);
		return -EINVAL;
	}
	config_parse_block(c, s, n->children, child);
	if (s->finish)
		s->finish(c, n, child);
	config_list_append(l, child);
	return 0;
}

/* Several rows may share one list (HTTP_GET and TCP_CHECK both append to
 * real_server.checkers): each item prints with its own section, in order,
 * and only the first row of the group prints. */
static void block_list_print(struct config_printer *p, const struct config_keyword *kw,
			     const void *field)
{
	const struct config_list *l = field;

	if (kw->flags & CONFIG_KW_SHARED)
		return;
	for (size_t i = 0; i < l->n; i++) {
		const struct config_obj *o = l->items[i];
		config_print_block(p, o->section, o);
	}
}

static bool block_list_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_list *la = a, *lb = b;

	if (la->n != lb->n)
		return false;
	for (size_t i = 0; i < la->n; i++) {
		const struct config_obj *oa = la->items[i], *ob = lb->items[i];
		if (oa->section != ob->section || !config_obj_equal(oa->section, oa, ob))
			return false;
	}
	return true;
}

static void block_list_free(const struct config_keyword *kw, void *field)
{
	struct config_list *l = field;

	for (size_t i = 0; i < l->n; i++) {
		struct config_obj *o = l->items[i];
		config_obj_clear(o->section, o);
		free(o);
	}
	free(l->items);
	*l = (struct config_list){ 0 };
}

const struct config_type config_type_block_list = {
	.name = "block list", .block = true, .parse = block_list_parse, .print = block_list_print,
	.equal = block_list_equal, .free = block_list_free,
};

static int lines_parse(struct config_ctx *c, const struct config_keyword *kw,
		       const struct conf_node *n, void *obj, void *field)
{
	const struct config_item_type *t = kw->aux;
	struct config_list *l = field;
	int r = 0;

	if (n->n_args > 0) {
		diag_error(c->d, n->file, n->line, "'%s' takes no arguments before its block",
			   n->keyword);
		r = -EINVAL;
	}
	for (const struct conf_node *ln = n->children; ln; ln = ln->next) {
		if (ln->is_block) {
			diag_error(c->d, ln->file, ln->line, "unexpected block in %s: '%s {'",
				   n->keyword, ln->keyword);
			continue;
		}
		struct config_obj *item = xzalloc(t->size);
		item->file = config_intern_file(c, ln->file);
		item->line = ln->line;
		if (t->parse(c, ln, item) < 0) {
			if (t->free)
				t->free(item);
			free(item);
			r = -EINVAL;
			continue;
		}
		config_list_append(l, item);
	}
	return r;
}

static void lines_print(struct config_printer *p, const struct config_keyword *kw,
			const void *field)
{
	const struct config_item_type *t = kw->aux;
	const struct config_list *l = field;

	if (l->n == 0)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_open(p);
	for (size_t i = 0; i < l->n; i++)
		t->print(p, l->items[i]);
	config_pr_close(p);
}

static bool lines_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	const struct config_item_type *t = kw->aux;
	const struct config_list *la = a, *lb = b;

	if (la->n != lb->n)
		return false;
	for (size_t i = 0; i < la->n; i++)
		if (!t->equal(la->items[i], lb->items[i]))
			return false;
	return true;
}

static void lines_free(const struct config_keyword *kw, void *field)
{
	const struct config_item_type *t = kw->aux;
	struct config_list *l = field;

	for (size_t i = 0; i < l->n; i++) {
		if (t->free)
			t->free(l->items[i]);
		free(l->items[i]);
	}
	free(l->items);
	*l = (struct config_list){ 0 };
}

const struct config_type config_type_lines = {
	.name = "lines", .block = true, .parse = lines_parse, .print = lines_print,
	.equal = lines_equal, .free = lines_free,
};

static int strv_block_parse(struct config_ctx *c, const struct config_keyword *kw,
			    const struct conf_node *n, void *obj, void *field)
{
	struct config_strv *v = field;
	int r = 0;

	for (const struct conf_node *ln = n->children; ln; ln = ln->next) {
		if (ln->is_block || ln->n_args > 0) {
			diag_error(c->d, ln->file, ln->line, "%s takes one word per line",
				   n->keyword);
			r = -EINVAL;
			continue;
		}
		config_strv_append(v, ln->keyword);
	}
	return r;
}

static void strv_block_print(struct config_printer *p, const struct config_keyword *kw,
			     const void *field)
{
	const struct config_strv *v = field;

	if (v->n == 0)
		return;
	config_pr_begin(p, kw->keyword);
	config_pr_open(p);
	for (size_t i = 0; i < v->n; i++) {
		config_pr_begin(p, v->v[i]);
		config_pr_end(p);
	}
	config_pr_close(p);
}

static bool strv_block_equal(const struct config_keyword *kw, const void *a, const void *b)
{
	return config_strv_equal(a, b);
}

static void strv_block_free(const struct config_keyword *kw, void *field)
{
	config_strv_clear(field);
}

const struct config_type config_type_strv_block = {
	.name = "word list", .block = true, .parse = strv_block_parse, .print = strv_block_print,
	.equal = strv_block_equal, .free = strv_block_free,
};
