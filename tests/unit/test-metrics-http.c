/* daemon/metrics_http.c: the request judge and the response (pure), then
 * the server on a real sd-event loop over loopback: a whole exchange, a 404,
 * a slow client that does not hold up another, an oversized request, the
 * connection limit. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/config_addr.h"
#include "daemon/metrics_http.h"

#define P(s) metrics_http_parse(s, strlen(s), &head)

static void test_parse(void **state)
{
	bool head = true;

	assert_int_equal(P("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"), METRICS_HTTP_METRICS);
	assert_false(head);
	assert_int_equal(P("HEAD /metrics HTTP/1.0\r\n\r\n"), METRICS_HTTP_METRICS);
	assert_true(head);
	assert_int_equal(P("GET /metrics?x=1 HTTP/1.1\n\n"), METRICS_HTTP_METRICS);
	assert_int_equal(P("GET / HTTP/1.1\r\n\r\n"), METRICS_HTTP_NOT_FOUND);
	assert_int_equal(P("GET /metricsx HTTP/1.1\r\n\r\n"), METRICS_HTTP_NOT_FOUND);
	assert_int_equal(P("POST /metrics HTTP/1.1\r\n\r\n"), METRICS_HTTP_BAD_METHOD);
	assert_int_equal(P("GET /metrics HTTP/2\r\n\r\n"), METRICS_HTTP_BAD_REQUEST);
	assert_int_equal(P("GET  /metrics HTTP/1.1\r\n\r\n"), METRICS_HTTP_BAD_REQUEST);
	assert_int_equal(P("GET\r\n\r\n"), METRICS_HTTP_BAD_REQUEST);
	assert_int_equal(P("GET /met\x01rics HTTP/1.1\r\n\r\n"), METRICS_HTTP_BAD_REQUEST);
	assert_int_equal(P("\r\n\r\n"), METRICS_HTTP_BAD_REQUEST);
	/* not yet complete */
	assert_int_equal(P(""), METRICS_HTTP_INCOMPLETE);
	assert_int_equal(P("GET /metrics HTTP/1.1\r\n"), METRICS_HTTP_INCOMPLETE);
	assert_int_equal(P("GET /metrics HTTP/1.1\r\nHost: x\r\n\r"), METRICS_HTTP_INCOMPLETE);
	/* the limit: a full buffer without the end of headers */
	char big[METRICS_HTTP_MAX_REQUEST];
	memset(big, 'a', sizeof(big));
	assert_int_equal(metrics_http_parse(big, sizeof(big) - 1, NULL), METRICS_HTTP_INCOMPLETE);
	assert_int_equal(metrics_http_parse(big, sizeof(big), NULL), METRICS_HTTP_TOO_LARGE);
}

static void test_response(void **state)
{
	size_t len;
	char *r = metrics_http_response(METRICS_HTTP_METRICS, false, "a 1\n", 4, &len);

	assert_string_equal(r, "HTTP/1.1 200 OK\r\n"
			       "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
			       "Content-Length: 4\r\nConnection: close\r\n\r\na 1\n");
	assert_int_equal(len, strlen(r));
	free(r);
	r = metrics_http_response(METRICS_HTTP_METRICS, true, "a 1\n", 4, &len);
	assert_non_null(strstr(r, "Content-Length: 4\r\n"));
	assert_int_equal(strcmp(r + len - 4, "\r\n\r\n"), 0);  /* no body for HEAD */
	free(r);
	r = metrics_http_response(METRICS_HTTP_NOT_FOUND, false, NULL, 0, &len);
	assert_non_null(strstr(r, "HTTP/1.1 404 Not Found\r\n"));
	assert_non_null(strstr(r, "\r\n\r\nNot Found\n"));
	free(r);
	r = metrics_http_response(METRICS_HTTP_BAD_METHOD, false, NULL, 0, &len);
	assert_non_null(strstr(r, "405 Method Not Allowed\r\n"));
	assert_non_null(strstr(r, "Allow: GET, HEAD\r\n"));
	free(r);
	r = metrics_http_response(METRICS_HTTP_TOO_LARGE, false, NULL, 0, &len);
	assert_non_null(strstr(r, "HTTP/1.1 431 "));
	free(r);
}

/* ---- live ---- */

struct rig {
	sd_event *e;
	struct metrics_http *h;
	int port;
	unsigned bodies;
};

static char *body(void *userdata, size_t *ret_len)
{
	struct rig *g = userdata;

	g->bodies++;
	*ret_len = 9;
	return strdup("up 1\nx 2\n");
}

static int rig_setup(void **state)
{
	struct rig *g = calloc(1, sizeof(*g));
	struct config_addr a = { .family = AF_INET };

	inet_pton(AF_INET, "127.0.0.1", &a.u.v4);
	assert_int_equal(sd_event_new(&g->e), 0);
	assert_int_equal(metrics_http_new(g->e, &a, 0, body, g, &g->h), 0);
	g->port = metrics_http_port(g->h);
	assert_true(g->port > 0);
	*state = g;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *g = *state;

	assert_null(metrics_http_free(g->h));
	sd_event_unref(g->e);
	free(g);
	return 0;
}

static int client(const struct rig *g)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)g->port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

static void spin(struct rig *g, int rounds)
{
	for (int i = 0; i < rounds; i++)
		sd_event_run(g->e, 10000);
}

/* Everything the server sent until it closed, running the loop meanwhile. */
static char *read_all(struct rig *g, int fd)
{
	static char buf[65536];
	size_t len = 0;

	for (int i = 0; i < 500 && len < sizeof(buf) - 1; i++) {
		sd_event_run(g->e, 10000);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 0) <= 0)
			continue;
		ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			break;
		if (n > 0)
			len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

static void test_exchange(void **state)
{
	struct rig *g = *state;
	int fd = client(g);
	const char req[] = "GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n";

	assert_int_equal(send(fd, req, sizeof(req) - 1, 0), sizeof(req) - 1);
	char *r = read_all(g, fd);
	assert_non_null(strstr(r, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(r, "Content-Length: 9\r\n"));
	assert_non_null(strstr(r, "\r\n\r\nup 1\nx 2\n"));
	assert_int_equal(g->bodies, 1);
	close(fd);

	fd = client(g);
	const char nf[] = "GET /other HTTP/1.0\r\n\r\n";
	assert_int_equal(send(fd, nf, sizeof(nf) - 1, 0), sizeof(nf) - 1);
	assert_non_null(strstr(read_all(g, fd), "HTTP/1.1 404 Not Found"));
	assert_int_equal(g->bodies, 1);
	close(fd);
}

static void test_slow_client_blocks_nobody(void **state)
{
	struct rig *g = *state;
	int slow = client(g);
	const char part[] = "GET /metr";
	const char req[] = "GET /metrics HTTP/1.1\r\n\r\n";

	assert_int_equal(send(slow, part, sizeof(part) - 1, 0), sizeof(part) - 1);
	spin(g, 5);
	int fast = client(g);
	assert_int_equal(send(fast, req, sizeof(req) - 1, 0), sizeof(req) - 1);
	assert_non_null(strstr(read_all(g, fast), "200 OK"));
	close(fast);
	/* the slow one finishes later and is served too */
	assert_int_equal(send(slow, "ics HTTP/1.1\r\n\r\n", 16, 0), 16);
	assert_non_null(strstr(read_all(g, slow), "200 OK"));
	close(slow);
}

static void test_oversized(void **state)
{
	struct rig *g = *state;
	int fd = client(g);
	char junk[1024];

	memset(junk, 'h', sizeof(junk));
	assert_int_equal(send(fd, "GET /metrics HTTP/1.1\r\n", 23, 0), 23);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(send(fd, junk, sizeof(junk), 0), sizeof(junk));
		spin(g, 2);
	}
	assert_non_null(strstr(read_all(g, fd), "HTTP/1.1 431 "));
	assert_int_equal(g->bodies, 0);
	close(fd);
}

static void test_connection_limit(void **state)
{
	struct rig *g = *state;
	int idle[METRICS_HTTP_MAX_CONNS];
	const char req[] = "GET /metrics HTTP/1.1\r\n\r\n";

	for (size_t i = 0; i < METRICS_HTTP_MAX_CONNS; i++) {
		idle[i] = client(g);
		spin(g, 1);
	}
	/* one too many: accepted and closed at once, no answer */
	int extra = client(g);
	send(extra, req, sizeof(req) - 1, MSG_NOSIGNAL);
	assert_null(strstr(read_all(g, extra), "HTTP/1.1"));
	close(extra);
	/* a slot frees up: served again */
	close(idle[0]);
	spin(g, 3);
	int fd = client(g);
	assert_int_equal(send(fd, req, sizeof(req) - 1, 0), sizeof(req) - 1);
	assert_non_null(strstr(read_all(g, fd), "200 OK"));
	close(fd);
	for (size_t i = 1; i < METRICS_HTTP_MAX_CONNS; i++)
		close(idle[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_response),
		cmocka_unit_test_setup_teardown(test_exchange, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(test_slow_client_blocks_nobody, rig_setup,
						rig_teardown),
		cmocka_unit_test_setup_teardown(test_oversized, rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(test_connection_limit, rig_setup, rig_teardown),
	};

	return cmocka_run_group_tests_name("metrics-http", tests, NULL, NULL);
}
