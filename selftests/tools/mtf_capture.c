// SPDX-License-Identifier: GPL-2.0
/*
 * mtf_capture: print the IPv4 packets arriving on one interface, with the
 * raw bytes of their MTF path header, one line each.  Modelled on the
 * kernel's tools/testing/selftests/net/ioam6_parser.c: the selftest
 * compares the bytes against what it expects, so the header on the wire
 * is checked independently of the module's own parser.
 *
 *   mtf_capture -i IFNAME [-d DST] [-c COUNT] [-t TIMEOUT_MS] [-r READYFILE] [-x]
 *
 * Only packets received (not sent) on IFNAME, to DST if given.  Lines:
 *   ip proto=P len=L frag=F
 *   mtf len=L frag=F hdr=HEX
 * -x adds " data=HEX" to the first form: every byte after the IPv4
 * header (an ICMP error and its quote, byte for byte).
 * HEX is the whole path header as 4 + size * 8 bytes claim (or what there
 * is, if fewer).  READYFILE is created once the socket is bound, so the
 * test can start sending.  Exit: 0 after COUNT packets, 1 on timeout,
 * 2 on error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/ip.h>
#include <linux/mtf.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int hex_data;

static void print_packet(const unsigned char *p, size_t len)
{
	const struct iphdr *iph = (const void *)p;
	size_t ihl = iph->ihl * 4, hl, i;
	int frag = !!(ntohs(iph->frag_off) & 0x3fff);

	if (iph->protocol != MTF_IPPROTO) {
		printf("ip proto=%u len=%zu frag=%d", iph->protocol, len, frag);
		if (hex_data && len >= ihl) {
			printf(" data=");
			for (i = ihl; i < len; i++)
				printf("%02x", p[i]);
		}
		printf("\n");
		return;
	}
	printf("mtf len=%zu frag=%d hdr=", len, frag);
	hl = len - ihl;
	if (hl >= sizeof(struct mtf_hdr)) {
		size_t claim = MTF_HDR_LEN(p[ihl + 2] >> 4, p[ihl + 1] & MTF_HDR_F_V6);

		if (claim >= sizeof(struct mtf_hdr) && claim < hl)
			hl = claim;
	}
	for (i = 0; i < hl; i++)
		printf("%02x", p[ihl + i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *ready = NULL;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	long long deadline, timeout = 5000;
	unsigned char buf[65536];
	struct in_addr dst = { 0 };
	int fd, opt, count = 1, seen = 0;

	while ((opt = getopt(argc, argv, "i:d:c:t:r:x")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &dst) != 1) {
				fprintf(stderr, "bad address %s\n", optarg);
				return 2;
			}
			break;
		case 'c': count = atoi(optarg); break;
		case 't': timeout = atoll(optarg); break;
		case 'r': ready = optarg; break;
		case 'x': hex_data = 1; break;
		default: goto usage;
		}
	}
	if (!ifname || optind != argc || count < 1)
		goto usage;

	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (void *)&sll, sizeof(sll)) < 0) {
		perror(ifname);
		return 2;
	}
	if (ready && close(open(ready, O_WRONLY | O_CREAT, 0644)) < 0) {
		perror(ready);
		return 2;
	}

	deadline = now_ms() + timeout;
	while (seen < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		socklen_t alen = sizeof(sll);
		long long left = deadline - now_ms();
		const struct iphdr *iph = (const void *)buf;
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) == 0) {
			fprintf(stderr, "timeout after %d of %d packets\n", seen, count);
			return 1;
		}
		n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&sll, &alen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recvfrom");
			return 2;
		}
		if (sll.sll_pkttype == PACKET_OUTGOING ||
		    (size_t)n < sizeof(*iph) || iph->version != 4 ||
		    (size_t)n < iph->ihl * 4u)
			continue;
		if (dst.s_addr && iph->daddr != dst.s_addr)
			continue;
		print_packet(buf, n);
		fflush(stdout);
		seen++;
	}
	return 0;

usage:
	fprintf(stderr, "usage: mtf_capture -i IFNAME [-d DST] [-c COUNT] [-t TIMEOUT_MS] [-r READYFILE] [-x]\n");
	return 2;
}
