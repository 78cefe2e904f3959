#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "atomic_file.h"
#include "json_out.h"
#include "json_parse.h"
#include "daemon/lbha_config.h"
#include "daemon/options.h"
#include "daemon/status.h"
#include "daemon/status_table.h"
#include "pidfile.h"
#include "xalloc.h"

/* checker.json takes ~450 bytes per real server (4.5 MB for 10,000);
 * anything beyond this is not ours. */
#define STATUS_MAX_SIZE JSON_DEFAULT_MAX_BYTES

/* Every number in a status file, in the order written.  The config's counts
 * say config_: the roles' own lists ("virtual_servers": [...]) must not
 * share their names, or the file would have a key twice. */
static const struct status_field {
	const char *key;
	size_t offset;
} status_fields[] = {
	{ "pid", offsetof(struct status_info, pid) },
	{ "parent_pid", offsetof(struct status_info, parent_pid) },
	{ "start_time", offsetof(struct status_info, start_time) },
	{ "updated", offsetof(struct status_info, updated) },
	{ "config_generation", offsetof(struct status_info, config_generation) },
	{ "config_vrrp_instances", offsetof(struct status_info, vrrp_instances) },
	{ "config_vrrp_scripts", offsetof(struct status_info, vrrp_scripts) },
	{ "config_sync_groups", offsetof(struct status_info, sync_groups) },
	{ "config_virtual_servers", offsetof(struct status_info, virtual_servers) },
	{ "config_real_servers", offsetof(struct status_info, real_servers) },
	{ "config_checkers", offsetof(struct status_info, checkers) },
};
#define N_FIELDS (sizeof(status_fields) / sizeof(status_fields[0]))

static uint64_t *field_ptr(struct status_info *info, const struct status_field *f)
{
	return (uint64_t *)((char *)info + f->offset);
}

void status_set_summary(struct status_info *info, const struct config_summary *s)
{
	info->vrrp_instances = s->vrrp_instances;
	info->vrrp_scripts = s->vrrp_scripts;
	info->sync_groups = s->sync_groups;
	info->virtual_servers = s->virtual_servers;
	info->real_servers = s->real_servers;
	info->checkers = s->checkers;
}

char *status_format(const struct status_info *info)
{
	return status_format_extra(info, NULL, NULL);
}

char *status_format_extra(const struct status_info *info, status_extra_fn extra, void *userdata)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	if (!f)
		abort();

	/* role is one of our own constant names: no escaping needed. */
	fprintf(f, "{\n  \"role\": \"%s\"", info->role);
	for (size_t i = 0; i < N_FIELDS; i++)
		fprintf(f, ",\n  \"%s\": %llu", status_fields[i].key,
			(unsigned long long)*field_ptr((struct status_info *)info, &status_fields[i]));
	if (extra)
		extra(f, userdata);
	fputs("\n}\n", f);
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* A role is one of our own names: it becomes part of a file name. */
static bool role_valid(const char *s, size_t len)
{
	if (len == 0 || len >= sizeof(((struct status_info *)NULL)->role))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

static const struct status_field *field_by_key(const char *key, size_t len)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strlen(status_fields[i].key) == len && memcmp(status_fields[i].key, key, len) == 0)
			return &status_fields[i];
	return NULL;
}

int status_from_json(const struct json_value *root, struct status_info *ret)
{
	struct status_info info = { 0 };
	const struct json_value *role = json_get(root, "role");

	if (!json_is(role, JSON_STRING) || !role_valid(json_string(role), json_len(role)))
		return -EBADMSG;
	memcpy(info.role, json_string(role), json_len(role) + 1);
	/* By member: the frame's numbers, whatever else the role wrote. */
	for (size_t i = 0; i < json_len(root); i++) {
		const struct json_member *m = json_member_at(root, i);
		const struct status_field *f = field_by_key(m->key, m->key_len);
		if (f && json_is(&m->value, JSON_NUMBER) &&
		    json_u64(&m->value, field_ptr(&info, f)) < 0)
			return -EBADMSG;
	}
	*ret = info;
	return 0;
}

int status_parse(const char *text, struct status_info *ret)
{
	struct json_doc *doc = NULL;
	int r = json_parse(text, strlen(text), NULL, &doc, NULL);

	if (r == 0)
		r = status_from_json(json_doc_root(doc), ret);
	json_doc_free(doc);
	return r < 0 ? -EBADMSG : 0;
}

char *status_path(const char *runtime_dir, const char *role)
{
	return xasprintf("%s/%s.json", runtime_dir, role);
}

int status_write(const char *runtime_dir, const struct status_info *info)
{
	return status_write_extra(runtime_dir, info, NULL, NULL);
}

int status_write_extra(const char *runtime_dir, const struct status_info *info,
		       status_extra_fn extra, void *userdata)
{
	char *text = status_format_extra(info, extra, userdata);
	int r = status_write_text(runtime_dir, info->role, text, strlen(text));

	free(text);
	return r;
}

int status_write_text(const char *runtime_dir, const char *role, const void *text, size_t len)
{
	char *path = status_path(runtime_dir, role);
	/* `lbha status` runs as any user: the file is 0644 whatever umask lbha
	 * was started with.  The parent is single-threaded, so the umask is
	 * ours for the call (as in control.c). */
	mode_t old = umask(022);
	int r = atomic_file_write(path, text, len, 0644);

	umask(old);
	free(path);
	return r;
}

/* ---- lbha status ---- */

struct child_report {
	const char *role;
	char *text;              /* the file as read */
	size_t len;
	struct json_doc *doc;    /* parsed, with a valid frame in info */
	struct status_info info;
	bool alive;              /* doc's pid still exists */
	char *problem;           /* when there is no live doc, why */
};

/* Read a status file of up to STATUS_MAX_SIZE bytes without a buffer that
 * big for a small file: size it from stat(), and once more if the file
 * was replaced by a bigger one in between. */
static int read_status_file(const char *path, char **ret, size_t *ret_len)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size > STATUS_MAX_SIZE)
		return -EFBIG;
	size_t max = (size_t)st.st_size * 2 + 65536;
	int r = atomic_file_read(path, max < STATUS_MAX_SIZE ? max : STATUS_MAX_SIZE, ret, ret_len);
	if (r == -EFBIG && max < STATUS_MAX_SIZE)
		r = atomic_file_read(path, STATUS_MAX_SIZE, ret, ret_len);
	return r;
}

static void read_report(const char *dir, struct child_report *c)
{
	const struct json_limits limits = { .max_bytes = STATUS_MAX_SIZE };
	char *path = status_path(dir, c->role);
	struct json_error err;
	int r = read_status_file(path, &c->text, &c->len);

	if (r == -ENOENT) {
		c->problem = xstrdup("not running (no status file)");
	} else if (r < 0) {
		c->problem = xasprintf("cannot read %s: %s", path, strerror(-r));
	} else if ((r = json_parse(c->text, c->len, &limits, &c->doc, &err)) < 0) {
		c->problem = xasprintf("cannot read %s: %s at byte %zu", path, err.message, err.offset);
	} else if (status_from_json(json_doc_root(c->doc), &c->info) < 0) {
		c->problem = xasprintf("cannot read %s: not a status file", path);
		c->doc = json_doc_free(c->doc);
	} else {
		/* EPERM: the pid exists, it is just not ours to signal (lbha
		 * status as a user, the daemon as root). */
		c->alive = c->info.pid > 0 && (kill((pid_t)c->info.pid, 0) == 0 || errno == EPERM);
		if (!c->alive)
			c->problem = xasprintf("not running (stale status file of pid %llu)",
					       (unsigned long long)c->info.pid);
	}
	free(path);
}

/* The file's JSON without its trailing newline, to nest it. */
static void print_trimmed(const char *text, size_t len)
{
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	fwrite(text, 1, len, stdout);
}

/* The children's files nest whole (each was parsed, so the result is valid
 * JSON), so every member a child writes reaches --json unchanged. */
static void print_json(bool running, pid_t pid, const char *dir, const struct child_report *c,
		       size_t n)
{
	printf("{\n\"running\": %s,\n\"pid\": %d,\n\"runtime_dir\": ", running ? "true" : "false",
	       (int)pid);
	json_write_string(stdout, dir);
	printf(",\n\"children\": {");
	for (size_t i = 0; i < n; i++) {
		printf("%s\n\"%s\": ", i ? "," : "", c[i].role);
		if (running && c[i].doc && c[i].alive)
			print_trimmed(c[i].text, c[i].len);
		else
			fputs("null", stdout);
	}
	printf("\n},\n\"problems\": {");
	bool first = true;
	for (size_t i = 0; i < n && running; i++) {
		if (!c[i].problem)
			continue;
		printf("%s\n\"%s\": ", first ? "" : ",", c[i].role);
		json_write_string(stdout, c[i].problem);
		first = false;
	}
	printf("%s}\n}\n", first ? "" : "\n");
}

static void print_table(pid_t pid, const char *dir, const struct child_report *c, size_t n)
{
	struct status_table_child *t = xcalloc(n, sizeof(*t));

	if (pid > 0)
		printf("lbha is running: pid %d, runtime directory %s\n", (int)pid, dir);
	else
		printf("lbha is running, runtime directory %s\n", dir);
	for (size_t i = 0; i < n; i++)
		t[i] = (struct status_table_child){
			.role = c[i].role,
			.doc = c[i].alive ? json_doc_root(c[i].doc) : NULL,
			.problem = c[i].problem,
		};
	status_table_write(stdout, t, n, (uint64_t)time(NULL));
	free(t);
}

int status_main(const struct lbha_options *o, const char *const *roles, size_t n_roles)
{
	const char *dir = o->runtime_dir;
	struct child_report *c = xcalloc(n_roles, sizeof(*c));
	pid_t pid = 0;

	/* A shared lock probe: read access to the directory is enough. */
	int r = pidfile_probe_dir(dir);
	if (r < 0) {
		fprintf(stderr, "lbha: cannot check runtime directory %s: %s\n", dir, strerror(-r));
		free(c);
		return LBHA_EXIT_FAILURE;
	}
	bool running = r > 0;

	for (size_t i = 0; i < n_roles; i++) {
		c[i].role = roles[i];
		if (running)
			read_report(dir, &c[i]);
	}
	if (running) {
		/* The pid file is in the runtime dir unless -p moved it; the
		 * children know their parent either way. */
		char *pidpath = xasprintf("%s/lbha.pid", dir);
		if (pidfile_probe(pidpath, &pid) <= 0)
			pid = 0;
		free(pidpath);
		for (size_t i = 0; i < n_roles && pid == 0; i++)
			if (c[i].alive)
				pid = (pid_t)c[i].info.parent_pid;
	}

	if (o->json)
		print_json(running, pid, dir, c, n_roles);
	else if (!running)
		printf("lbha is not running (no lbha holds the runtime directory %s)\n", dir);
	else
		print_table(pid, dir, c, n_roles);

	for (size_t i = 0; i < n_roles; i++) {
		free(c[i].text);
		free(c[i].problem);
		json_doc_free(c[i].doc);
	}
	free(c);
	if (fflush(stdout) != 0)
		return LBHA_EXIT_FAILURE;
	return running ? LBHA_EXIT_OK : LBHA_EXIT_NOT_RUNNING;
}
