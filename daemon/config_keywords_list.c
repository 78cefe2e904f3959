/* config_keywords_list: walk the section tables and list their keywords.
 *
 * The schema has no registry of sections: they are const tables reached
 * from config_section_top through rows of the block types.  This walks that
 * graph depth first, once per section, so a keyword added to any table shows
 * up here without anything else to edit. */
#include <config.h>

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "daemon/config_keywords_list.h"
#include "daemon/config_sections.h"
#include "daemon/keepalived_keywords.h"

static const char *const kind_names[] = {
	[CONFIG_KEYWORD_SUPPORTED] = "supported",
	[CONFIG_KEYWORD_IGNORED] = "ignored",
};

const char *config_keyword_kind_to_string(enum config_keyword_kind k)
{
	return k >= 0 && k < _CONFIG_KEYWORD_KIND_MAX ? kind_names[k] : NULL;
}

/* keepalived keywords that something other than a row reads, so they are
 * not ignored although no row names them: the include lines (lib/conf_parse.c
 * expands them before the schema sees the tree) and virtual_server_group's
 * `fwmark N` data lines (config_vsg.c's line hook). */
static const struct {
	const char *section, *keyword;
} read_elsewhere[] = {
	{ "", "include" },  { "", "includea" }, { "", "includeb" }, { "", "includem" },
	{ "", "includer" }, { "", "includew" }, { "virtual_server_group", "fwmark" },
};

static bool is_read_elsewhere(const char *section, const char *keyword)
{
	for (size_t i = 0; i < sizeof(read_elsewhere) / sizeof(read_elsewhere[0]); i++)
		if (strcmp(read_elsewhere[i].section, section) == 0 &&
		    strcmp(read_elsewhere[i].keyword, keyword) == 0)
			return true;
	return false;
}

static bool has_row(const struct config_section *s, const char *keyword)
{
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++)
		if (!(k->flags & CONFIG_KW_HEAD) && strcmp(k->keyword, keyword) == 0)
			return true;
	return false;
}

static bool is_block_row(const struct config_keyword *k)
{
	return k->type == &config_type_block || k->type == &config_type_block_list;
}

/* The schema is a few dozen sections deep at most; a fixed bound keeps the
 * walk free of allocation. */
#define MAX_SECTIONS 64

struct walk {
	const struct config_section *seen[MAX_SECTIONS];
	size_t n_seen;
	config_keyword_fn fn;
	void *userdata;
};

static bool visit(struct walk *w, const struct config_section *s)
{
	for (size_t i = 0; i < w->n_seen; i++)
		if (w->seen[i] == s)
			return false;
	if (w->n_seen == MAX_SECTIONS)
		return false;
	w->seen[w->n_seen++] = s;
	return true;
}

static void walk_section(struct walk *w, const struct config_section *s)
{
	const char *const *kk;
	size_t n_kk;

	if (!visit(w, s))
		return;
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++) {
		if (k->flags & CONFIG_KW_HEAD)
			continue;
		w->fn(s->name, k->keyword,
		      k->type == &config_type_ignored ? CONFIG_KEYWORD_IGNORED
						       : CONFIG_KEYWORD_SUPPORTED,
		      w->userdata);
	}
	for (size_t i = 0; i < sizeof(read_elsewhere) / sizeof(read_elsewhere[0]); i++)
		if (strcmp(read_elsewhere[i].section, s->name) == 0)
			w->fn(s->name, read_elsewhere[i].keyword, CONFIG_KEYWORD_SUPPORTED,
			      w->userdata);
	n_kk = keepalived_section_keywords(s->name, &kk);
	for (size_t i = 0; i < n_kk; i++)
		if (!has_row(s, kk[i]) && !is_read_elsewhere(s->name, kk[i]))
			w->fn(s->name, kk[i], CONFIG_KEYWORD_IGNORED, w->userdata);
	for (const struct config_keyword *k = s->keywords; k && k->keyword; k++)
		if (is_block_row(k) && k->aux)
			walk_section(w, k->aux);
}

void config_keywords_foreach(config_keyword_fn fn, void *userdata)
{
	struct walk w = { .fn = fn, .userdata = userdata };

	walk_section(&w, &config_section_top);
}
