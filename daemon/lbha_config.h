/* config: the validated, typed lbha configuration, and how to get one.
 *
 * Loading = conf_parse (syntax tree) -> schema (typed structs, defaults
 * filled) -> validation (ranges, references, conflicts).  Every problem goes to
 * the diag list as file:line; the config is only returned when there is no
 * error.  The structs themselves are in config_types.h. */
#ifndef LBHA_CONFIG_H
#define LBHA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag;
struct lbha_config;

struct config_load_options {
	const char *config_id;  /* for @tag lines; NULL: host name (keepalived's default) */
	bool strict;            /* warnings become errors (lbha -t --strict) */
	bool preflight;         /* add warnings from the live system (interfaces exist, ...) */
};

/* Load and validate a config file.
 * Returns 0 and sets *ret when the config is valid (warnings may be in d);
 * -EINVAL when it is not (every error in d, *ret untouched);
 * another negative errno when `path` cannot be read at all (one entry in d). */
int config_load_file(const char *path, const struct config_load_options *opt, struct diag *d,
		     struct lbha_config **ret);

/* Same for text in memory; `name` stands for the file name in diagnostics. */
int config_load_string(const char *name, const char *text, size_t len,
		       const struct config_load_options *opt, struct diag *d,
		       struct lbha_config **ret);

/* Print the config in canonical keepalived syntax with every default written
 * out; loading that text again yields an equal config. */
void config_dump(FILE *out, const struct lbha_config *cfg);
char *config_dump_string(const struct lbha_config *cfg); /* caller frees */
/* The same with only the values the source wrote (includes, macros and
 * @ID lines resolved): what the parent sends its children, a quarter of the
 * canonical text, which loads to an equal config. */
char *config_dump_written_string(const struct lbha_config *cfg); /* caller frees */

/* True when both configs mean the same. */
bool config_equal(const struct lbha_config *a, const struct lbha_config *b);

/* Counts for log lines ("config loaded: 2 vrrp instances, 3 virtual servers"). */
struct config_summary {
	size_t vrrp_instances, vrrp_scripts, sync_groups;
	size_t virtual_servers, real_servers, checkers;
};
void config_summarize(const struct lbha_config *cfg, struct config_summary *ret);

/* Interface names the config refers to (vrrp_instance interface,
 * track_interface, VIP dev, ...), for the "interface does not exist (yet)"
 * warning.  Calls fn once per distinct name with the place it was first named. */
void config_foreach_interface(const struct lbha_config *cfg,
			      void (*fn)(const char *ifname, const char *file, unsigned line,
					 void *userdata),
			      void *userdata);

/* NULL-safe; returns NULL. */
struct lbha_config *config_free(struct lbha_config *cfg);

#endif
