#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_out.h"
#include "atomic_file.h"
#include "daemon/lbha_config.h"
#include "daemon/options.h"
#include "daemon/status.h"
#include "pidfile.h"
#include "xalloc.h"

/* A status file is a few hundred bytes; anything bigger is not ours. */
#define STATUS_MAX_SIZE 65536

/* Every number in a status file, in the order written. */
static const struct status_field {
	const char *key;
	size_t offset;
} status_fields[] = {
	{ "pid", offsetof(struct status_info, pid) },
	{ "parent_pid", offsetof(struct status_info, parent_pid) },
	{ "start_time", offsetof(struct status_info, start_time) },
	{ "updated", offsetof(struct status_info, updated) },
	{ "config_generation", offsetof(struct status_info, config_generation) },
	{ "vrrp_instances", offsetof(struct status_info, vrrp_instances) },
	{ "vrrp_scripts", offsetof(struct status_info, vrrp_scripts) },
	{ "sync_groups", offsetof(struct status_info, sync_groups) },
	{ "virtual_servers", offsetof(struct status_info, virtual_servers) },
	{ "real_servers", offsetof(struct status_info, real_servers) },
	{ "checkers", offsetof(struct status_info, checkers) },
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

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* A string without escapes (all we write); *ret points into the text. */
static const char *parse_string(const char *p, const char **ret, size_t *ret_len)
{
	if (*p != '"')
		return NULL;
	const char *end = strpbrk(p + 1, "\"\\");
	if (!end || *end != '"')
		return NULL;
	*ret = p + 1;
	*ret_len = (size_t)(end - p - 1);
	return end + 1;
}

/* Skip a nested array or object (a role's own members), strings included. */
static const char *skip_nested(const char *p)
{
	unsigned depth = 0;

	for (; *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return NULL;
			if (--depth == 0)
				return p + 1;
		}
	}
	return NULL;
}

/* A literal true/false/null. */
static const char *skip_literal(const char *p)
{
	static const char *const words[] = { "true", "false", "null" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(p, words[i], strlen(words[i])) == 0)
			return p + strlen(words[i]);
	return NULL;
}

static const char *parse_value(const char *p, struct status_info *info, const char *key,
			       size_t key_len)
{
	if (*p == '{' || *p == '[')
		return skip_nested(p);
	if (*p == 't' || *p == 'f' || *p == 'n')
		return skip_literal(p);
	if (*p == '"') {
		const char *s;
		size_t len;
		p = parse_string(p, &s, &len);
		if (p && key_len == 4 && memcmp(key, "role", 4) == 0) {
			if (len >= sizeof(info->role))
				return NULL;
			memcpy(info->role, s, len);
			info->role[len] = '\0';
		}
		return p;
	}

	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (errno || end == p || *p == '-')
		return NULL;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strlen(status_fields[i].key) == key_len &&
		    memcmp(status_fields[i].key, key, key_len) == 0)
			*field_ptr(info, &status_fields[i]) = v;
	return end;
}

int status_parse(const char *text, struct status_info *ret)
{
	struct status_info info = { 0 };
	const char *p = skip_ws(text);

	if (*p++ != '{')
		return -EBADMSG;
	p = skip_ws(p);
	while (*p != '}') {
		const char *key;
		size_t key_len;
		p = parse_string(p, &key, &key_len);
		if (!p)
			return -EBADMSG;
		p = skip_ws(p);
		if (*p++ != ':')
			return -EBADMSG;
		p = parse_value(skip_ws(p), &info, key, key_len);
		if (!p)
			return -EBADMSG;
		p = skip_ws(p);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p != '}')
			return -EBADMSG;
	}
	if (*skip_ws(p + 1) != '\0' || info.role[0] == '\0')
		return -EBADMSG;
	*ret = info;
	return 0;
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
	int r = atomic_file_write(path, text, len, 0644);

	free(path);
	return r;
}

/* ---- lbha status ---- */

struct child_report {
	const char *role;
	bool have;       /* a status file was read and parsed */
	bool alive;      /* its pid still exists */
	char *text;      /* the file as read */
	struct status_info info;
};

static void read_report(const char *dir, struct child_report *c)
{
	char *path = status_path(dir, c->role);
	if (atomic_file_read(path, STATUS_MAX_SIZE, &c->text, NULL) == 0 &&
	    status_parse(c->text, &c->info) == 0) {
		c->have = true;
		c->alive = c->info.pid > 0 && (kill((pid_t)c->info.pid, 0) == 0 || errno == EPERM);
	}
	free(path);
}

/* The file's JSON without its trailing newline, to nest it. */
static void print_trimmed(const char *text)
{
	size_t len = strlen(text);

	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	printf("%.*s", (int)len, text);
}

static void print_json(bool running, pid_t pid, const char *dir, struct child_report *c, size_t n)
{
	printf("{\n\"running\": %s,\n\"pid\": %d,\n\"runtime_dir\": ", running ? "true" : "false",
	       (int)pid);
	json_write_string(stdout, dir);
	printf(",\n\"children\": {");
	for (size_t i = 0; i < n; i++) {
		printf("%s\n\"%s\": ", i ? "," : "", c[i].role);
		if (running && c[i].have && c[i].alive)
			print_trimmed(c[i].text);
		else
			fputs("null", stdout);
	}
	printf("\n}\n}\n");
}

static void print_duration(uint64_t s)
{
	if (s >= 86400)
		printf("%llud %lluh", (unsigned long long)(s / 86400), (unsigned long long)(s % 86400 / 3600));
	else if (s >= 3600)
		printf("%lluh %llum", (unsigned long long)(s / 3600), (unsigned long long)(s % 3600 / 60));
	else if (s >= 60)
		printf("%llum %llus", (unsigned long long)(s / 60), (unsigned long long)(s % 60));
	else
		printf("%llus", (unsigned long long)s);
}

static void print_human(const struct child_report *c)
{
	const struct status_info *i = &c->info;

	printf("  %-8s ", c->role);
	if (!c->have) {
		printf("not running (no status file)\n");
		return;
	}
	if (!c->alive) {
		printf("not running (stale status file of pid %llu)\n", (unsigned long long)i->pid);
		return;
	}
	uint64_t now = (uint64_t)time(NULL);
	printf("pid %llu, up ", (unsigned long long)i->pid);
	print_duration(now > i->start_time ? now - i->start_time : 0);
	if (i->config_generation == 0) {
		printf(", no config yet\n");
		return;
	}
	printf(", config generation %llu: %llu vrrp instances, %llu vrrp scripts, "
	       "%llu sync groups, %llu virtual servers, %llu real servers, %llu checkers\n",
	       (unsigned long long)i->config_generation, (unsigned long long)i->vrrp_instances,
	       (unsigned long long)i->vrrp_scripts, (unsigned long long)i->sync_groups,
	       (unsigned long long)i->virtual_servers, (unsigned long long)i->real_servers,
	       (unsigned long long)i->checkers);
}

int status_main(const struct lbha_options *o, const char *const *roles, size_t n_roles)
{
	const char *dir = o->runtime_dir;
	struct child_report *c = xcalloc(n_roles, sizeof(*c));
	pid_t pid = 0;

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
			if (c[i].have && c[i].alive)
				pid = (pid_t)c[i].info.parent_pid;
	}

	if (o->json) {
		print_json(running, pid, dir, c, n_roles);
	} else if (!running) {
		printf("lbha is not running (no lbha holds the runtime directory %s)\n", dir);
	} else {
		if (pid > 0)
			printf("lbha is running: pid %d, runtime directory %s\n", (int)pid, dir);
		else
			printf("lbha is running, runtime directory %s\n", dir);
		for (size_t i = 0; i < n_roles; i++)
			print_human(&c[i]);
	}

	for (size_t i = 0; i < n_roles; i++)
		free(c[i].text);
	free(c);
	return running ? LBHA_EXIT_OK : LBHA_EXIT_NOT_RUNNING;
}
