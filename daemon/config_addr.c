#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/config_addr.h"

int config_addr_parse(const char *s, struct config_addr *ret)
{
	struct config_addr a = { 0 };
	char buf[INET6_ADDRSTRLEN + 2];
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		/* [v6] as in URLs; keepalived accepts it for IPv6 only */
		if (len - 2 >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &a.u.v6) != 1)
			return -EINVAL;
		a.family = AF_INET6;
	} else if (inet_pton(AF_INET, s, &a.u.v4) == 1) {
		a.family = AF_INET;
	} else if (inet_pton(AF_INET6, s, &a.u.v6) == 1) {
		a.family = AF_INET6;
	} else {
		return -EINVAL;
	}
	*ret = a;
	return 0;
}

int config_prefix_parse(const char *s, struct config_prefix *ret, bool *ret_had_len)
{
	const char *slash = strchr(s, '/');
	struct config_prefix p = { 0 };
	char buf[INET6_ADDRSTRLEN + 2];

	if (!slash) {
		if (config_addr_parse(s, &p.addr) < 0)
			return -EINVAL;
		p.len = config_addr_max_prefix(p.addr.family);
	} else {
		size_t n = (size_t)(slash - s);
		if (n >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (config_addr_parse(buf, &p.addr) < 0)
			return -EINVAL;
		const char *l = slash + 1;
		char *end;
		if (*l < '0' || *l > '9')
			return -ERANGE;
		unsigned long v = strtoul(l, &end, 10);
		if (*end || v > config_addr_max_prefix(p.addr.family))
			return -ERANGE;
		p.len = (unsigned)v;
	}
	if (ret_had_len)
		*ret_had_len = slash != NULL;
	*ret = p;
	return 0;
}

const char *config_addr_to_string(const struct config_addr *a, char *buf, size_t size)
{
	if (!config_addr_is_set(a) ||
	    !inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->u.v4 : (const void *)&a->u.v6,
		       buf, (socklen_t)size))
		snprintf(buf, size, "(none)");
	return buf;
}

const char *config_prefix_to_string(const struct config_prefix *p, char *buf, size_t size)
{
	char a[CONFIG_ADDR_STRLEN];

	snprintf(buf, size, "%s/%u", config_addr_to_string(&p->addr, a, sizeof(a)), p->len);
	return buf;
}

static const unsigned char *addr_bytes(const struct config_addr *a, size_t *ret_len)
{
	if (a->family == AF_INET) {
		*ret_len = 4;
		return (const unsigned char *)&a->u.v4;
	}
	if (a->family == AF_INET6) {
		*ret_len = 16;
		return (const unsigned char *)&a->u.v6;
	}
	*ret_len = 0;
	return NULL;
}

bool config_addr_equal(const struct config_addr *a, const struct config_addr *b)
{
	return config_addr_cmp(a, b) == 0;
}

int config_addr_cmp(const struct config_addr *a, const struct config_addr *b)
{
	size_t la, lb;
	const unsigned char *pa = addr_bytes(a, &la), *pb = addr_bytes(b, &lb);

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return la ? memcmp(pa, pb, la) : 0;
}

unsigned config_addr_max_prefix(int family)
{
	return family == AF_INET ? 32 : family == AF_INET6 ? 128 : 0;
}

struct config_addr config_addr_mask(const struct config_addr *a, unsigned len, bool set_host_bits)
{
	struct config_addr r = *a;
	size_t n;
	unsigned char *p = (unsigned char *)addr_bytes(&r, &n);

	for (size_t i = 0; i < n; i++) {
		unsigned bit0 = (unsigned)i * 8;
		unsigned char mask;
		if (len >= bit0 + 8)
			mask = 0xff;
		else if (len <= bit0)
			mask = 0;
		else
			mask = (unsigned char)(0xff << (8 - (len - bit0)));
		p[i] = set_host_bits ? (unsigned char)(p[i] | ~mask) : (unsigned char)(p[i] & mask);
	}
	return r;
}

bool config_addr_is_multicast(const struct config_addr *a)
{
	if (a->family == AF_INET)
		return (ntohl(a->u.v4.s_addr) & 0xf0000000u) == 0xe0000000u;
	if (a->family == AF_INET6)
		return a->u.v6.s6_addr[0] == 0xff;
	return false;
}

const char *config_family_to_string(int family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "unspec";
}
