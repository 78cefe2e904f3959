#include "config.h"

/* ipvs-tool: drives lib/ipvs from a shell script, for the VM suite
 * (tests/vm/ipvs-client-guest.sh).
 *
 *   ipvs-tool apply FILE   one op per line, all sent as one ipvs_batch_send()
 *   ipvs-tool dump         the table, one line per service and dest
 *   ipvs-tool timeouts | daemons | info
 *
 * `dump` prints the same line format `apply` reads, so a file of service and
 * dest lines written in canonical form compares equal to the dump of what it
 * installed:
 *   service tcp 10.0.0.1:80 sched wlc flags persistent,ops timeout 300 netmask 255.255.255.0 pe sip
 *   dest tcp 10.0.0.1:80 10.0.0.2:80 fwd dr weight 1 uthr 0 lthr 0 [tun gue tunport 6080 tunflags csum]
 *   edit-service ... / edit-dest ... (as above), del-service SVC, del-dest SVC DEST
 *   flush | timeouts TCP TCPFIN UDP
 *   daemon-start master|backup IFNAME syncid N [maxlen N] [group ADDR] [port N] [ttl N]
 *   daemon-stop master|backup
 * SVC is "tcp|udp|sctp ADDR:PORT" or "fwm|fwm6 MARK"; IPv6 as [ADDR]:PORT;
 * netmask is dotted for IPv4, a prefix length for IPv6. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs.h"

#define MAX_TOKENS 32

static const char *const flag_names[] = { "persistent", "hashed", "ops", "sched1", "sched2", "sched3" };
static const char *const fwd_names[] = { "nat", "local", "tun", "dr", "bypass" };
static const char *const tun_names[] = { "ipip", "gue", "gre" };
static const char *const tunflag_names[] = { "nocsum", "csum", "remcsum", "csum,remcsum" };

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}
#define LOOKUP(names, s) lookup(names, sizeof(names) / sizeof(names[0]), s)

static int parse_u32(const char *s, uint32_t *ret)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end || v > UINT32_MAX)
		return -EINVAL;
	*ret = (uint32_t)v;
	return 0;
}

/* "10.0.0.1:80" or "[2001:db8::1]:80" */
static int parse_addr_port(const char *s, uint16_t *af, union ipvs_addr *addr, uint16_t *port)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	uint32_t p;

	memset(addr, 0, sizeof(*addr));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		colon = close + 1;
		*af = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		*af = AF_INET;
	}
	if (inet_pton(*af, host, addr) != 1 || parse_u32(colon + 1, &p) < 0 || p > 65535)
		return -EINVAL;
	*port = (uint16_t)p;
	return 0;
}

static int parse_svc_key(char **tok, struct ipvs_service_key *k)
{
	uint32_t mark;

	*k = (struct ipvs_service_key){ 0 };
	if (strcmp(tok[0], "fwm") == 0 || strcmp(tok[0], "fwm6") == 0) {
		k->af = tok[0][3] == '6' ? AF_INET6 : AF_INET;
		if (parse_u32(tok[1], &mark) < 0 || mark == 0)
			return -EINVAL;
		k->fwmark = mark;
		return 0;
	}
	if (strcmp(tok[0], "tcp") == 0)
		k->protocol = IPPROTO_TCP;
	else if (strcmp(tok[0], "udp") == 0)
		k->protocol = IPPROTO_UDP;
	else if (strcmp(tok[0], "sctp") == 0)
		k->protocol = IPPROTO_SCTP;
	else
		return -EINVAL;
	return parse_addr_port(tok[1], &k->af, &k->addr, &k->port);
}

/* "name value" pairs from tok[0..n) into a service. */
static int parse_svc_opts(char **tok, int n, struct ipvs_service *s)
{
	s->netmask = s->key.af == AF_INET6 ? 128 : 0xffffffff;
	for (int i = 0; i + 1 < n; i += 2) {
		const char *k = tok[i], *v = tok[i + 1];
		if (strcmp(k, "sched") == 0) {
			snprintf(s->sched, sizeof(s->sched), "%s", v);
		} else if (strcmp(k, "pe") == 0) {
			snprintf(s->pe_name, sizeof(s->pe_name), "%s", strcmp(v, "-") ? v : "");
		} else if (strcmp(k, "timeout") == 0) {
			if (parse_u32(v, &s->timeout) < 0)
				return -EINVAL;
		} else if (strcmp(k, "netmask") == 0) {
			struct in_addr a;
			if (s->key.af == AF_INET6 ? parse_u32(v, &s->netmask) < 0
						  : inet_pton(AF_INET, v, &a) != 1)
				return -EINVAL;
			if (s->key.af == AF_INET)
				s->netmask = a.s_addr;
		} else if (strcmp(k, "flags") == 0) {
			char buf[128];
			snprintf(buf, sizeof(buf), "%s", v);
			for (char *save, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
				int bit = LOOKUP(flag_names, f);
				if (bit < 0 && strcmp(f, "-"))
					return -EINVAL;
				if (bit >= 0)
					s->flags |= 1u << bit;
			}
		} else {
			return -EINVAL;
		}
	}
	return n % 2 ? -EINVAL : 0;
}

static int parse_dest_opts(char **tok, int n, struct ipvs_dest *d)
{
	for (int i = 0; i + 1 < n; i += 2) {
		const char *k = tok[i], *v = tok[i + 1];
		int x;
		uint32_t u;
		if (strcmp(k, "fwd") == 0 && (x = LOOKUP(fwd_names, v)) >= 0)
			d->fwd = (enum ipvs_fwd)x;
		else if (strcmp(k, "tun") == 0 && (x = LOOKUP(tun_names, v)) >= 0)
			d->tun_type = (enum ipvs_tun_type)x;
		else if (strcmp(k, "tunflags") == 0 && (x = LOOKUP(tunflag_names, v)) >= 0)
			d->tun_flags = (uint16_t)x;
		else if (strcmp(k, "tunport") == 0 && parse_u32(v, &u) == 0 && u <= 65535)
			d->tun_port = (uint16_t)u;
		else if (strcmp(k, "weight") == 0 && parse_u32(v, &u) == 0)
			d->weight = u;
		else if (strcmp(k, "uthr") == 0 && parse_u32(v, &u) == 0)
			d->u_threshold = u;
		else if (strcmp(k, "lthr") == 0 && parse_u32(v, &u) == 0)
			d->l_threshold = u;
		else
			return -EINVAL;
	}
	return n % 2 ? -EINVAL : 0;
}

static int parse_daemon(char **tok, int n, struct ipvs_daemon *d, bool full)
{
	if (n < 1)
		return -EINVAL;
	if (strcmp(tok[0], "master") == 0)
		d->state = IPVS_DAEMON_MASTER;
	else if (strcmp(tok[0], "backup") == 0)
		d->state = IPVS_DAEMON_BACKUP;
	else
		return -EINVAL;
	if (!full)
		return n == 1 ? 0 : -EINVAL;
	if (n < 2)
		return -EINVAL;
	snprintf(d->mcast_ifn, sizeof(d->mcast_ifn), "%s", tok[1]);
	for (int i = 2; i + 1 < n; i += 2) {
		const char *k = tok[i], *v = tok[i + 1];
		uint32_t u = 0;
		if (strcmp(k, "group") == 0) {
			d->mcast_af = strchr(v, ':') ? AF_INET6 : AF_INET;
			if (inet_pton(d->mcast_af, v, &d->mcast_group) != 1)
				return -EINVAL;
			continue;
		}
		if (parse_u32(v, &u) < 0)
			return -EINVAL;
		if (strcmp(k, "syncid") == 0)
			d->syncid = u;
		else if (strcmp(k, "maxlen") == 0)
			d->sync_maxlen = (uint16_t)u;
		else if (strcmp(k, "port") == 0)
			d->mcast_port = (uint16_t)u;
		else if (strcmp(k, "ttl") == 0)
			d->mcast_ttl = (uint8_t)u;
		else
			return -EINVAL;
	}
	return n % 2 ? -EINVAL : 0;
}

static int parse_line(char *line, struct ipvs_batch *b)
{
	char *tok[MAX_TOKENS];
	int n = 0;

	for (char *save, *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_TOKENS)
			return -E2BIG;
		tok[n++] = t;
	}
	if (n == 0 || tok[0][0] == '#')
		return 0;

	const char *cmd = tok[0];
	struct ipvs_op *op;
	uint32_t t[3];
	if (strcmp(cmd, "service") == 0 || strcmp(cmd, "edit-service") == 0) {
		op = ipvs_batch_add(b, cmd[0] == 's' ? IPVS_OP_ADD_SERVICE : IPVS_OP_EDIT_SERVICE);
		if (n < 3 || parse_svc_key(tok + 1, &op->svc.key) < 0)
			return -EINVAL;
		return parse_svc_opts(tok + 3, n - 3, &op->svc);
	}
	if (strcmp(cmd, "del-service") == 0) {
		op = ipvs_batch_add(b, IPVS_OP_DEL_SERVICE);
		return n == 3 ? parse_svc_key(tok + 1, &op->svc.key) : -EINVAL;
	}
	if (strcmp(cmd, "dest") == 0 || strcmp(cmd, "edit-dest") == 0 || strcmp(cmd, "del-dest") == 0) {
		op = ipvs_batch_add(b, strcmp(cmd, "dest") == 0        ? IPVS_OP_ADD_DEST
				       : strcmp(cmd, "edit-dest") == 0 ? IPVS_OP_EDIT_DEST
								       : IPVS_OP_DEL_DEST);
		if (n < 4 || parse_svc_key(tok + 1, &op->svc.key) < 0 ||
		    parse_addr_port(tok[3], &op->dest.af, &op->dest.addr, &op->dest.port) < 0)
			return -EINVAL;
		return parse_dest_opts(tok + 4, n - 4, &op->dest);
	}
	if (strcmp(cmd, "flush") == 0) {
		ipvs_batch_add(b, IPVS_OP_FLUSH);
		return n == 1 ? 0 : -EINVAL;
	}
	if (strcmp(cmd, "timeouts") == 0) {
		op = ipvs_batch_add(b, IPVS_OP_SET_TIMEOUTS);
		if (n != 4 || parse_u32(tok[1], &t[0]) < 0 || parse_u32(tok[2], &t[1]) < 0 ||
		    parse_u32(tok[3], &t[2]) < 0)
			return -EINVAL;
		op->timeouts = (struct ipvs_timeouts){ t[0], t[1], t[2] };
		return 0;
	}
	if (strcmp(cmd, "daemon-start") == 0 || strcmp(cmd, "daemon-stop") == 0) {
		bool start = strcmp(cmd, "daemon-start") == 0;
		op = ipvs_batch_add(b, start ? IPVS_OP_START_DAEMON : IPVS_OP_STOP_DAEMON);
		return parse_daemon(tok + 1, n - 1, &op->daemon, start);
	}
	return -EINVAL;
}

static int cmd_apply(struct ipvs *c, const char *path)
{
	FILE *f = fopen(path, "re");
	struct ipvs_batch b = { 0 };
	char line[1024], buf[IPVS_OP_STRLEN];
	size_t *lineno = NULL, alloc = 0;
	int r = 0;

	if (!f) {
		fprintf(stderr, "ipvs-tool: %s: %s\n", path, strerror(errno));
		return 2;
	}
	for (size_t no = 1; fgets(line, sizeof(line), f); no++) {
		size_t before = b.n_ops;
		if (parse_line(line, &b) < 0) {
			fprintf(stderr, "ipvs-tool: %s:%zu: cannot parse\n", path, no);
			r = 2;
		}
		if (b.n_ops > before) {
			if (b.n_ops > alloc) {
				alloc = alloc ? 2 * alloc : 1024;
				lineno = realloc(lineno, alloc * sizeof(*lineno));
				if (!lineno)
					abort();
			}
			lineno[b.n_ops - 1] = no;
		}
	}
	fclose(f);
	if (r == 0) {
		struct ipvs_counters before = *ipvs_counters(c);
		int failed = ipvs_batch_send(c, &b);
		const struct ipvs_counters *after = ipvs_counters(c);
		for (size_t i = 0; i < b.n_ops; i++)
			if (b.ops[i].error)
				printf("FAIL line %zu: %s: %s (-%s)\n", lineno[i],
				       ipvs_op_to_string(&b.ops[i], buf, sizeof(buf)),
				       strerror(-b.ops[i].error), strerrorname_np(-b.ops[i].error));
		printf("# ops %zu requests %llu messages %llu failed %d\n", b.n_ops,
		       (unsigned long long)(after->requests - before.requests),
		       (unsigned long long)(after->messages - before.messages), failed);
		r = failed < 0 ? 2 : failed > 0 ? 1 : 0;
		if (failed < 0)
			fprintf(stderr, "ipvs-tool: batch: %s\n", strerror(-failed));
	}
	free(lineno);
	ipvs_batch_clear(&b);
	return r;
}

static void format_svc(const struct ipvs_service_key *k, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	const char *proto = k->protocol == IPPROTO_TCP ? "tcp" : k->protocol == IPPROTO_UDP ? "udp" : "sctp";

	if (k->fwmark)
		snprintf(buf, size, "%s %u", k->af == AF_INET6 ? "fwm6" : "fwm", k->fwmark);
	else if (k->af == AF_INET6)
		snprintf(buf, size, "%s [%s]:%u", proto, inet_ntop(AF_INET6, &k->addr, a, sizeof(a)), k->port);
	else
		snprintf(buf, size, "%s %s:%u", proto, inet_ntop(AF_INET, &k->addr, a, sizeof(a)), k->port);
}

static int cmd_dump(struct ipvs *c)
{
	struct ipvs_table t = { 0 };
	int r = ipvs_dump(c, &t);

	if (r < 0) {
		fprintf(stderr, "ipvs-tool: dump: %s\n", strerror(-r));
		return 2;
	}
	for (size_t i = 0; i < t.n_services; i++) {
		const struct ipvs_service *s = &t.services[i].svc;
		char key[IPVS_SERVICE_STRLEN], flags[128] = "", mask[INET6_ADDRSTRLEN];

		format_svc(&s->key, key, sizeof(key));
		for (size_t bit = 0; bit < sizeof(flag_names) / sizeof(flag_names[0]); bit++)
			if ((s->flags & (1u << bit)) && bit != 1)
				snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s%s",
					 flags[0] ? "," : "", flag_names[bit]);
		if (s->key.af == AF_INET6)
			snprintf(mask, sizeof(mask), "%u", s->netmask);
		else
			inet_ntop(AF_INET, &s->netmask, mask, sizeof(mask));
		printf("service %s sched %s flags %s timeout %u netmask %s pe %s\n", key, s->sched,
		       flags[0] ? flags : "-", s->timeout, mask, s->pe_name[0] ? s->pe_name : "-");
		for (size_t j = 0; j < t.services[i].n_dests; j++) {
			const struct ipvs_dest *d = &t.services[i].dests[j];
			char dst[IPVS_DEST_STRLEN], tun[96] = "";
			ipvs_dest_to_string(d, dst, sizeof(dst));
			if (d->fwd == IPVS_FWD_TUNNEL && d->tun_type == IPVS_TUN_GUE)
				snprintf(tun, sizeof(tun), " tun gue tunport %u tunflags %s", d->tun_port,
					 tunflag_names[d->tun_flags & 3]);
			else if (d->fwd == IPVS_FWD_TUNNEL && d->tun_type == IPVS_TUN_GRE)
				snprintf(tun, sizeof(tun), " tun gre tunflags %s", tunflag_names[d->tun_flags & 3]);
			else if (d->fwd == IPVS_FWD_TUNNEL)
				snprintf(tun, sizeof(tun), " tun %s",
					 (unsigned)d->tun_type < 3 ? tun_names[d->tun_type] : "?");
			printf("dest %s %s fwd %s weight %u uthr %u lthr %u%s\n", key, dst,
			       (unsigned)d->fwd < 5 ? fwd_names[d->fwd] : "?", d->weight, d->u_threshold,
			       d->l_threshold, tun);
		}
	}
	ipvs_table_clear(&t);
	return 0;
}

static int cmd_daemons(struct ipvs *c)
{
	struct ipvs_daemon d[2];
	size_t n = 0;
	int r = ipvs_get_daemons(c, d, &n);

	if (r < 0) {
		fprintf(stderr, "ipvs-tool: daemons: %s\n", strerror(-r));
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		char g[INET6_ADDRSTRLEN] = "-";
		if (d[i].mcast_af)
			inet_ntop(d[i].mcast_af, &d[i].mcast_group, g, sizeof(g));
		printf("daemon %s %s syncid %u maxlen %u group %s port %u ttl %u\n",
		       d[i].state == IPVS_DAEMON_MASTER ? "master" : "backup", d[i].mcast_ifn,
		       d[i].syncid, d[i].sync_maxlen, g, d[i].mcast_port, d[i].mcast_ttl);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ipvs *c = NULL;
	int r;

	if (argc < 2 || (strcmp(argv[1], "apply") == 0 && argc != 3)) {
		fprintf(stderr, "usage: ipvs-tool apply FILE | dump | timeouts | daemons | info\n");
		return 2;
	}
	if ((r = ipvs_open(&c)) < 0) {
		fprintf(stderr, "ipvs-tool: cannot open IPVS: %s%s\n", strerror(-r),
			r == -ENOENT ? " (load the ip_vs module)" : "");
		return 2;
	}
	if (strcmp(argv[1], "apply") == 0) {
		r = cmd_apply(c, argv[2]);
	} else if (strcmp(argv[1], "dump") == 0) {
		r = cmd_dump(c);
	} else if (strcmp(argv[1], "daemons") == 0) {
		r = cmd_daemons(c);
	} else if (strcmp(argv[1], "timeouts") == 0) {
		struct ipvs_timeouts t;
		if ((r = ipvs_get_timeouts(c, &t)) == 0)
			printf("tcp %u tcpfin %u udp %u\n", t.tcp, t.tcp_fin, t.udp);
		r = r < 0 ? 2 : 0;
	} else if (strcmp(argv[1], "info") == 0) {
		struct ipvs_info info;
		if ((r = ipvs_get_info(c, &info)) == 0)
			printf("version %u.%u.%u conn_tab_size %u\n", info.version >> 16,
			       (info.version >> 8) & 0xff, info.version & 0xff, info.conn_tab_size);
		r = r < 0 ? 2 : 0;
	} else {
		fprintf(stderr, "ipvs-tool: unknown command %s\n", argv[1]);
		r = 2;
	}
	ipvs_close(c);
	return r;
}
