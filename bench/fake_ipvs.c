/* fake_ipvs.so: LD_PRELOAD shim that lets keepalived's checker run on a
 * kernel without IPVS, for bench/checker.sh only.
 *
 * keepalived's checker exits at start when the kernel has no IPVS.  When
 * its generic netlink family is missing, keepalived's libipvs falls back to
 * the old setsockopt/getsockopt interface on a raw socket; this shim
 * answers that interface: "IPVS 1.2.1, no services" to every query,
 * success to every change.  The probes keepalived then runs are real
 * (sockets, connects, HTTP), only the table updates go nowhere, which is
 * also what lbha's checker does on such a kernel (it logs that IPVS is
 * missing and keeps probing).  Nothing else is touched. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* linux/ip_vs.h, the sockopt interface */
#define IP_VS_BASE_CTL (64 + 1024 + 64)
#define IP_VS_SO_SET_MAX (IP_VS_BASE_CTL + 15)
#define IP_VS_SO_GET_VERSION IP_VS_BASE_CTL
#define IP_VS_SO_GET_INFO (IP_VS_BASE_CTL + 1)
#define IP_VS_SO_GET_MAX (IP_VS_BASE_CTL + 7)
#define IP_VS_SO_GET_SERVICE (IP_VS_BASE_CTL + 3)

int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);

static int is_ipvs(int level, int name, int max)
{
	return level == IPPROTO_IP && name >= IP_VS_BASE_CTL && name <= max;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	static int (*real)(int, int, int, const void *, socklen_t);

	if (is_ipvs(level, name, IP_VS_SO_SET_MAX))
		return 0;
	if (!real)
		real = (int (*)(int, int, int, const void *, socklen_t))dlsym(RTLD_NEXT, "setsockopt");
	return real(fd, level, name, val, len);
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	static int (*real)(int, int, int, void *, socklen_t *);

	if (is_ipvs(level, name, IP_VS_SO_GET_MAX)) {
		if (name == IP_VS_SO_GET_SERVICE) {
			errno = ESRCH; /* no such service */
			return -1;
		}
		memset(val, 0, *len);
		if (name == IP_VS_SO_GET_VERSION)
			snprintf(val, *len, "IP Virtual Server version 1.2.1 (size=4096)");
		else if (name == IP_VS_SO_GET_INFO && *len >= 8)
			((unsigned *)val)[0] = 0x010201, ((unsigned *)val)[1] = 4096;
		return 0;
	}
	if (!real)
		real = (int (*)(int, int, int, void *, socklen_t *))dlsym(RTLD_NEXT, "getsockopt");
	return real(fd, level, name, val, len);
}
