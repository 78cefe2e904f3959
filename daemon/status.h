/* status: the children's status files and `lbha status`.
 *
 * Each child publishes <runtime dir>/<role>.json, replaced atomically on
 * start and after every config it applies.  The file is one flat JSON object
 * of numbers plus the role name; status_format()/status_parse() share one
 * field table, so what is written is what is read.  `lbha status` finds the
 * daemon through the lock on the runtime dir, never through a pid alone. */
#ifndef LBHA_STATUS_H
#define LBHA_STATUS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

struct config_summary;
struct lbha_options;

struct status_info {
	char role[16];
	uint64_t pid, parent_pid;
	uint64_t start_time;         /* wall clock, seconds since the epoch */
	uint64_t updated;            /* wall clock of the last write */
	uint64_t config_generation;  /* 0: no config received yet */
	uint64_t vrrp_instances, vrrp_scripts, sync_groups;
	uint64_t virtual_servers, real_servers, checkers;
};

/* Copy the counts of a config summary into info. */
void status_set_summary(struct status_info *info, const struct config_summary *s);

/* Writes a role's own members after the frame's (see child_role.status_extra). */
typedef void (*status_extra_fn)(FILE *f, void *userdata);

/* The JSON text for info (caller frees).  `extra` may be NULL. */
char *status_format(const struct status_info *info);
char *status_format_extra(const struct status_info *info, status_extra_fn extra, void *userdata);

/* Parse what status_format() wrote.  Unknown keys are skipped (newer writer,
 * or a role's nested members); returns 0 or -EBADMSG. */
int status_parse(const char *text, struct status_info *ret);

/* "<dir>/<role>.json" (caller frees). */
char *status_path(const char *runtime_dir, const char *role);

/* Write info to status_path(runtime_dir, info->role) atomically.  Returns 0 or
 * a negative errno. */
int status_write(const char *runtime_dir, const struct status_info *info);
int status_write_extra(const char *runtime_dir, const struct status_info *info,
		       status_extra_fn extra, void *userdata);
/* Write text (a whole status file, as a child formatted it) to
 * status_path(runtime_dir, role) atomically.  Returns 0 or a negative errno. */
int status_write_text(const char *runtime_dir, const char *role, const void *text, size_t len);

/* `lbha status`: print what the daemon using o->runtime_dir publishes, for
 * the roles named in roles[0..n).  Returns LBHA_EXIT_OK when it runs,
 * LBHA_EXIT_NOT_RUNNING when not. */
int status_main(const struct lbha_options *o, const char *const *roles, size_t n_roles);

#endif
