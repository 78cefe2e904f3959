#include <config.h>

/* http_many: one small HTTP server answering every address of a benchmark's
 * namespace, for bench/checker.sh (thousands of "real servers" behind one
 * process, so the server is never the bottleneck of a checker benchmark).
 *
 * Usage: http_many PORT [BACKLOG]
 *   Listens on 0.0.0.0:PORT (with a `local` route for a whole prefix on lo,
 *   every address of it is this server).  Each connection: read the request
 *   up to the blank line, answer "200 OK" with a three-byte body, close --
 *   unless the request is HTTP/1.1 without "Connection: close" (keep-alive
 *   checks, lbha's keepalive_time): then the connection stays open for the
 *   next request, as any HTTP/1.1 server keeps it.  (The version is looked
 *   for in the read that ends the request, which holds all of a checker's
 *   small request.)
 *   SIGUSR1 prints "requests N connections N" on stdout; SIGTERM/SIGINT
 *   print it and exit 0.
 *
 * One thread, epoll, level-triggered; per-connection state is one byte
 * (how much of "\r\n\r\n" was seen), in an array indexed by fd. */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

static const char response[] = "HTTP/1.0 200 OK\r\n"
			       "Content-Type: text/plain\r\n"
			       "Content-Length: 3\r\n"
			       "Connection: close\r\n"
			       "\r\n"
			       "ok\n";

static const char response_keep[] = "HTTP/1.1 200 OK\r\n"
				    "Content-Type: text/plain\r\n"
				    "Content-Length: 3\r\n"
				    "\r\n"
				    "ok\n";

struct server {
	int ep, lfd, sfd;
	unsigned char *seen;    /* per fd: bytes of "\r\n\r\n" matched so far */
	size_t max_fd;
	uint64_t requests, connections;
};

static void report(const struct server *s)
{
	printf("requests %llu connections %llu\n", (unsigned long long)s->requests,
	       (unsigned long long)s->connections);
	fflush(stdout);
}

static void conn_close(struct server *s, int fd)
{
	s->seen[fd] = 0;
	close(fd); /* also leaves the epoll set */
}

/* Feed request bytes; true once the blank line ending the headers came. */
static bool feed(unsigned char *state, const char *buf, ssize_t n)
{
	static const char end[] = "\r\n\r\n";

	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == end[*state])
			(*state)++;
		else
			*state = buf[i] == '\r' ? 1 : 0;
		if (*state == 4)
			return true;
	}
	return false;
}

/* An HTTP/1.1 request that does not ask to close. */
static bool keeps(const char *buf, size_t n)
{
	static const char close_hdr[] = "connection: close";
	size_t len = sizeof(close_hdr) - 1;

	if (!memmem(buf, n, " HTTP/1.1\r\n", 11))
		return false;
	for (size_t i = 0; i + len <= n; i++)
		if (strncasecmp(buf + i, close_hdr, len) == 0)
			return false;
	return true;
}

static void on_conn(struct server *s, int fd)
{
	char buf[2048];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(s, fd);
		return;
	}
	if (!feed(&s->seen[fd], buf, n))
		return;
	s->requests++;
	/* fits in any socket buffer: one non-blocking send is the whole answer */
	if (keeps(buf, (size_t)n)) {
		(void)send(fd, response_keep, sizeof(response_keep) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		s->seen[fd] = 0;
		return;
	}
	(void)send(fd, response, sizeof(response) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	conn_close(s, fd);
}

static void on_accept(struct server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN };

		if (fd < 0)
			return; /* EAGAIN, or out of fds: the backlog waits */
		if ((size_t)fd >= s->max_fd) {
			close(fd);
			continue;
		}
		s->connections++;
		s->seen[fd] = 0;
		ev.data.fd = fd;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			close(fd);
	}
}

/* true: stop */
static bool on_signal(struct server *s)
{
	struct signalfd_siginfo si;

	while (read(s->sfd, &si, sizeof(si)) == sizeof(si)) {
		report(s);
		if (si.ssi_signo != SIGUSR1)
			return true;
	}
	return false;
}

static int setup(struct server *s, int port, int backlog)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct rlimit rl;
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;
	int one = 1;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	s->max_fd = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
			    ? (size_t)rl.rlim_cur : 65536;
	s->seen = calloc(s->max_fd, 1);
	if (!s->seen)
		return -ENOMEM;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	s->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	if (s->sfd < 0 || s->lfd < 0 || s->ep < 0)
		return -errno;
	(void)setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(s->lfd, backlog) < 0)
		return -errno;
	ev.data.fd = s->lfd;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, &ev) < 0)
		return -errno;
	ev.data.fd = s->sfd;
	if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->sfd, &ev) < 0)
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	struct server s = { .ep = -1, .lfd = -1, .sfd = -1 };
	struct epoll_event evs[256];
	int port, backlog, r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s PORT [BACKLOG]\n", argv[0]);
		return 2;
	}
	port = atoi(argv[1]);
	backlog = argc > 2 ? atoi(argv[2]) : 4096;
	if (port <= 0 || port > 65535 || backlog <= 0) {
		fprintf(stderr, "%s: bad port or backlog\n", argv[0]);
		return 2;
	}
	r = setup(&s, port, backlog);
	if (r < 0) {
		fprintf(stderr, "%s: cannot listen on port %d: %s\n", argv[0], port, strerror(-r));
		return 1;
	}
	for (;;) {
		int n = epoll_wait(s.ep, evs, (int)(sizeof(evs) / sizeof(evs[0])), -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == s.lfd)
				on_accept(&s);
			else if (fd == s.sfd) {
				if (on_signal(&s))
					return 0;
			} else
				on_conn(&s, fd);
		}
	}
}
