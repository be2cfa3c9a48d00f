// SPDX-License-Identifier: GPL-2.0
/*
 * mtf_send: send one raw IPv4 packet whose payload is given in hex, to
 * put crafted (and malformed) path headers on the wire.
 *
 *   mtf_send [-f] [-p PROTO] SRC DST HEX
 *
 * -f sets More Fragments; PROTO defaults to MTF_IPPROTO.  The kernel fills
 * in tot_len, the ID and the header checksum (IP_HDRINCL).
 */
#include <arpa/inet.h>
#include <linux/ip.h>
#include <linux/mtf.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int unhex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned int v;

	while (*s) {
		if (*s == ' ' || *s == ':') {
			s++;
			continue;
		}
		if (n == max || sscanf(s, "%2x", &v) != 1 || !s[1])
			return -1;
		out[n++] = v;
		s += 2;
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned char pkt[2048] = { 0 };
	struct iphdr *iph = (void *)pkt;
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd, opt, n, proto = MTF_IPPROTO, frag = 0;

	while ((opt = getopt(argc, argv, "fp:")) != -1) {
		switch (opt) {
		case 'f': frag = 1; break;
		case 'p': proto = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (argc - optind != 3)
		goto usage;
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = proto;
	iph->frag_off = htons(frag ? 0x2000 : 0);
	if (inet_pton(AF_INET, argv[optind], &iph->saddr) != 1 ||
	    inet_pton(AF_INET, argv[optind + 1], &iph->daddr) != 1)
		goto usage;
	n = unhex(argv[optind + 2], pkt + sizeof(*iph), sizeof(pkt) - sizeof(*iph));
	if (n < 0)
		goto usage;
	iph->tot_len = htons(sizeof(*iph) + n);
	to.sin_addr.s_addr = iph->daddr;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (sendto(fd, pkt, sizeof(*iph) + n, 0, (void *)&to, sizeof(to)) < 0) {
		perror("sendto");
		return 1;
	}
	return 0;

usage:
	fprintf(stderr, "usage: mtf_send [-f] [-p PROTO] SRC DST HEX\n");
	return 2;
}
