/* options: lbha's command line, parsed into a struct and nothing else.
 *
 * options_parse() neither prints nor exits, so tests can drive it: main()
 * prints the error or the help text and picks the exit code.  Option letters
 * follow keepalived's where keepalived has one (-f -n -l -D -p -i -t -P -C -v
 * -h).  Two internal options start a child: the parent runs
 * `/proc/self/exe --child=vrrp --ipc-fd=3 ...`. */
#ifndef LBHA_OPTIONS_H
#define LBHA_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of every mode; --help lists them. */
enum lbha_exit {
	LBHA_EXIT_OK = 0,
	LBHA_EXIT_FAILURE = 1,      /* invalid config, or could not start */
	LBHA_EXIT_UNREADABLE = 2,   /* config file cannot be read */
	LBHA_EXIT_NOT_RUNNING = 3,  /* `lbha status`: no lbha uses the runtime dir */
	LBHA_EXIT_REFUSED = 4,      /* `lbha handover`: the daemon said no */
	LBHA_EXIT_USAGE = 64,       /* bad command line (sysexits' EX_USAGE) */
};

enum options_mode {
	OPTIONS_RUN,          /* the daemon */
	OPTIONS_CONFIG_TEST,  /* -t */
	OPTIONS_DUMP_CONFIG,  /* --dump-config */
	OPTIONS_STATUS,       /* lbha status */
	OPTIONS_CONTROL,      /* lbha handover|restore INSTANCE */
	OPTIONS_DIGEST,       /* lbha digest [--ssl] [--sni] [--virtualhost NAME] [--bind ADDR] URL */
	OPTIONS_REALSERVER,   /* lbha realserver --vip ADDR... --mode dr|tun [--dry-run] [--undo] */
	OPTIONS_HELP,
	OPTIONS_VERSION,
	OPTIONS_CHILD,        /* internal: --child=ROLE */
	_OPTIONS_MODE_MAX,
};

struct lbha_options {
	enum options_mode mode;
	char *config_file;   /* -f; default SYSCONFDIR "/lbha.conf" */
	char *runtime_dir;   /* --runtime-dir; default RUNSTATEDIR "/lbha" */
	char *pid_file;      /* -p; default <runtime_dir>/lbha.pid */
	char *config_id;     /* -i; NULL: host name */
	bool dont_fork;      /* -n */
	bool log_console;    /* -l */
	bool log_detail;     /* -D */
	bool strict;         /* --strict */
	bool vrrp_only;      /* --vrrp-only, -P */
	bool checker_only;   /* --checker-only, -C */
	bool dont_release_ipvs; /* --dont-release-ipvs, -I: leave the IPVS table at stop */
	bool json;           /* status --json */
	char *control_verb;  /* "handover" or "restore" */
	char *control_arg;   /* its instance name */
	char *child_role;    /* --child=ROLE */
	char *digest_url;    /* digest: URL */
	char *digest_vhost;  /* digest --virtualhost */
	char *digest_bind;   /* digest --bind */
	bool digest_ssl;     /* digest --ssl */
	bool digest_sni;     /* digest --sni */
	int ipc_fd;          /* --ipc-fd=N; -1 when absent */
	char **rs_vips;      /* realserver --vip (repeatable), as written */
	size_t rs_n_vips;
	char *rs_mode;       /* realserver --mode: "dr" or "tun" (checked), NULL with --undo */
	bool rs_dry_run;     /* realserver --dry-run */
	bool rs_undo;        /* realserver --undo */
};

/* Parse argv (argv[0] is the program).  Strings in *ret are copies, so argv
 * may be overwritten afterwards (process titles).  Paths stay as given; see
 * options_make_absolute().  Returns 0, or -EINVAL with a one-line reason in
 * errbuf.  Uses getopt_long(), so not reentrant with another getopt user. */
int options_parse(int argc, char **argv, struct lbha_options *ret, char *errbuf, size_t errlen);

/* Prefix relative paths (config, runtime dir, pid file) with `cwd`: the daemon
 * chdirs to / but re-reads the config on SIGHUP. */
void options_make_absolute(struct lbha_options *o, const char *cwd);

/* The pid file to use: -p, else <runtime_dir>/lbha.pid (caller frees). */
char *options_pid_file(const struct lbha_options *o);

/* Free the strings; the struct may be parsed into again. */
void options_done(struct lbha_options *o);

/* The --help text, exit codes included. */
void options_usage(FILE *out);

#endif
