#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checker/probe_socket.h"
#include "daemon/config_types.h"

static socklen_t fill_sockaddr(struct sockaddr_storage *ss, int family,
			       const struct config_addr *a, unsigned port)
{
	*ss = (struct sockaddr_storage){ .ss_family = (sa_family_t)family };
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		if (a && config_addr_is_set(a))
			sin->sin_addr = a->u.v4;
		sin->sin_port = htons((uint16_t)port);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	if (a && config_addr_is_set(a))
		sin6->sin6_addr = a->u.v6;
	sin6->sin6_port = htons((uint16_t)port);
	return sizeof(*sin6);
}

/* The checker's socket options and source address. */
static int setup(int fd, const struct config_checker *ck)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (ck->fwmark &&
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &ck->fwmark, sizeof(ck->fwmark)) < 0)
		return -errno;
	if (ck->bind_if && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ck->bind_if,
				      (socklen_t)strlen(ck->bind_if) + 1) < 0)
		return -errno;
	if (config_addr_is_set(&ck->bindto) || ck->bind_port) {
		len = fill_sockaddr(&ss, ck->connect_ip.family, &ck->bindto, ck->bind_port);
		if (bind(fd, (struct sockaddr *)&ss, len) < 0)
			return -errno;
	}
	return 0;
}

int probe_socket_connect(const struct config_checker *ck, int *connect_err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, r;

	fd = socket(ck->connect_ip.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = setup(fd, ck);
	if (r < 0) {
		close(fd);
		return r;
	}
	len = fill_sockaddr(&ss, ck->connect_ip.family, &ck->connect_ip, ck->connect_port);
	*connect_err = connect(fd, (struct sockaddr *)&ss, len) == 0 ? 0 : errno;
	return fd;
}
