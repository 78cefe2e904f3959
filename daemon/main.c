/* lbha: high availability (VRRP) and health checking for LVS directors.
 *
 * Map of the process skeleton:
 *   main.c        command line -> one of the modes below
 *   options.c     the command line parser
 *   parent.c      the daemon's main process: config, locks, signals, reload,
 *                 sd_notify
 *   supervisor.c  starts, watches, restarts and stops the children
 *   child.c       the frame of a child process; the roles are
 *                 vrrp/vrrp_child.c and checker/checker_child.c
 *   msg.h         what parent and children say over lib/ipc + lib/channel
 *   status.c      status files and `lbha status`
 *   realserver.c  `lbha realserver`: LVS-DR/TUN set-up of a real server
 *   preflight.c   `lbha -t`'s warnings about what the host lacks
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "checker/checker_child.h"
#include "checker/digest_cmd.h"
#include "daemon/child.h"
#include "daemon/lbha_config.h"
#include "daemon/options.h"
#include "daemon/parent.h"
#include "daemon/preflight.h"
#include "daemon/realserver.h"
#include "daemon/status.h"
#include "control.h"
#include "xalloc.h"
#include "diag.h"
#include "vrrp/vrrp_child.h"

static const struct child_role *const all_roles[] = {
	&vrrp_child_role,
	&checker_child_role,
};
#define N_ROLES (sizeof(all_roles) / sizeof(all_roles[0]))

/* -t and --dump-config: every diagnostic to stderr, exit 0/1/2. */
static int check_config(const struct lbha_options *o)
{
	/* -t also checks the config against this host (interfaces exist). */
	struct config_load_options opt = { .config_id = o->config_id, .strict = o->strict,
					   .preflight = o->mode == OPTIONS_CONFIG_TEST };
	struct lbha_config *cfg = NULL;
	struct diag d;
	int code;

	diag_init(&d);
	int r = config_load_file(o->config_file, &opt, &d, &cfg);
	/* -t: what this host lacks for the config (sysctls, IPVS); --strict
	 * makes those errors too */
	if (r == 0 && opt.preflight && preflight_check_host(cfg, &d) > 0 && o->strict)
		diag_promote_warnings(&d);
	diag_print(&d, stderr);

	if (r < 0 && r != -EINVAL) {
		if (d.n_entries == 0)
			fprintf(stderr, "lbha: cannot read %s: %s\n", o->config_file, strerror(-r));
		code = LBHA_EXIT_UNREADABLE;
	} else if (r < 0 || d.n_errors > 0) {
		fprintf(stderr, "lbha: %s is invalid: %zu error%s, %zu warning%s\n",
			o->config_file, d.n_errors, d.n_errors == 1 ? "" : "s", d.n_warnings,
			d.n_warnings == 1 ? "" : "s");
		code = LBHA_EXIT_FAILURE;
	} else {
		if (o->mode == OPTIONS_DUMP_CONFIG)
			config_dump(stdout, cfg);
		else
			fprintf(stderr, "lbha: %s is valid (%zu warning%s)\n", o->config_file,
				d.n_warnings, d.n_warnings == 1 ? "" : "s");
		code = fflush(stdout) == 0 ? LBHA_EXIT_OK : LBHA_EXIT_FAILURE;
	}
	config_free(cfg);
	diag_done(&d);
	return code;
}

static const struct child_role *find_role(const char *name)
{
	for (size_t i = 0; i < N_ROLES; i++)
		if (strcmp(all_roles[i]->name, name) == 0)
			return all_roles[i];
	return NULL;
}

static int run_status(const struct lbha_options *o)
{
	const char *names[N_ROLES];

	for (size_t i = 0; i < N_ROLES; i++)
		names[i] = all_roles[i]->name;
	return status_main(o, names, N_ROLES);
}

/* `lbha handover|restore INSTANCE`: ask the VRRP child. */
static int run_control(const struct lbha_options *o)
{
	char *path = xasprintf("%s/vrrp.sock", o->runtime_dir);
	char *request = xasprintf("%s %s", o->control_verb, o->control_arg);
	char reply[CONTROL_MSG_MAX];
	int r = control_request(path, request, 5000, reply, sizeof(reply));

	free(request);
	if (r < 0) {
		fprintf(stderr, "lbha: cannot reach the VRRP process at %s: %s\n", path,
			strerror(-r));
		free(path);
		return LBHA_EXIT_NOT_RUNNING;
	}
	free(path);
	bool ok = strncmp(reply, "ok ", 3) == 0;
	fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "lbha: ", reply + (ok ? 3 : 6));
	return ok ? LBHA_EXIT_OK : LBHA_EXIT_REFUSED;
}

static int run_daemon(const struct lbha_options *o)
{
	const struct child_role *roles[N_ROLES];
	size_t n = 0;

	for (size_t i = 0; i < N_ROLES; i++) {
		if (o->vrrp_only && all_roles[i] != &vrrp_child_role)
			continue;
		if (o->checker_only && all_roles[i] != &checker_child_role)
			continue;
		roles[n++] = all_roles[i];
	}
	return parent_main(o, roles, n);
}

/* The checker holds a socket per real server with keepalive_time (10,000
 * and more) and probes thousands at once, while systemd's default soft
 * limit is 1024 (its hard one 524288): take the hard limit, as systemd
 * asks of services that need many descriptors.  Children inherit it; the
 * scripts they run get 1024 back (lib/spawn.c). */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int run(struct lbha_options *o)
{
	const struct child_role *role;

	switch (o->mode) {
	case OPTIONS_HELP:
		options_usage(stdout);
		return LBHA_EXIT_OK;
	case OPTIONS_VERSION:
		printf("lbha %s\n", PACKAGE_VERSION);
		return LBHA_EXIT_OK;
	case OPTIONS_CONFIG_TEST:
	case OPTIONS_DUMP_CONFIG:
		return check_config(o);
	case OPTIONS_STATUS:
		return run_status(o);
	case OPTIONS_CONTROL:
		return run_control(o);
	case OPTIONS_DIGEST:
		return digest_cmd_main(&(struct digest_cmd_args){
			.url = o->digest_url, .virtualhost = o->digest_vhost,
			.bind = o->digest_bind, .ssl = o->digest_ssl, .sni = o->digest_sni,
		}, stdout, stderr);
	case OPTIONS_REALSERVER:
		return realserver_main(&(struct realserver_args){
			.mode = o->rs_mode, .vips = o->rs_vips, .n_vips = o->rs_n_vips,
			.dry_run = o->rs_dry_run, .undo = o->rs_undo,
			.runtime_dir = o->runtime_dir,
		});
	case OPTIONS_CHILD:
		role = find_role(o->child_role);
		if (!role) {
			fprintf(stderr, "lbha: unknown child role '%s'\n", o->child_role);
			return LBHA_EXIT_USAGE;
		}
		return child_main(role, o);
	case OPTIONS_RUN:
	default:
		break;
	}

	/* The daemon chdirs to / and re-reads the config on SIGHUP. */
	char *cwd = getcwd(NULL, 0);
	if (!cwd) {
		fprintf(stderr, "lbha: cannot get the current directory: %s\n", strerror(errno));
		return LBHA_EXIT_FAILURE;
	}
	options_make_absolute(o, cwd);
	free(cwd);
	raise_fd_limit();
	return run_daemon(o);
}

int main(int argc, char **argv)
{
	struct lbha_options o;
	char err[256];

	if (options_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "lbha: %s\nTry 'lbha --help' for more information.\n", err);
		return LBHA_EXIT_USAGE;
	}
	int code = run(&o);
	options_done(&o);
	return code;
}
