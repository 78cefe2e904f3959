/* digest_cmd: `lbha digest [--ssl] [--sni] [--virtualhost NAME] [--bind ADDR] URL`.
 *
 * keepalived's genhash: fetch URL once, the way an HTTP_GET/SSL_GET checker
 * would (same request, same body limit, probe_http underneath), and print
 * the body's MD5 for the url block's `digest`, with the status code and the
 * body's size.  Unlike the checker it may block: the host may be a name,
 * resolved with getaddrinfo(); the name then becomes the virtualhost unless
 * --virtualhost says otherwise. */
#ifndef LBHA_DIGEST_CMD_H
#define LBHA_DIGEST_CMD_H

#include <stdbool.h>
#include <stdio.h>

struct digest_cmd_args {
	const char *url;          /* http://HOST[:PORT]/PATH or https://...; no scheme: http */
	const char *virtualhost;  /* NULL: the URL's host when it is a name */
	const char *bind;         /* source address, NULL: the kernel's choice */
	bool ssl;                 /* TLS even for http:// */
	bool sni;                 /* send the virtualhost as SNI */
};

/* Fetch and print to out ("digest HEX", "status N", "bytes N", one a line);
 * errors go to err as one "lbha: ..." line.  Returns the exit code: 0, 1 when
 * the fetch failed, 64 for a bad URL or address. */
int digest_cmd_main(const struct digest_cmd_args *a, FILE *out, FILE *err);

#endif
