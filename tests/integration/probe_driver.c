/* probe_driver: run one probe (or --repeat N at once, or --sequence N one
 * after another) from the command line and print each result as one line:
 *     REASON code=N bytes=N digest=HEX detail=TEXT reused=0|1
 * A sequence shares one kept-connection slot (--keepalive-ms sets
 * keepalive_time), as one real server's checker does, so the suites can
 * watch connections being reused (checker-keepalive.sh).
 * For the namespace suites (checker-probes.sh, checker-keepalive.sh) and by hand:
 *     probe_driver [options] http|ssl|tcp ADDR PORT
 *     probe_driver [options] misc COMMAND...
 * Exit 0 when every run was ok, 1 otherwise, 64 for a bad command line. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checker/http_verdict.h"
#include "checker/probe_http.h"
#include "checker/probe_http1.h"
#include "checker/probe_misc.h"
#include "checker/probe_tcp.h"
#include "daemon/config_schema.h"
#include "daemon/config_types.h"
#include "xalloc.h"

struct driver {
	sd_event *event;
	unsigned pending, failed;
	bool sequence;                      /* one run after another (not --repeat) */
	uint64_t interval_usec;             /* sequence: from a result to the next start */
	sd_event_source *next;              /* sequence: the next start's timer */
	const struct config_checker *ck;
	struct http_url_check *uc;
	struct probe_http *h;
	struct probe_http1 *h1;
	struct probe_http1_conn *kept;      /* the sequence's (one real server's) slot */
};

static void on_done(const struct probe_result *res, void *userdata);

/* One run.  Parallel runs (--repeat) get no slot: they would fight over it. */
static int start_one(struct driver *d)
{
	if (d->h1)
		return probe_http1_start(d->h1, d->ck, d->uc, d->sequence ? &d->kept : NULL,
					 on_done, d, NULL);
	if (d->h)
		return probe_http_start(d->h, d->ck, d->uc, on_done, d, NULL);
	if (d->ck->type == CONFIG_CHECK_MISC)
		return probe_misc_start(d->event, d->ck, NULL, on_done, d, NULL);
	return probe_tcp_start(d->event, d->ck, on_done, d, NULL);
}

/* The next run of a sequence: from the loop, like the checker's schedule,
 * never from inside the previous run's callback. */
static int on_next(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct driver *d = userdata;
	int r;

	(void)s;
	(void)usec;
	r = start_one(d);
	if (r < 0) {
		fprintf(stderr, "probe_driver: cannot start: %s\n", strerror(-r));
		return sd_event_exit(d->event, r);
	}
	return 0;
}

static void on_done(const struct probe_result *res, void *userdata)
{
	struct driver *d = userdata;
	int r;

	printf("%s code=%d bytes=%llu digest=%s detail=%s reused=%d\n",
	       probe_reason_to_string(res->reason), res->code,
	       (unsigned long long)res->body_bytes, res->digest[0] ? res->digest : "-",
	       res->detail, res->reused ? 1 : 0);
	fflush(stdout);
	d->failed += res->reason != PROBE_OK;
	if (--d->pending == 0) {
		sd_event_exit(d->event, 0);
		return;
	}
	if (!d->sequence)
		return;
	r = sd_event_source_set_time_relative(d->next, d->interval_usec);
	if (r >= 0)
		r = sd_event_source_set_enabled(d->next, SD_EVENT_ONESHOT);
	if (r < 0) {
		fprintf(stderr, "probe_driver: cannot schedule: %s\n", strerror(-r));
		sd_event_exit(d->event, r);
	}
}

/* "200,301-302" */
static int parse_status(const char *s, struct config_url *u)
{
	char *copy = xstrdup(s), *save = NULL;

	u->n_status = 0;
	u->status = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		unsigned lo, hi;
		int n = sscanf(t, "%u-%u", &lo, &hi);
		if (n < 1) {
			free(copy);
			return -EINVAL;
		}
		u->status = xreallocarray(u->status, u->n_status + 1, sizeof(*u->status));
		u->status[u->n_status++] = (struct config_status_range){ (uint16_t)lo,
									  (uint16_t)(n == 2 ? hi : lo) };
	}
	free(copy);
	return 0;
}

static void usage(void)
{
	fputs("usage: probe_driver [--path P] [--status LIST] [--digest HEX] [--regex RE]\n"
	      "  [--regex-no-match] [--vhost NAME] [--sni] [--verify] [--ca F] [--cert F]\n"
	      "  [--key F] [--bind ADDR] [--bind-if IF] [--fwmark N] [--timeout-ms N]\n"
	      "  [--http 1.0|1.0C|1.1] [--max-body N] [--repeat N] [--user U]\n"
	      "  [--engine plain|curl]  (http: the checker's own client, or libcurl)\n"
	      "  [--keepalive-ms N]  (keepalive_time)\n"
	      "  [--sequence N [--interval-ms M]]  (N runs one after another, M ms apart)\n"
	      "  http|ssl|tcp ADDR PORT | misc COMMAND...\n", stderr);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "path", required_argument, NULL, 'p' }, { "status", required_argument, NULL, 's' },
		{ "digest", required_argument, NULL, 'd' }, { "regex", required_argument, NULL, 'r' },
		{ "regex-no-match", no_argument, NULL, 'R' }, { "vhost", required_argument, NULL, 'V' },
		{ "sni", no_argument, NULL, 'S' }, { "verify", no_argument, NULL, 'y' },
		{ "ca", required_argument, NULL, 'A' }, { "cert", required_argument, NULL, 'C' },
		{ "key", required_argument, NULL, 'K' }, { "bind", required_argument, NULL, 'b' },
		{ "bind-if", required_argument, NULL, 'I' }, { "fwmark", required_argument, NULL, 'm' },
		{ "timeout-ms", required_argument, NULL, 't' }, { "http", required_argument, NULL, 'H' },
		{ "max-body", required_argument, NULL, 'M' }, { "repeat", required_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' }, { "engine", required_argument, NULL, 'E' },
		{ "keepalive-ms", required_argument, NULL, 'k' },
		{ "sequence", required_argument, NULL, 'q' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ 0 },
	};
	struct config_checker ck = { .connect_timeout_us = 2000000, .misc_timeout_us = 2000000 };
	struct config_url url = { .path = (char *)"/" };
	struct config_status_range def = { 200, 299 };
	struct probe_http_options ho = { 0 };
	struct http_verdict_limits lim = { 0 };
	struct driver d = { 0 };
	struct http_url_check *uc = NULL;
	struct probe_http *h = NULL;
	struct probe_http1 *h1 = NULL;
	bool curl = false;
	const char *user = NULL;
	unsigned repeat = 1, sequence = 1;
	char err[256];
	int c, r;

	url.status = &def;
	url.n_status = 1;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'p': url.path = optarg; break;
		case 's':
			if (parse_status(optarg, &url) < 0)
				return 64;
			break;
		case 'd': url.digest = optarg; break;
		case 'r': url.regex = optarg; break;
		case 'R': url.regex_no_match = true; break;
		case 'V': ck.virtualhost = optarg; break;
		case 'S': ck.enable_sni = true; break;
		case 'y': ho.verify = true; break;
		case 'A': ho.ca_file = optarg; break;
		case 'C': ho.cert_file = optarg; break;
		case 'K': ho.key_file = optarg; break;
		case 'b':
			if (config_addr_parse(optarg, &ck.bindto) < 0)
				return 64;
			break;
		case 'I': ck.bind_if = optarg; break;
		case 'm': ck.fwmark = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 't':
			ck.connect_timeout_us = strtoull(optarg, NULL, 10) * 1000;
			ck.misc_timeout_us = ck.connect_timeout_us;
			break;
		case 'H':
			ck.http_protocol = strcmp(optarg, "1.1") == 0 ? CONFIG_HTTP_1_1
					 : strcmp(optarg, "1.0C") == 0 ? CONFIG_HTTP_1_0C
									: CONFIG_HTTP_1_0;
			break;
		case 'M': lim.max_body = strtoull(optarg, NULL, 10); break;
		case 'n': repeat = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'u': user = optarg; break;
		case 'E': curl = strcmp(optarg, "curl") == 0; break;
		case 'k': ck.keepalive_time_us = strtoull(optarg, NULL, 10) * 1000; break;
		case 'q': sequence = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'i': d.interval_usec = strtoull(optarg, NULL, 10) * 1000; break;
		default: usage(); return 64;
		}
	}
	if (optind >= argc || repeat == 0 || sequence == 0 || (repeat > 1 && sequence > 1)) {
		usage();
		return 64;
	}
	const char *kind = argv[optind++];
	bool misc = strcmp(kind, "misc") == 0;
	if (misc) {
		size_t len = 0;
		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		if (optind >= argc)
			return 64;
		char *cmd = xzalloc(len);
		for (int i = optind; i < argc; i++) {
			strcat(cmd, argv[i]);
			if (i + 1 < argc)
				strcat(cmd, " ");
		}
		ck.type = CONFIG_CHECK_MISC;
		ck.misc_path = config_script_new(cmd, user, NULL);
		free(cmd);
	} else {
		if (argc - optind != 2 || config_addr_parse(argv[optind], &ck.connect_ip) < 0) {
			usage();
			return 64;
		}
		ck.connect_port = (uint16_t)strtoul(argv[optind + 1], NULL, 10);
		ck.type = strcmp(kind, "ssl") == 0 ? CONFIG_CHECK_SSL_GET
			: strcmp(kind, "tcp") == 0 ? CONFIG_CHECK_TCP : CONFIG_CHECK_HTTP_GET;
	}

	/* sd-event child sources need SIGCHLD blocked (lib/spawn.h) */
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGCHLD);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	if (sd_event_new(&d.event) < 0)
		return 1;
	if (ck.type == CONFIG_CHECK_HTTP_GET || ck.type == CONFIG_CHECK_SSL_GET) {
		if (http_url_check_new(&url, &lim, &uc, err, sizeof(err)) < 0) {
			fprintf(stderr, "probe_driver: %s\n", err);
			return 64;
		}
		/* as in the checker: plain HTTP_GET on the own client */
		if (ck.type == CONFIG_CHECK_HTTP_GET && !curl) {
			if (probe_http1_new(d.event, NULL, &h1) < 0)
				return 1;
		} else if (probe_http_new(d.event, &ho, &h) < 0) {
			return 1;
		}
	}
	d.ck = &ck;
	d.uc = uc;
	d.h = h;
	d.h1 = h1;
	d.sequence = repeat == 1;
	/* accuracy 1 us: the default (250 ms) would blur --interval-ms */
	if (sd_event_add_time(d.event, &d.next, CLOCK_MONOTONIC, 0, 1, on_next, &d) < 0 ||
	    sd_event_source_set_enabled(d.next, SD_EVENT_OFF) < 0)
		return 1;
	d.pending = d.sequence ? sequence : repeat;
	for (unsigned i = 0; i < (d.sequence ? 1 : repeat); i++) {
		r = start_one(&d);
		if (r < 0) {
			fprintf(stderr, "probe_driver: cannot start: %s\n", strerror(-r));
			return 1;
		}
	}
	r = sd_event_loop(d.event);
	sd_event_source_disable_unref(d.next);
	probe_http_free(h);
	/* the slot's owner closes its connection while the engine exists */
	probe_http1_conn_close(&d.kept);
	probe_http1_free(h1);
	http_url_check_free(uc);
	sd_event_unref(d.event);
	config_script_free(ck.misc_path);
	if (url.status != &def)
		free(url.status);
	return r < 0 ? 1 : d.failed ? 1 : 0;
}
