/* config_keywords_list: every keyword the config schema accepts, section by
 * section, for the test that holds lbha.conf(5) to the schema
 * (tests/unit/doc-keywords.sh).
 *
 * A keyword is "supported" when a schema row (or the file parser, for the
 * include lines, or a section's data-line hook) reads it, and "ignored" when
 * the file still loads with it but lbha does not act on it: a row of
 * config_type_ignored, or a keyword keepalived_keywords.c knows in that
 * section and no row reads (the engine warns "not supported by lbha and is
 * ignored", an error under --strict). */
#ifndef LBHA_CONFIG_KEYWORDS_LIST_H
#define LBHA_CONFIG_KEYWORDS_LIST_H

enum config_keyword_kind {
	CONFIG_KEYWORD_SUPPORTED,
	CONFIG_KEYWORD_IGNORED,
	_CONFIG_KEYWORD_KIND_MAX,
};

/* "supported", "ignored"; NULL out of range. */
const char *config_keyword_kind_to_string(enum config_keyword_kind k);

/* section: the keyword that opens the block ("global_defs", "url", ...), or
 * "" for the top level of the file. */
typedef void (*config_keyword_fn)(const char *section, const char *keyword,
				  enum config_keyword_kind kind, void *userdata);

/* Call fn once per (section, keyword), walking the section tables from the
 * top level down; each section comes once, with all its keywords together
 * (supported rows in table order, then ignored keepalived keywords in
 * strcmp() order).  Sections that share their rows (HTTP_GET and SSL_GET,
 * track_file and vrrp_track_file) are listed under each name. */
void config_keywords_foreach(config_keyword_fn fn, void *userdata);

#endif
