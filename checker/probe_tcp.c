#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"
#include "checker/probe_tcp.h"
#include "daemon/config_types.h"
#include "xalloc.h"

struct probe_tcp {
	int fd;
	sd_event_source *io, *timer, *defer;
	probe_tcp_done_fn cb;
	void *userdata;
	uint64_t start_usec;
	struct probe_result res;   /* set early when the socket could not be made */
};

struct probe_tcp *probe_tcp_cancel(struct probe_tcp *p)
{
	if (!p)
		return NULL;
	sd_event_source_disable_unref(p->io);
	sd_event_source_disable_unref(p->timer);
	sd_event_source_disable_unref(p->defer);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
	return NULL;
}

/* Hand the result over and free the probe; the callback may start others. */
static void finish(struct probe_tcp *p)
{
	struct probe_result res = p->res;
	probe_tcp_done_fn cb = p->cb;
	void *userdata = p->userdata;

	res.duration_usec = monotonic_usec() - p->start_usec;
	probe_tcp_cancel(p);
	cb(&res, userdata);
}

static void set_errno_result(struct probe_tcp *p, int err)
{
	enum probe_reason reason = probe_reason_from_errno(err);

	probe_result_set(&p->res, reason, 0, "%s", err ? strerror(err) : "");
	if (reason != PROBE_OK)
		p->res.err = err;
}

static int on_writable(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct probe_tcp *p = userdata;
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	set_errno_result(p, err);
	finish(p);
	return 0;
}

static int on_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct probe_tcp *p = userdata;

	probe_result_set(&p->res, PROBE_TIMEOUT, 0, "connect timed out");
	finish(p);
	return 0;
}

static int on_defer(sd_event_source *s, void *userdata)
{
	finish(userdata);
	return 0;
}

/* A socket ready to connect(), or -errno. */
static int make_socket(const struct config_checker *ck)
{
	int fd = socket(ck->connect_ip.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int err;

	if (fd < 0)
		return -errno;
	if (ck->fwmark &&
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &ck->fwmark, sizeof(ck->fwmark)) < 0)
		goto fail;
	if (ck->bind_if && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ck->bind_if,
				      (socklen_t)strlen(ck->bind_if) + 1) < 0)
		goto fail;
	if (config_addr_is_set(&ck->bindto) || ck->bind_port) {
		struct sockaddr_storage ss = { .ss_family = (sa_family_t)ck->connect_ip.family };
		socklen_t len;
		if (ck->connect_ip.family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
			if (config_addr_is_set(&ck->bindto))
				sin->sin_addr = ck->bindto.u.v4;
			sin->sin_port = htons(ck->bind_port);
			len = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
			if (config_addr_is_set(&ck->bindto))
				sin6->sin6_addr = ck->bindto.u.v6;
			sin6->sin6_port = htons(ck->bind_port);
			len = sizeof(*sin6);
		}
		if (bind(fd, (struct sockaddr *)&ss, len) < 0)
			goto fail;
	}
	return fd;
fail:
	err = errno;
	close(fd);
	return -err;
}

static int start_connect(struct probe_tcp *p, sd_event *e, const struct config_checker *ck)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)ck->connect_ip.family };
	socklen_t len;
	int fd = make_socket(ck), r;

	if (fd < 0) {
		probe_result_set(&p->res, PROBE_INTERNAL_ERROR, 0, "socket setup: %s",
				 strerror(-fd));
		p->res.err = -fd;
		return 1;
	}
	p->fd = fd;
	if (ck->connect_ip.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_addr = ck->connect_ip.u.v4;
		sin->sin_port = htons(ck->connect_port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_addr = ck->connect_ip.u.v6;
		sin6->sin6_port = htons(ck->connect_port);
		len = sizeof(*sin6);
	}
	if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
		set_errno_result(p, 0);  /* loopback may connect at once */
		return 1;
	}
	if (errno != EINPROGRESS) {
		set_errno_result(p, errno); /* no route: ENETUNREACH right away */
		return 1;
	}
	r = sd_event_add_io(e, &p->io, fd, EPOLLOUT, on_writable, p);
	if (r < 0)
		return r;
	r = sd_event_add_time_relative(e, &p->timer, CLOCK_MONOTONIC,
				       ck->connect_timeout_us ? ck->connect_timeout_us : 1, 0,
				       on_timeout, p);
	if (r < 0)
		return r;
	(void)sd_event_source_set_description(p->io, "probe-tcp-io");
	(void)sd_event_source_set_description(p->timer, "probe-tcp-timeout");
	return 0;
}

int probe_tcp_start(sd_event *e, const struct config_checker *ck, probe_tcp_done_fn cb,
		    void *userdata, struct probe_tcp **ret)
{
	struct probe_tcp *p;
	int r;

	if (!e || !ck || !cb || !config_addr_is_set(&ck->connect_ip) || !ck->connect_port)
		return -EINVAL;
	p = xnew(struct probe_tcp);
	p->fd = -1;
	p->cb = cb;
	p->userdata = userdata;
	p->start_usec = monotonic_usec();
	r = start_connect(p, e, ck);
	if (r > 0) {
		/* decided already: deliver from the loop like every other outcome */
		r = sd_event_add_defer(e, &p->defer, on_defer, p);
		if (r >= 0)
			r = sd_event_source_set_enabled(p->defer, SD_EVENT_ONESHOT);
	}
	if (r < 0) {
		probe_tcp_cancel(p);
		return r;
	}
	if (ret)
		*ret = p;
	return 0;
}
