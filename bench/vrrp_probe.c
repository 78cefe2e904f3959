/*
 * vrrp_probe: the failover benchmark's single observer (bench/failover.sh).
 *
 * One process, one poll loop, sockets opened in each lab namespace with
 * setns() (a socket keeps the namespace it was made in):
 *   - AF_PACKET on the bridge namespace's br0 (promiscuous, BPF-filtered to
 *     VRRP, ARP and neighbour advertisements): every advert, GARP and NA;
 *   - rtnetlink (address groups) in each director: when the VIP is added or
 *     removed there;
 *   - a UDP "who are you" responder bound to the VIP in each director
 *     (IP_FREEBIND: it answers only while that director holds the VIP, and
 *     from the VIP itself);
 *   - the client's UDP socket, which asks the VIP every --probe-us.
 *
 * Clock: CLOCK_REALTIME for everything, because that is the clock of the
 * kernel's receive timestamps (SO_TIMESTAMPNS), which stamp packets when they
 * enter the namespace, before any scheduling delay of ours.  rtnetlink
 * messages carry no timestamp, so address events are stamped by
 * clock_gettime(CLOCK_REALTIME) right after recv(); the summary line
 * "stamp-latency" measures that userspace delay on the packets, where both
 * stamps exist, which bounds the error of the netlink stamps.  The run is
 * seconds long, so an NTP step is the only hazard: the summary reports how
 * far REALTIME moved against MONOTONIC during the run ("clock-drift-us").
 *
 * Output, one event a line, times in ms since start:
 *   T advert v=V vrid=N prio=P int=CS src=IP mac=MAC
 *   T garp ip=IP mac=MAC          T na ip=IP mac=MAC
 *   T addr+ NAME IP               T addr- NAME IP
 *   T reply NAME gap=MS           (a reply from a new responder, or after a gap)
 *   # summary lines
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define PROBE_MAX_DIRS 2
#define PROBE_LAT_SAMPLES 65536
#define PROBE_NAME_MAX 32

struct probe_dir {
	const char *name;
	const char *ns;
	int nl_fd;
	int resp_fd;
};

struct probe {
	const char *bridge_ns;
	const char *bridge_if;
	const char *client_ns;
	const char *ready_file;
	struct probe_dir dirs[PROBE_MAX_DIRS];
	size_t ndirs;
	struct sockaddr_storage vip;
	socklen_t vip_len;
	int family;
	unsigned char vip_raw[16];
	uint16_t port;
	long probe_us;
	double duration_s;
	int rt_prio;

	int pkt_fd;
	int client_fd;
	int timer_fd;
	int sig_fd;
	int64_t base_ns;       /* CLOCK_REALTIME at start */
	int64_t base_mono_ns;  /* CLOCK_MONOTONIC at start, for the drift check */
	uint64_t sent;
	uint64_t replies;
	char last_name[PROBE_NAME_MAX];
	int64_t last_reply_ns;
	int64_t *lat_ns;
	size_t nlat;
	int64_t resp_max_ns;   /* responder turnaround: request stamp to reply */
	int64_t resp_sum_ns;
	uint64_t resp_n;
};

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double rel_ms(const struct probe *p, int64_t ns)
{
	return (double)(ns - p->base_ns) / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "vrrp_probe: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Make the calling thread's network namespace NS ("" or NULL: the original). */
static void enter_ns(const char *ns, int orig_fd)
{
	char path[256];
	int fd = orig_fd;

	if (ns && *ns) {
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path);
	}
	if (setns(fd, CLONE_NEWNET) < 0)
		die("setns");
	if (fd != orig_fd)
		close(fd);
}

static void set_int(int fd, int level, int opt, int val, const char *what)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) < 0)
		die(what);
}

/* Only VRRP (IPv4 proto 112, IPv6 next header 112), ARP and ICMPv6 type 136
 * (neighbour advertisement, assuming no extension header) wake us up: the
 * client's probes cross br0 too, thousands a second. */
static void attach_filter(int fd)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_ARP, 9, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_IP, 0, 2),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 6, 7),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_IPV6, 0, 6),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 112, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 54),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 136, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		die("SO_ATTACH_FILTER");
}

static int open_packet(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (fd < 0)
		die("AF_PACKET socket");
	attach_filter(fd);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0)
		die(ifname);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind AF_PACKET");
	/* Promiscuous so unicast adverts (unicast_peer) reach br0's host side too. */
	mr.mr_ifindex = sll.sll_ifindex;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		die("PACKET_ADD_MEMBERSHIP");
	set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
	set_int(fd, SOL_SOCKET, SO_RCVBUF, 1 << 20, "SO_RCVBUF");
	return fd;
}

static int open_netlink(void)
{
	struct sockaddr_nl snl = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		die("netlink socket");
	set_int(fd, SOL_SOCKET, SO_RCVBUF, 1 << 20, "SO_RCVBUF");
	if (bind(fd, (struct sockaddr *)&snl, sizeof(snl)) < 0)
		die("bind netlink");
	return fd;
}

static int open_udp(const struct probe *p, bool bind_vip)
{
	int fd = socket(p->family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		die("UDP socket");
	if (bind_vip) {
		/* IP_FREEBIND at SOL_IP covers AF_INET6 sockets as well. */
		set_int(fd, SOL_IP, IP_FREEBIND, 1, "IP_FREEBIND");
		if (bind(fd, (const struct sockaddr *)&p->vip, p->vip_len) < 0)
			die("bind VIP");
	}
	set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
	return fd;
}

/* Receive one datagram; *kernel_ns gets its SO_TIMESTAMPNS stamp (0: none). */
static ssize_t recv_stamped(int fd, void *buf, size_t len, int64_t *kernel_ns)
{
	char ctrl[CMSG_SPACE(sizeof(struct timespec)) + 64];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof(ctrl),
	};
	ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);

	*kernel_ns = 0;
	if (n < 0)
		return n;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			*kernel_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		}
	}
	return n;
}

static void format_mac(const unsigned char *m, char *out, size_t len)
{
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void print_vrrp(double t, const unsigned char *v, size_t len,
		       int family, const unsigned char *src, const char *mac)
{
	char ip[INET6_ADDRSTRLEN];
	unsigned version, interval_cs;

	if (len < 8)
		return;
	version = v[0] >> 4;
	/* v2: seconds in byte 5; v3: 12-bit centiseconds in bytes 4-5. */
	interval_cs = version == 2 ? v[5] * 100u : ((v[4] & 0x0fu) << 8) | v[5];
	inet_ntop(family, src, ip, sizeof(ip));
	fprintf(stdout, "%.3f advert v=%u vrid=%u prio=%u int=%u src=%s mac=%s\n",
		t, version, v[1], v[2], interval_cs, ip, mac);
}

static void on_packet(struct probe *p)
{
	unsigned char b[2048];
	int64_t kns;
	ssize_t n = recv_stamped(p->pkt_fd, b, sizeof(b), &kns);
	int64_t uns = clock_ns(CLOCK_REALTIME);
	char mac[18], ip[INET6_ADDRSTRLEN];
	unsigned type;
	double t;

	if (n < 14)
		return;
	if (kns == 0)
		kns = uns;
	else if (p->nlat < PROBE_LAT_SAMPLES)
		p->lat_ns[p->nlat++] = uns - kns;
	t = rel_ms(p, kns);
	format_mac(b + 6, mac, sizeof(mac));
	type = (unsigned)b[12] << 8 | b[13];
	if (type == ETHERTYPE_ARP && n >= 42) {
		/* Gratuitous: sender and target protocol addresses are the same. */
		if (memcmp(b + 28, b + 38, 4) == 0) {
			inet_ntop(AF_INET, b + 28, ip, sizeof(ip));
			fprintf(stdout, "%.3f garp ip=%s mac=%s\n", t, ip, mac);
		}
	} else if (type == ETHERTYPE_IP && n >= 34 && b[23] == 112) {
		size_t ihl = (b[14] & 0x0fu) * 4u;

		if ((size_t)n >= 14 + ihl + 8)
			print_vrrp(t, b + 14 + ihl, (size_t)n - 14 - ihl, AF_INET, b + 26, mac);
	} else if (type == ETHERTYPE_IPV6 && n >= 62) {
		if (b[20] == 112) {
			print_vrrp(t, b + 54, (size_t)n - 54, AF_INET6, b + 22, mac);
		} else if (b[20] == 58 && b[54] == 136 && n >= 78) {
			inet_ntop(AF_INET6, b + 62, ip, sizeof(ip));
			fprintf(stdout, "%.3f na ip=%s mac=%s\n", t, ip, mac);
		}
	}
}

static void on_netlink(struct probe *p, const struct probe_dir *d)
{
	char buf[16384];
	ssize_t n = recv(d->nl_fd, buf, sizeof(buf), MSG_DONTWAIT);
	double t = rel_ms(p, clock_ns(CLOCK_REALTIME));
	size_t alen = p->family == AF_INET ? 4 : 16;

	if (n < 0) {
		if (errno == ENOBUFS)
			fprintf(stdout, "%.3f nl-overrun %s\n", t, d->name);
		return;
	}
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
	     h = NLMSG_NEXT(h, n)) {
		struct ifaddrmsg *ifa = NLMSG_DATA(h);
		int rlen = (int)IFA_PAYLOAD(h);
		bool match = false;

		if ((h->nlmsg_type != RTM_NEWADDR && h->nlmsg_type != RTM_DELADDR) ||
		    ifa->ifa_family != p->family)
			continue;
		for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, rlen); a = RTA_NEXT(a, rlen)) {
			if ((a->rta_type == IFA_LOCAL || a->rta_type == IFA_ADDRESS) &&
			    RTA_PAYLOAD(a) == alen && memcmp(RTA_DATA(a), p->vip_raw, alen) == 0)
				match = true;
		}
		if (match) {
			char ip[INET6_ADDRSTRLEN];

			inet_ntop(p->family, p->vip_raw, ip, sizeof(ip));
			fprintf(stdout, "%.3f %s %s %s\n", t,
				h->nlmsg_type == RTM_NEWADDR ? "addr+" : "addr-", d->name, ip);
		}
	}
}

/* The turnaround is part of the client's figure, so it is measured too. */
static void on_responder(struct probe *p, const struct probe_dir *d)
{
	char buf[64], ctrl[CMSG_SPACE(sizeof(struct timespec)) + 64];
	struct sockaddr_storage peer;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_name = &peer, .msg_iov = &iov, .msg_iovlen = 1 };

	for (;;) {
		int64_t kns = 0, dt;

		msg.msg_namelen = sizeof(peer);
		msg.msg_control = ctrl;
		msg.msg_controllen = sizeof(ctrl);
		if (recvmsg(d->resp_fd, &msg, MSG_DONTWAIT) < 0)
			return;
		sendto(d->resp_fd, d->name, strlen(d->name), 0, (struct sockaddr *)&peer,
		       msg.msg_namelen);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;

				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				kns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
			}
		}
		if (kns == 0)
			continue;
		dt = clock_ns(CLOCK_REALTIME) - kns;
		p->resp_sum_ns += dt;
		p->resp_n++;
		if (dt > p->resp_max_ns)
			p->resp_max_ns = dt;
	}
}

static void on_client(struct probe *p)
{
	char buf[PROBE_NAME_MAX];
	int64_t kns;
	ssize_t n;

	while ((n = recv_stamped(p->client_fd, buf, sizeof(buf) - 1, &kns)) >= 0) {
		int64_t gap;

		buf[n] = '\0';
		if (kns == 0)
			kns = clock_ns(CLOCK_REALTIME);
		gap = p->last_reply_ns ? kns - p->last_reply_ns : 0;
		p->replies++;
		/* Only changes of responder and gaps: thousands of replies a second
		 * would drown the events that matter. */
		if (strcmp(buf, p->last_name) != 0 || gap > 3 * p->probe_us * 1000) {
			fprintf(stdout, "%.3f reply %s gap=%.3f\n", rel_ms(p, kns), buf,
				(double)gap / 1e6);
			snprintf(p->last_name, sizeof(p->last_name), "%s", buf);
		}
		p->last_reply_ns = kns;
	}
}

static void on_timer(struct probe *p)
{
	uint64_t ticks;

	if (read(p->timer_fd, &ticks, sizeof(ticks)) < 0)
		return;
	/* One probe per wake-up even if we overslept: a burst would only blur
	 * the first-reply time. */
	if (sendto(p->client_fd, "who", 3, 0, (const struct sockaddr *)&p->vip, p->vip_len) >= 0)
		p->sent++;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void summary(struct probe *p)
{
	int64_t drift = (clock_ns(CLOCK_REALTIME) - p->base_ns) -
			(clock_ns(CLOCK_MONOTONIC) - p->base_mono_ns);

	if (p->nlat) {
		qsort(p->lat_ns, p->nlat, sizeof(p->lat_ns[0]), cmp_i64);
		fprintf(stdout, "# stamp-latency-us n=%zu median=%.1f p99=%.1f max=%.1f\n", p->nlat,
			(double)p->lat_ns[p->nlat / 2] / 1e3,
			(double)p->lat_ns[p->nlat * 99 / 100] / 1e3,
			(double)p->lat_ns[p->nlat - 1] / 1e3);
	}
	if (p->resp_n)
		fprintf(stdout, "# responder-latency-us mean=%.1f max=%.1f\n",
			(double)p->resp_sum_ns / (double)p->resp_n / 1e3,
			(double)p->resp_max_ns / 1e3);
	fprintf(stdout, "# probes sent=%llu replies=%llu\n", (unsigned long long)p->sent,
		(unsigned long long)p->replies);
	fprintf(stdout, "# clock-drift-us %.1f\n", (double)drift / 1e3);
}

static void usage(void)
{
	fputs("usage: vrrp_probe --bridge NS [--bridge-if br0] --dir NAME=NS [--dir NAME=NS]\n"
	      "                  --client NS --vip ADDR [--port 7100] [--probe-us 250]\n"
	      "                  [--duration 60] [--ready FILE] [--rt 50 (0: no SCHED_FIFO)]\n"
	      "Prints VRRP adverts, GARP/NA, VIP address events and the client's replies,\n"
	      "timestamped in ms since start, until SIGTERM or --duration.\n",
	      stderr);
	exit(2);
}

static void parse_args(struct probe *p, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bridge", required_argument, NULL, 'b' },
		{ "bridge-if", required_argument, NULL, 'i' },
		{ "dir", required_argument, NULL, 'd' },
		{ "client", required_argument, NULL, 'c' },
		{ "vip", required_argument, NULL, 'v' },
		{ "port", required_argument, NULL, 'p' },
		{ "probe-us", required_argument, NULL, 'u' },
		{ "duration", required_argument, NULL, 't' },
		{ "ready", required_argument, NULL, 'r' },
		{ "rt", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vip = NULL;
	int c;

	p->bridge_if = "br0";
	p->port = 7100;
	p->probe_us = 250;
	p->duration_s = 60;
	p->rt_prio = 50;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *eq;

		switch (c) {
		case 'b': p->bridge_ns = optarg; break;
		case 'i': p->bridge_if = optarg; break;
		case 'c': p->client_ns = optarg; break;
		case 'v': vip = optarg; break;
		case 'p': p->port = (uint16_t)atoi(optarg); break;
		case 'u': p->probe_us = atol(optarg); break;
		case 't': p->duration_s = atof(optarg); break;
		case 'r': p->ready_file = optarg; break;
		case 'R': p->rt_prio = atoi(optarg); break;
		case 'd':
			eq = strchr(optarg, '=');
			if (!eq || p->ndirs == PROBE_MAX_DIRS)
				usage();
			*eq = '\0';
			p->dirs[p->ndirs].name = optarg;
			p->dirs[p->ndirs++].ns = eq + 1;
			break;
		default: usage();
		}
	}
	if (!p->bridge_ns || !p->client_ns || !vip || p->ndirs == 0 || p->probe_us < 20)
		usage();
	if (inet_pton(AF_INET, vip, p->vip_raw) == 1) {
		struct sockaddr_in *s = (struct sockaddr_in *)&p->vip;

		p->family = AF_INET;
		s->sin_family = AF_INET;
		s->sin_port = htons(p->port);
		memcpy(&s->sin_addr, p->vip_raw, 4);
		p->vip_len = sizeof(*s);
	} else if (inet_pton(AF_INET6, vip, p->vip_raw) == 1) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&p->vip;

		p->family = AF_INET6;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(p->port);
		memcpy(&s->sin6_addr, p->vip_raw, 16);
		p->vip_len = sizeof(*s);
	} else {
		usage();
	}
}

static void open_all(struct probe *p)
{
	int orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	sigset_t mask;
	long us = p->probe_us;
	struct itimerspec its = {
		.it_interval = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 },
		.it_value = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 },
	};

	if (orig < 0)
		die("/proc/self/ns/net");
	enter_ns(p->bridge_ns, orig);
	p->pkt_fd = open_packet(p->bridge_if);
	for (size_t i = 0; i < p->ndirs; i++) {
		enter_ns(p->dirs[i].ns, orig);
		p->dirs[i].nl_fd = open_netlink();
		p->dirs[i].resp_fd = open_udp(p, true);
	}
	enter_ns(p->client_ns, orig);
	p->client_fd = open_udp(p, false);
	enter_ns(NULL, orig);
	close(orig);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	p->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	p->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (p->sig_fd < 0 || p->timer_fd < 0 || timerfd_settime(p->timer_fd, 0, &its, NULL) < 0)
		die("signalfd/timerfd");
}

int main(int argc, char **argv)
{
	struct probe p = { .pkt_fd = -1 };
	struct pollfd fds[4 + 2 * PROBE_MAX_DIRS];
	int64_t end_mono;
	nfds_t nfds = 0;

	parse_args(&p, argc, argv);
	/* Line-buffered: the driver watches the file for the takeover. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	p.lat_ns = calloc(PROBE_LAT_SAMPLES, sizeof(*p.lat_ns));
	if (!p.lat_ns)
		die("calloc");
	open_all(&p);
	/* SCHED_FIFO: on a busy machine a normal-priority observer wakes up
	 * milliseconds late, which would skew the netlink stamps and the
	 * responder's turnaround (packets carry kernel stamps either way). */
	if (p.rt_prio > 0) {
		struct sched_param sp = { .sched_priority = p.rt_prio };

		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			fprintf(stdout, "# no SCHED_FIFO: %s\n", strerror(errno));
	}
	p.base_ns = clock_ns(CLOCK_REALTIME);
	p.base_mono_ns = clock_ns(CLOCK_MONOTONIC);
	end_mono = p.base_mono_ns + (int64_t)(p.duration_s * 1e9);
	fprintf(stdout, "# start realtime-ns %lld\n", (long long)p.base_ns);

	fds[nfds++] = (struct pollfd){ .fd = p.sig_fd, .events = POLLIN };
	fds[nfds++] = (struct pollfd){ .fd = p.pkt_fd, .events = POLLIN };
	fds[nfds++] = (struct pollfd){ .fd = p.client_fd, .events = POLLIN };
	fds[nfds++] = (struct pollfd){ .fd = p.timer_fd, .events = POLLIN };
	for (size_t i = 0; i < p.ndirs; i++) {
		fds[nfds++] = (struct pollfd){ .fd = p.dirs[i].nl_fd, .events = POLLIN };
		fds[nfds++] = (struct pollfd){ .fd = p.dirs[i].resp_fd, .events = POLLIN };
	}
	if (p.ready_file) {
		FILE *f = fopen(p.ready_file, "w");

		if (!f)
			die(p.ready_file);
		fclose(f);
	}
	while (clock_ns(CLOCK_MONOTONIC) < end_mono) {
		if (poll(fds, nfds, 100) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (fds[0].revents)
			break;
		if (fds[1].revents)
			on_packet(&p);
		if (fds[2].revents)
			on_client(&p);
		if (fds[3].revents)
			on_timer(&p);
		for (size_t i = 0; i < p.ndirs; i++) {
			if (fds[4 + 2 * i].revents)
				on_netlink(&p, &p.dirs[i]);
			if (fds[5 + 2 * i].revents)
				on_responder(&p, &p.dirs[i]);
		}
	}
	summary(&p);
	free(p.lat_ns);
	return 0;
}
