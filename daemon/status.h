/* status: the children's status files and `lbha status`.
 *
 * Each child publishes <runtime dir>/<role>.json (the parent writes what the
 * child sends in MSG_STATUS), replaced atomically on start, after every
 * config it applies and when its state changes.  The file is one JSON
 * object: the frame every child writes (the role name and the numbers of
 * struct status_info; status_format() and status_from_json() share one
 * field table, so what is written is what is read), then the role's own
 * members (VRRP instances, virtual and real servers).
 *
 * `lbha status` finds the daemon through the lock on the runtime dir, never
 * through a pid alone, reads the files with lib/json_parse and prints them
 * as a table (daemon/status_table.c) or, with --json, nested whole in one
 * object.  It needs only read access: the directory is 0755 and the files
 * 0644, so any user can run it. */
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

/* Parse what status_format() wrote (with or without a role's members).
 * Unknown keys are skipped (newer writer, or a role's own members); a
 * missing number is 0.  Returns 0 or -EBADMSG (not JSON, no valid role, a
 * frame number that is not a non-negative 64-bit integer). */
int status_parse(const char *text, struct status_info *ret);

struct json_value;

/* Like status_parse(), from an already parsed file's root. */
int status_from_json(const struct json_value *root, struct status_info *ret);

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
 * the roles named in roles[0..n): a table, or with o->json one JSON object
 * {"running", "pid", "runtime_dir", "children": {ROLE: its status file or
 * null}, "problems": {ROLE: why it is null}}.  Returns LBHA_EXIT_OK when it
 * runs, LBHA_EXIT_NOT_RUNNING when not, LBHA_EXIT_FAILURE when the runtime
 * dir cannot be checked or stdout fails. */
int status_main(const struct lbha_options *o, const char *const *roles, size_t n_roles);

#endif
