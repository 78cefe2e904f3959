#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon/options.h"
#include "xalloc.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif

/* Long-only options get values above any character. */
enum {
	OPT_DUMP_CONFIG = 256,
	OPT_STRICT,
	OPT_RUNTIME_DIR,
	OPT_JSON,
	OPT_CHILD,
	OPT_IPC_FD,
	OPT_SSL,
	OPT_SNI,
	OPT_VIRTUALHOST,
	OPT_BIND,
	OPT_VIP,
	OPT_MODE,
	OPT_DRY_RUN,
	OPT_UNDO,
};

/* keepalived's long names (--use-file, --vrrp, --check) are accepted too. */
static const struct option run_options[] = {
	{ "use-file", required_argument, NULL, 'f' },
	{ "config-test", no_argument, NULL, 't' },
	{ "dump-config", no_argument, NULL, OPT_DUMP_CONFIG },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "dont-fork", no_argument, NULL, 'n' },
	{ "log-console", no_argument, NULL, 'l' },
	{ "log-detail", no_argument, NULL, 'D' },
	{ "pid", required_argument, NULL, 'p' },
	{ "config-id", required_argument, NULL, 'i' },
	{ "vrrp-only", no_argument, NULL, 'P' },
	{ "vrrp", no_argument, NULL, 'P' },
	{ "checker-only", no_argument, NULL, 'C' },
	{ "check", no_argument, NULL, 'C' },
	{ "dont-release-ipvs", no_argument, NULL, 'I' },
	{ "runtime-dir", required_argument, NULL, OPT_RUNTIME_DIR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "child", required_argument, NULL, OPT_CHILD },
	{ "ipc-fd", required_argument, NULL, OPT_IPC_FD },
	{ 0 },
};
static const char run_shortopts[] = ":f:tnlDp:i:PCIhv";

static const struct option status_options[] = {
	{ "runtime-dir", required_argument, NULL, OPT_RUNTIME_DIR },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};
static const char status_shortopts[] = ":h";

static const struct option digest_options[] = {
	{ "ssl", no_argument, NULL, OPT_SSL },
	{ "sni", no_argument, NULL, OPT_SNI },
	{ "virtualhost", required_argument, NULL, OPT_VIRTUALHOST },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static const struct option realserver_options[] = {
	{ "vip", required_argument, NULL, OPT_VIP },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "undo", no_argument, NULL, OPT_UNDO },
	{ "runtime-dir", required_argument, NULL, OPT_RUNTIME_DIR },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int fail(char *errbuf, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void set_str(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* getopt's '?' and ':' leave the offending word in argv[optind - 1]. */
static int getopt_error(int c, char **argv, char *errbuf, size_t errlen)
{
	const char *word = argv[optind - 1];

	if (c == ':')
		return fail(errbuf, errlen, "option '%s' needs an argument", word);
	if (optopt && strncmp(word, "--", 2) != 0)
		return fail(errbuf, errlen, "unknown option '-%c'", optopt);
	return fail(errbuf, errlen, "unknown option '%s'", word);
}

static int parse_status_like(int argc, char **argv, struct lbha_options *o, char *errbuf,
			     size_t errlen, bool positional)
{
	int c;

	o->mode = OPTIONS_STATUS;
	while ((c = getopt_long(argc, argv, status_shortopts, status_options, NULL)) != -1) {
		switch (c) {
		case OPT_RUNTIME_DIR:
			set_str(&o->runtime_dir, optarg);
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'h':
			o->mode = OPTIONS_HELP;
			break;
		default:
			return getopt_error(c, argv, errbuf, errlen);
		}
	}
	if (optind < argc && !positional)
		return fail(errbuf, errlen, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int parse_status(int argc, char **argv, struct lbha_options *o, char *errbuf,
			size_t errlen)
{
	return parse_status_like(argc, argv, o, errbuf, errlen, false);
}

/* Operator commands the running daemon carries out (see lib/control.h). */
static const char *const control_verbs[] = { "handover", "restore" };

static bool is_control_verb(const char *word)
{
	for (size_t i = 0; i < sizeof(control_verbs) / sizeof(control_verbs[0]); i++)
		if (strcmp(word, control_verbs[i]) == 0)
			return true;
	return false;
}

/* `lbha handover|restore [--runtime-dir DIR] INSTANCE` */
static int parse_control(int argc, char **argv, struct lbha_options *o, char *errbuf,
			 size_t errlen)
{
	int r = parse_status_like(argc, argv, o, errbuf, errlen, true);

	if (r < 0 || o->mode == OPTIONS_HELP)
		return r;
	o->mode = OPTIONS_CONTROL;
	set_str(&o->control_verb, argv[0]);
	if (optind != argc - 1)
		return fail(errbuf, errlen, "%s needs exactly one vrrp_instance name", argv[0]);
	set_str(&o->control_arg, argv[optind]);
	return 0;
}

/* `lbha digest [--ssl] [--sni] [--virtualhost NAME] [--bind ADDR] URL` */
static int parse_digest(int argc, char **argv, struct lbha_options *o, char *errbuf,
			size_t errlen)
{
	int c;

	o->mode = OPTIONS_DIGEST;
	while ((c = getopt_long(argc, argv, ":h", digest_options, NULL)) != -1) {
		switch (c) {
		case OPT_SSL: o->digest_ssl = true; break;
		case OPT_SNI: o->digest_sni = true; break;
		case OPT_VIRTUALHOST: set_str(&o->digest_vhost, optarg); break;
		case OPT_BIND: set_str(&o->digest_bind, optarg); break;
		case 'h': o->mode = OPTIONS_HELP; return 0;
		default: return getopt_error(c, argv, errbuf, errlen);
		}
	}
	if (optind != argc - 1)
		return fail(errbuf, errlen, "digest needs exactly one URL");
	set_str(&o->digest_url, argv[optind]);
	return 0;
}

/* `lbha realserver --vip ADDR [--vip ADDR]... --mode dr|tun [--dry-run] [--undo]
 * [--runtime-dir DIR]`; addresses are checked by daemon/realserver.c. */
static int parse_realserver(int argc, char **argv, struct lbha_options *o, char *errbuf,
			    size_t errlen)
{
	int c;

	o->mode = OPTIONS_REALSERVER;
	while ((c = getopt_long(argc, argv, ":h", realserver_options, NULL)) != -1) {
		switch (c) {
		case OPT_VIP:
			o->rs_vips = xreallocarray(o->rs_vips, o->rs_n_vips + 1, sizeof(char *));
			o->rs_vips[o->rs_n_vips++] = xstrdup(optarg);
			break;
		case OPT_MODE:
			if (strcasecmp(optarg, "dr") != 0 && strcasecmp(optarg, "tun") != 0)
				return fail(errbuf, errlen, "--mode must be dr or tun, not '%s'",
					    optarg);
			set_str(&o->rs_mode, optarg);
			break;
		case OPT_DRY_RUN: o->rs_dry_run = true; break;
		case OPT_UNDO: o->rs_undo = true; break;
		case OPT_RUNTIME_DIR: set_str(&o->runtime_dir, optarg); break;
		case 'h': o->mode = OPTIONS_HELP; return 0;
		default: return getopt_error(c, argv, errbuf, errlen);
		}
	}
	if (optind < argc)
		return fail(errbuf, errlen, "unexpected argument '%s'", argv[optind]);
	/* --undo restores what the state file says, whatever --vip and --mode are */
	if (!o->rs_undo && (!o->rs_mode || o->rs_n_vips == 0))
		return fail(errbuf, errlen, "realserver needs --vip ADDR and --mode dr|tun");
	return 0;
}

static int parse_fd(const char *s, int *ret)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

/* Set the mode once; -t and --dump-config exclude each other. */
static int set_mode(struct lbha_options *o, enum options_mode m, char *errbuf, size_t errlen)
{
	if (o->mode != OPTIONS_RUN && o->mode != m)
		return fail(errbuf, errlen, "-t, --dump-config and --child exclude each other");
	o->mode = m;
	return 0;
}

static int parse_run(int argc, char **argv, struct lbha_options *o, char *errbuf, size_t errlen)
{
	bool help = false, version = false;
	int c, r;

	while ((c = getopt_long(argc, argv, run_shortopts, run_options, NULL)) != -1) {
		r = 0;
		switch (c) {
		case 'f': set_str(&o->config_file, optarg); break;
		case 't': r = set_mode(o, OPTIONS_CONFIG_TEST, errbuf, errlen); break;
		case OPT_DUMP_CONFIG: r = set_mode(o, OPTIONS_DUMP_CONFIG, errbuf, errlen); break;
		case OPT_STRICT: o->strict = true; break;
		case 'n': o->dont_fork = true; break;
		case 'l': o->log_console = true; break;
		case 'D': o->log_detail = true; break;
		case 'p': set_str(&o->pid_file, optarg); break;
		case 'i': set_str(&o->config_id, optarg); break;
		case 'P': o->vrrp_only = true; break;
		case 'C': o->checker_only = true; break;
		case 'I': o->dont_release_ipvs = true; break;
		case OPT_RUNTIME_DIR: set_str(&o->runtime_dir, optarg); break;
		case 'h': help = true; break;
		case 'v': version = true; break;
		case OPT_CHILD:
			r = set_mode(o, OPTIONS_CHILD, errbuf, errlen);
			set_str(&o->child_role, optarg);
			break;
		case OPT_IPC_FD:
			if (parse_fd(optarg, &o->ipc_fd) < 0)
				return fail(errbuf, errlen, "bad --ipc-fd '%s'", optarg);
			break;
		default:
			return getopt_error(c, argv, errbuf, errlen);
		}
		if (r < 0)
			return r;
	}
	if (optind < argc)
		return fail(errbuf, errlen, "unexpected argument '%s'", argv[optind]);
	if (help) {
		o->mode = OPTIONS_HELP;
		return 0;
	}
	if (version) {
		o->mode = OPTIONS_VERSION;
		return 0;
	}
	if (o->vrrp_only && o->checker_only)
		return fail(errbuf, errlen, "--vrrp-only and --checker-only exclude each other");
	if (o->mode == OPTIONS_CHILD && o->ipc_fd < 0)
		return fail(errbuf, errlen, "--child needs --ipc-fd");
	if (o->mode == OPTIONS_CHILD && !o->runtime_dir)
		return fail(errbuf, errlen, "--child needs --runtime-dir");
	return 0;
}

int options_parse(int argc, char **argv, struct lbha_options *ret, char *errbuf, size_t errlen)
{
	struct lbha_options o = { .mode = OPTIONS_RUN, .ipc_fd = -1 };
	int r;

	/* Reset getopt (glibc: 0 re-initialises) and keep it quiet; the caller
	 * prints our message. */
	optind = 0;
	opterr = 0;
	if (argc > 1 && strcmp(argv[1], "status") == 0) {
		/* "status" stands in for argv[0], so getopt starts after it. */
		r = parse_status(argc - 1, argv + 1, &o, errbuf, errlen);
	} else if (argc > 1 && strcmp(argv[1], "digest") == 0) {
		r = parse_digest(argc - 1, argv + 1, &o, errbuf, errlen);
	} else if (argc > 1 && strcmp(argv[1], "realserver") == 0) {
		r = parse_realserver(argc - 1, argv + 1, &o, errbuf, errlen);
	} else if (argc > 1 && is_control_verb(argv[1])) {
		r = parse_control(argc - 1, argv + 1, &o, errbuf, errlen);
	} else {
		r = parse_run(argc, argv, &o, errbuf, errlen);
	}
	if (r < 0) {
		options_done(&o);
		return r;
	}
	if (!o.config_file)
		o.config_file = xstrdup(SYSCONFDIR "/lbha.conf");
	if (!o.runtime_dir)
		o.runtime_dir = xstrdup(RUNSTATEDIR "/lbha");
	*ret = o;
	return 0;
}

static void make_absolute(char **path, const char *cwd)
{
	if (!*path || (*path)[0] == '/')
		return;
	char *abs = xasprintf("%s/%s", cwd, *path);
	free(*path);
	*path = abs;
}

void options_make_absolute(struct lbha_options *o, const char *cwd)
{
	make_absolute(&o->config_file, cwd);
	make_absolute(&o->runtime_dir, cwd);
	make_absolute(&o->pid_file, cwd);
}

char *options_pid_file(const struct lbha_options *o)
{
	return o->pid_file ? xstrdup(o->pid_file) : xasprintf("%s/lbha.pid", o->runtime_dir);
}

void options_done(struct lbha_options *o)
{
	free(o->config_file);
	free(o->runtime_dir);
	free(o->pid_file);
	free(o->config_id);
	free(o->child_role);
	free(o->control_verb);
	free(o->control_arg);
	free(o->digest_url);
	free(o->digest_vhost);
	free(o->digest_bind);
	for (size_t i = 0; i < o->rs_n_vips; i++)
		free(o->rs_vips[i]);
	free(o->rs_vips);
	free(o->rs_mode);
	*o = (struct lbha_options){ .mode = OPTIONS_RUN, .ipc_fd = -1 };
}

void options_usage(FILE *out)
{
	fputs("Usage: lbha [OPTION]...\n"
	      "       lbha status [--runtime-dir DIR] [--json]\n"
	      "       lbha handover|restore [--runtime-dir DIR] INSTANCE\n"
	      "       lbha digest [--ssl] [--sni] [--virtualhost NAME] [--bind ADDR] URL\n"
	      "       lbha realserver --vip ADDR [--vip ADDR]... --mode dr|tun [--dry-run]\n"
	      "                       [--runtime-dir DIR]\n"
	      "       lbha realserver --undo [--dry-run] [--runtime-dir DIR]\n"
	      "High availability (VRRP) and health checking for Linux Virtual Server.\n"
	      "\n"
	      "  -f, --use-file FILE    config file (default " SYSCONFDIR "/lbha.conf)\n"
	      "  -t, --config-test      load and validate the config, print every problem\n"
	      "                         as file:line, then exit; also warns about what\n"
	      "                         this host lacks: interfaces that do not exist,\n"
	      "                         IPVS, ip_forward for NAT, send_redirects=0 for DR\n"
	      "      --dump-config      print the config in canonical form and exit\n"
	      "      --strict           with -t/--dump-config (and at start): warnings are errors\n"
	      "  -n, --dont-fork        stay in the foreground\n"
	      "  -l, --log-console      log to stderr instead of syslog (facility daemon)\n"
	      "  -D, --log-detail       log debug messages too\n"
	      "  -p, --pid FILE         pid file (default <runtime dir>/lbha.pid)\n"
	      "  -i, --config-id ID     config id for @ID lines (default: host name)\n"
	      "  -P, --vrrp-only        run only the VRRP child\n"
	      "  -C, --checker-only     run only the checker child\n"
	      "  -I, --dont-release-ipvs  leave lbha's IPVS services in the kernel at\n"
	      "                         stop (default: remove them, as keepalived does)\n"
	      "      --runtime-dir DIR  pid file, status files (default " RUNSTATEDIR "/lbha);\n"
	      "                         give each instance on a host its own\n"
	      "  -h, --help             show this help\n"
	      "  -v, --version          show the version\n"
	      "\n"
	      "lbha status prints what the running daemon publishes in its runtime dir\n"
	      "(--json: as one JSON object).\n"
	      "lbha handover INSTANCE makes a master step down at once (priority-0\n"
	      "advert) and keeps it a backup, advertising priority 1, until\n"
	      "lbha restore INSTANCE; for failover drills.\n"
	      "lbha digest URL fetches URL as an HTTP_GET (https or --ssl: SSL_GET)\n"
	      "checker would and prints the body's MD5 for a url block's digest\n"
	      "(keepalived's genhash), with the status code and the body size.\n"
	      "lbha realserver, run on a real server, sets it up for LVS-DR (--mode dr:\n"
	      "each VIP on lo as /32 or /128, arp_ignore=1, arp_announce=2) or LVS-TUN\n"
	      "(--mode tun: ipip/ip6_tunnel loaded, VIP on tunl0/ip6tnl0, rp_filter=0,\n"
	      "arp_ignore=1, arp_announce=2).  It prints one line per change, changes\n"
	      "nothing already in place, records what it found in <runtime dir>/\n"
	      "realserver.state; --undo puts that back, --dry-run only prints.\n"
	      "\n"
	      "Signals: SIGHUP reloads the config (an invalid one is logged and ignored),\n"
	      "SIGTERM and SIGINT stop.\n"
	      "\n"
	      "Exit status:\n"
	      "  0   success (-t: the config is valid; status: lbha is running)\n"
	      "  1   the config is invalid (-t --strict: or the host lacks what it\n"
	      "      needs), lbha could not start, or realserver could not make a change\n"
	      "  2   the config file cannot be read\n"
	      "  3   status: lbha is not running\n"
	      "  4   handover/restore: refused (e.g. no such instance)\n"
	      "  64  bad command line\n",
	      out);
}
