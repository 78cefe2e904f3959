#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "atomic_file.h"
#include "checker/ipvs_owned.h"
#include "xalloc.h"

/* Protocol names in the file; lower case like /etc/protocols. */
static const struct {
	const char *name;
	uint16_t protocol;
} owned_protocols[] = {
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "sctp", IPPROTO_SCTP },
};

#define N_PROTOCOLS (sizeof(owned_protocols) / sizeof(owned_protocols[0]))

/* Index of the first key >= k (the insertion point). */
static size_t lower_bound(const struct ipvs_owned *o, const struct ipvs_service_key *k)
{
	size_t lo = 0, hi = o->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ipvs_service_key_cmp(&o->keys[mid], k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool ipvs_owned_contains(const struct ipvs_owned *o, const struct ipvs_service_key *k)
{
	size_t i = lower_bound(o, k);

	return i < o->n && ipvs_service_key_cmp(&o->keys[i], k) == 0;
}

bool ipvs_owned_add(struct ipvs_owned *o, const struct ipvs_service_key *k)
{
	size_t i = lower_bound(o, k);

	if (i < o->n && ipvs_service_key_cmp(&o->keys[i], k) == 0)
		return false;
	if (o->n == o->alloc) {
		o->alloc = o->alloc ? o->alloc * 2 : 16;
		o->keys = xreallocarray(o->keys, o->alloc, sizeof(*o->keys));
	}
	memmove(&o->keys[i + 1], &o->keys[i], (o->n - i) * sizeof(*o->keys));
	o->keys[i] = *k;
	o->n++;
	return true;
}

bool ipvs_owned_remove(struct ipvs_owned *o, const struct ipvs_service_key *k)
{
	size_t i = lower_bound(o, k);

	if (i >= o->n || ipvs_service_key_cmp(&o->keys[i], k) != 0)
		return false;
	memmove(&o->keys[i], &o->keys[i + 1], (o->n - i - 1) * sizeof(*o->keys));
	o->n--;
	return true;
}

bool ipvs_owned_equal(const struct ipvs_owned *a, const struct ipvs_owned *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (ipvs_service_key_cmp(&a->keys[i], &b->keys[i]) != 0)
			return false;
	return true;
}

void ipvs_owned_copy(struct ipvs_owned *dst, const struct ipvs_owned *src)
{
	if (dst == src)
		return;
	ipvs_owned_clear(dst);
	if (!src->n)
		return;
	dst->keys = xcalloc(src->n, sizeof(*dst->keys));
	memcpy(dst->keys, src->keys, src->n * sizeof(*dst->keys));
	dst->n = dst->alloc = src->n;
}

void ipvs_owned_clear(struct ipvs_owned *o)
{
	if (!o)
		return;
	free(o->keys);
	*o = (struct ipvs_owned){ 0 };
}

static const char *family_name(uint16_t af)
{
	return af == AF_INET6 ? "inet6" : "inet";
}

const char *ipvs_owned_key_format(const struct ipvs_service_key *k, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	const char *proto = NULL;

	if (k->fwmark) {
		snprintf(buf, size, "fwmark %u %s", (unsigned)k->fwmark, family_name(k->af));
		return buf;
	}
	for (size_t i = 0; i < N_PROTOCOLS; i++)
		if (owned_protocols[i].protocol == k->protocol)
			proto = owned_protocols[i].name;
	if (!inet_ntop(k->af, &k->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (proto)
		snprintf(buf, size, "%s %s %u", proto, a, (unsigned)k->port);
	else
		snprintf(buf, size, "proto%u %s %u", (unsigned)k->protocol, a, (unsigned)k->port);
	return buf;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

int ipvs_owned_key_parse(const char *line, struct ipvs_service_key *ret)
{
	char w[3][INET6_ADDRSTRLEN + 1], extra[2];
	struct ipvs_service_key k = { 0 };
	unsigned long v;

	/* the widths keep every word within its buffer */
	if (sscanf(line, "%46s %46s %46s %1s", w[0], w[1], w[2], extra) != 3)
		return -EINVAL;
	if (strcmp(w[0], "fwmark") == 0) {
		if (parse_uint(w[1], UINT32_MAX, &v) < 0 || v == 0)
			return -EINVAL;
		k.fwmark = (uint32_t)v;
		if (strcmp(w[2], "inet") == 0)
			k.af = AF_INET;
		else if (strcmp(w[2], "inet6") == 0)
			k.af = AF_INET6;
		else
			return -EINVAL;
		*ret = k;
		return 0;
	}
	for (size_t i = 0; i < N_PROTOCOLS; i++)
		if (strcmp(w[0], owned_protocols[i].name) == 0)
			k.protocol = owned_protocols[i].protocol;
	if (!k.protocol)
		return -EINVAL;
	if (inet_pton(AF_INET, w[1], &k.addr.in) == 1)
		k.af = AF_INET;
	else if (inet_pton(AF_INET6, w[1], &k.addr.in6) == 1)
		k.af = AF_INET6;
	else
		return -EINVAL;
	if (parse_uint(w[2], UINT16_MAX, &v) < 0)
		return -EINVAL;
	k.port = (uint16_t)v;
	*ret = k;
	return 0;
}

char *ipvs_owned_format(const struct ipvs_owned *o, size_t *ret_len)
{
	static const char header[] = "# lbha: IPVS services lbha owns (one a line; do not edit)\n";
	size_t size = sizeof(header) + o->n * (IPVS_OWNED_LINE_MAX + 1), len;
	char *text = xmalloc(size), line[IPVS_OWNED_LINE_MAX];

	memcpy(text, header, sizeof(header) - 1);
	len = sizeof(header) - 1;
	for (size_t i = 0; i < o->n; i++) {
		int n = snprintf(text + len, size - len, "%s\n",
				 ipvs_owned_key_format(&o->keys[i], line, sizeof(line)));
		len += (size_t)n;
	}
	text[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return text;
}

int ipvs_owned_parse(const char *text, struct ipvs_owned *ret, size_t *ret_bad)
{
	size_t bad = 0;

	ipvs_owned_clear(ret);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[IPVS_OWNED_LINE_MAX * 2];
		const char *p;
		struct ipvs_service_key k;

		if (len < sizeof(line)) {
			memcpy(line, text, len);
			line[len] = '\0';
			for (p = line; *p == ' ' || *p == '\t'; p++)
				;
			if (*p && *p != '#' && *p != '\r') {
				if (ipvs_owned_key_parse(p, &k) == 0)
					ipvs_owned_add(ret, &k);
				else
					bad++;
			}
		} else {
			bad++;
		}
		text += len + (nl ? 1 : 0);
	}
	if (ret_bad)
		*ret_bad = bad;
	return 0;
}

int ipvs_owned_load(const char *path, struct ipvs_owned *ret, size_t *ret_bad)
{
	char *text = NULL;
	size_t len;
	int r;

	ipvs_owned_clear(ret);
	if (ret_bad)
		*ret_bad = 0;
	r = atomic_file_read(path, IPVS_OWNED_MAX_BYTES, &text, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	r = ipvs_owned_parse(text, ret, ret_bad);
	free(text);
	return r;
}

int ipvs_owned_save(const char *path, const struct ipvs_owned *o)
{
	size_t len;
	char *text = ipvs_owned_format(o, &len);
	int r = atomic_file_write(path, text, len, 0644);

	free(text);
	return r;
}
