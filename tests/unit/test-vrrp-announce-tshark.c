/* What Debian's tshark makes of our GARP and NA frames: no malformed packet,
 * no expert warning, a good ICMPv6 checksum, the fields we meant.  A frame
 * with a corrupted checksum rides along as the control that the check can
 * fail.  Skips (the whole program, "1..0 # SKIP") without tshark. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/unit/test-inet-util.h"

#include "vrrp/vrrp_announce.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))


static void pcap_put(FILE *f, const void *p, size_t n)
{
	assert_int_equal(fwrite(p, 1, n, f), n);
}

/* A classic libpcap file (linktype 1, Ethernet), one record per frame. */
static void pcap_write(const char *path, const uint8_t *const *frames, const size_t *lens,
		       size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	const uint32_t hdr32[] = { 0xa1b2c3d4 };
	const uint16_t ver[] = { 2, 4 };
	const uint32_t rest[] = { 0, 0, 65535, 1 };
	pcap_put(f, hdr32, sizeof(hdr32));
	pcap_put(f, ver, sizeof(ver));
	pcap_put(f, rest, sizeof(rest));
	for (size_t i = 0; i < n; i++) {
		const uint32_t rec[] = { 1700000000u + (uint32_t)i, 0, (uint32_t)lens[i],
					 (uint32_t)lens[i] };
		pcap_put(f, rec, sizeof(rec));
		pcap_put(f, frames[i], lens[i]);
	}
	assert_int_equal(fclose(f), 0);
}

/* One line per frame, tab-separated fields of `fields` (tshark -T fields). */
static char *tshark_fields(const char *pcap, const char *fields)
{
	char *cmd;
	assert_true(asprintf(&cmd, "tshark -n -r '%s' -T fields -E separator=/t -E occurrence=a %s "
			     "2>/dev/null", pcap, fields) > 0);
	FILE *p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	char *out = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&out, &size);
	char chunk[512];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(m);
	assert_int_equal(pclose(p), 0);
	return out;
}

static void test_tshark_decodes_cleanly(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct in6_addr ll = ip6("fe80::11:22ff:fe33:4455"), vip6 = ip6("fd00:99::100");
	uint8_t garp[VRRP_GARP_LEN], na[VRRP_NA_LEN], na_r[VRRP_NA_LEN], na_bad[VRRP_NA_LEN];

	assert_int_equal(vrrp_garp_build(garp, sizeof(garp), mac, ip4("10.99.0.100")), VRRP_GARP_LEN);
	assert_int_equal(vrrp_na_build(na, sizeof(na), mac, &ll, &vip6, false), VRRP_NA_LEN);
	assert_int_equal(vrrp_na_build(na_r, sizeof(na_r), mac, &ll, &vip6, true), VRRP_NA_LEN);
	/* the control: tshark must flag this one, or the check below proves nothing */
	memcpy(na_bad, na, sizeof(na));
	na_bad[14 + 40 + 2] ^= 0x01;

	char dir[] = "/tmp/lbha-test-announce-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *pcap;
	assert_true(asprintf(&pcap, "%s/announce.pcap", dir) > 0);
	const uint8_t *const frames[] = { garp, na, na_r, na_bad };
	const size_t lens[] = { sizeof(garp), sizeof(na), sizeof(na_r), sizeof(na_bad) };
	pcap_write(pcap, frames, lens, ARRAY_SIZE(frames));

	/* Per frame: malformed marker, expert severities, ICMPv6 checksum status
	 * (1 good, 0 bad), whether tshark calls the ARP gratuitous, NA flags,
	 * target, and the option's link-layer address. */
	char *out = tshark_fields(pcap, "-e frame.number -e _ws.malformed -e _ws.expert.severity "
				  "-e icmpv6.checksum.status -e arp.isgratuitous "
				  "-e icmpv6.nd.na.flag.r -e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o "
				  "-e icmpv6.nd.na.target_address -e icmpv6.opt.linkaddr");
	unlink(pcap);
	rmdir(dir);
	free(pcap);
	for (const char *l = out; *l; ) {
		size_t n = strcspn(l, "\n");
		print_message("# tshark: %.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}

	const char *want[] = {
		"1\t\t\t\t1\t\t\t\t\t",
		"2\t\t\t1\t\t0\t0\t1\tfd00:99::100\t02:11:22:33:44:55",
		"3\t\t\t1\t\t1\t0\t1\tfd00:99::100\t02:11:22:33:44:55",
	};
	char *save = NULL, *line = strtok_r(out, "\n", &save);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_non_null(line);
		assert_string_equal(line, want[i]);
		line = strtok_r(NULL, "\n", &save);
	}
	/* frame 4: bad checksum status and an expert warning/error */
	assert_non_null(line);
	assert_true(strncmp(line, "4\t\t", 3) == 0);
	char *fields[10] = { 0 };
	size_t nf = 0;
	for (char *p = line; nf < ARRAY_SIZE(fields); nf++) {
		fields[nf] = p;
		char *tab = strchr(p, '\t');
		if (!tab) {
			nf++;
			break;
		}
		*tab = 0;
		p = tab + 1;
	}
	assert_true(nf >= 4);
	assert_string_not_equal(fields[2], "");     /* some expert info */
	assert_string_equal(fields[3], "0");        /* checksum: bad */
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tshark_decodes_cleanly),
	};

	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		printf("1..0 # SKIP tshark not installed (Debian package tshark)\n");
		return 0;
	}
	return cmocka_run_group_tests_name("vrrp_announce_tshark", tests, NULL, NULL);
}
