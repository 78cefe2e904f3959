#include <config.h>

#include <curl/curl.h>
#include <errno.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "checker/digest_cmd.h"
#include "checker/http_verdict.h"
#include "checker/probe_http.h"
#include "daemon/config_types.h"
#include "xalloc.h"

struct digest_run {
	struct probe_result res;
	bool done;
	sd_event *event;
};

static void on_done(const struct probe_result *res, void *userdata)
{
	struct digest_run *d = userdata;

	d->res = *res;
	d->done = true;
	sd_event_exit(d->event, 0);
}

/* A numeric address as is, else the first address the name resolves to. */
static int host_to_addr(const char *host, struct config_addr *ret, bool *ret_is_name)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	char buf[CONFIG_ADDR_STRLEN];
	int r;

	*ret_is_name = false;
	if (config_addr_parse(host, ret) == 0)
		return 0;
	*ret_is_name = true;
	r = getaddrinfo(host, NULL, &hints, &ai);
	if (r != 0)
		return -ENOENT;
	r = -ENOENT;
	for (struct addrinfo *p = ai; p && r < 0; p = p->ai_next) {
		if (p->ai_family == AF_INET || p->ai_family == AF_INET6) {
			const void *a = p->ai_family == AF_INET
				? (const void *)&((struct sockaddr_in *)p->ai_addr)->sin_addr
				: (const void *)&((struct sockaddr_in6 *)p->ai_addr)->sin6_addr;
			if (inet_ntop(p->ai_family, a, buf, sizeof(buf)) &&
			    config_addr_parse(buf, ret) == 0)
				r = 0;
		}
	}
	freeaddrinfo(ai);
	return r;
}

struct parsed_url {
	char *scheme, *host, *port, *path, *query;
};

static void parsed_url_done(struct parsed_url *p)
{
	curl_free(p->scheme);
	curl_free(p->host);
	curl_free(p->port);
	curl_free(p->path);
	curl_free(p->query);
}

static int parse_url(const char *url, struct parsed_url *p)
{
	CURLU *u = curl_url();
	int r = -EINVAL;

	if (!u)
		return -ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_DEFAULT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &p->scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &p->host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &p->port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &p->path, 0) == CURLUE_OK) {
		(void)curl_url_get(u, CURLUPART_QUERY, &p->query, 0);
		r = 0;
	}
	curl_url_cleanup(u);
	return r;
}

/* Set up the checker and url the way the config would, then fetch. */
static int fetch(const struct digest_cmd_args *a, const struct parsed_url *pu, FILE *out,
		 FILE *err)
{
	struct config_status_range any = { 100, 599 };
	struct config_url url = { .status = &any, .n_status = 1 };
	struct config_checker ck = {
		.type = a->ssl || strcmp(pu->scheme, "https") == 0 ? CONFIG_CHECK_SSL_GET
								   : CONFIG_CHECK_HTTP_GET,
		.connect_timeout_us = 5000000,
		.http_protocol = CONFIG_HTTP_1_0,
		.enable_sni = a->sni,
	};
	struct http_verdict_limits lim = { .always_digest = true };
	struct http_url_check *uc = NULL;
	struct probe_http *h = NULL;
	struct digest_run d = { 0 };
	bool is_name;
	char msg[256];
	long port = strtol(pu->port, NULL, 10);
	int r, code = 1;

	if (port < 1 || port > 65535 || host_to_addr(pu->host, &ck.connect_ip, &is_name) < 0) {
		fprintf(err, "lbha: cannot resolve '%s'\n", pu->host);
		return 64;
	}
	if (a->bind && config_addr_parse(a->bind, &ck.bindto) < 0) {
		fprintf(err, "lbha: bad --bind address '%s'\n", a->bind);
		return 64;
	}
	ck.connect_port = (uint16_t)port;
	ck.virtualhost = (char *)(a->virtualhost ? a->virtualhost : is_name ? pu->host : NULL);
	url.path = pu->query ? xasprintf("%s?%s", pu->path, pu->query) : xstrdup(pu->path);
	if (http_url_check_new(&url, &lim, &uc, msg, sizeof(msg)) < 0 ||
	    sd_event_new(&d.event) < 0 || probe_http_new(d.event, NULL, &h) < 0) {
		fprintf(err, "lbha: cannot set up the request\n");
		goto out;
	}
	r = probe_http_start(h, &ck, uc, on_done, &d, NULL);
	if (r >= 0)
		r = sd_event_loop(d.event);
	if (r < 0 || !d.done) {
		fprintf(err, "lbha: event loop failed: %s\n", strerror(r < 0 ? -r : EIO));
	} else if (d.res.reason != PROBE_OK) {
		fprintf(err, "lbha: %s: %s\n", a->url, probe_result_format(&d.res, msg, sizeof(msg)));
	} else {
		fprintf(out, "digest %s\nstatus %d\nbytes %llu\n", d.res.digest, d.res.code,
			(unsigned long long)d.res.body_bytes);
		code = fflush(out) == 0 ? 0 : 1;
	}
out:
	probe_http_free(h);
	sd_event_unref(d.event);
	http_url_check_free(uc);
	free(url.path);
	return code;
}

int digest_cmd_main(const struct digest_cmd_args *a, FILE *out, FILE *err)
{
	struct parsed_url pu = { 0 };
	int code;

	if (!a->url || parse_url(a->url, &pu) < 0 ||
	    (strcmp(pu.scheme, "http") != 0 && strcmp(pu.scheme, "https") != 0)) {
		fprintf(err, "lbha: bad URL '%s' (http://HOST[:PORT]/PATH or https://...)\n",
			a->url ? a->url : "");
		parsed_url_done(&pu);
		return 64;
	}
	code = fetch(a, &pu, out, err);
	parsed_url_done(&pu);
	return code;
}
