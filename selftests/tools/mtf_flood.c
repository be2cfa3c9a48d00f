// SPDX-License-Identifier: GPL-2.0
/*
 * mtf_flood: send UDP packets that already carry an MTF path header, from
 * a raw socket, with spoofed sources and per-"gateway" paths, so that the
 * filter and path tables can be tested without a chain of marking
 * routers in front of them.
 *
 *   mtf_flood -d DST -p ADDR/MARK[,ADDR/MARK...] [-s SRC] [-n NSRC]
 *             [-g NGW] [-c COUNT] [-r PPS] [-l LEN] [-S SIZE] [-P PORT]
 *
 *   -p  the filled slots, oldest first (pointer = their number)
 *   -S  slots allocated (size), default: as many as given
 *   -g  gateways: packet i uses gateway i % NGW, whose first slot
 *       address is ADDR + gateway (so NGW distinct paths)
 *   -n  sources: packet i uses source SRC + (i / NGW) % NSRC
 *   -c  packets (default 1); -r packets per second (0: as fast as
 *       possible); -l UDP payload bytes (default 18)
 *
 * Prints "sent N packets in S seconds" on success.  Needs CAP_NET_RAW.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/mtf.h>

struct opts {
	struct in_addr dst, src;
	struct mtf_slot4 slots[MTF_MAX_SLOTS];
	unsigned int nslots, size, nsrc, ngw, len, port;
	unsigned long count, rate;
};

static void usage(void)
{
	fprintf(stderr, "usage: mtf_flood -d DST -p ADDR/MARK[,...] [-s SRC] [-n NSRC] [-g NGW]\n"
			"                 [-c COUNT] [-r PPS] [-l LEN] [-S SIZE] [-P PORT]\n");
	exit(2);
}

static int parse_slots(char *arg, struct opts *o)
{
	char *tok, *save = NULL, *slash;
	struct in_addr a;

	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		slash = strchr(tok, '/');
		if (!slash || o->nslots == MTF_MAX_SLOTS)
			return -1;
		*slash = '\0';
		if (inet_pton(AF_INET, tok, &a) != 1)
			return -1;
		o->slots[o->nslots].addr = a.s_addr;
		o->slots[o->nslots].mark = htonl(strtoul(slash + 1, NULL, 0));
		o->nslots++;
	}
	return o->nslots ? 0 : -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Build packet @i into @buf; returns its length. */
static size_t build(const struct opts *o, unsigned long i, uint8_t *buf)
{
	size_t hlen = MTF_HDR_LEN(o->size, 0);
	struct iphdr *ip = (struct iphdr *)buf;
	struct mtf_hdr *ph = (struct mtf_hdr *)(ip + 1);
	struct mtf_slot4 *slots = (struct mtf_slot4 *)(ph + 1);
	struct udphdr *udp = (struct udphdr *)((uint8_t *)ph + hlen);
	unsigned int gw = i % o->ngw, s = (i / o->ngw) % o->nsrc;
	size_t tot = sizeof(*ip) + hlen + sizeof(*udp) + o->len;

	memset(buf, 0, tot);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = MTF_IPPROTO;
	ip->tot_len = htons(tot);
	ip->saddr = htonl(ntohl(o->src.s_addr) + s);
	ip->daddr = o->dst.s_addr;
	ph->nexthdr = IPPROTO_UDP;
	ph->ver_flags = MTF_HDR_VERSION << 4;
	ph->size_ptr = o->size << 4 | o->nslots;
	memcpy(slots, o->slots, o->nslots * sizeof(*slots));
	slots[0].addr = htonl(ntohl(slots[0].addr) + gw);
	udp->source = htons(10000 + s % 50000);
	udp->dest = htons(o->port);
	udp->len = htons(sizeof(*udp) + o->len);
	return tot;
}

int main(int argc, char **argv)
{
	struct opts o = { .nsrc = 1, .ngw = 1, .len = 18, .port = 9,
			  .count = 1 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint8_t buf[2048];
	unsigned long i;
	double t0, t;
	int c, fd;

	while ((c = getopt(argc, argv, "d:s:p:n:g:c:r:l:S:P:")) != -1) {
		switch (c) {
		case 'd': if (inet_pton(AF_INET, optarg, &o.dst) != 1) usage(); break;
		case 's': if (inet_pton(AF_INET, optarg, &o.src) != 1) usage(); break;
		case 'p': if (parse_slots(optarg, &o)) usage(); break;
		case 'n': o.nsrc = strtoul(optarg, NULL, 0); break;
		case 'g': o.ngw = strtoul(optarg, NULL, 0); break;
		case 'c': o.count = strtoul(optarg, NULL, 0); break;
		case 'r': o.rate = strtoul(optarg, NULL, 0); break;
		case 'l': o.len = strtoul(optarg, NULL, 0); break;
		case 'S': o.size = strtoul(optarg, NULL, 0); break;
		case 'P': o.port = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (!o.dst.s_addr || !o.nslots || !o.nsrc || !o.ngw || o.len > 1400)
		usage();
	if (!o.size)
		o.size = o.nslots;
	if (o.size < o.nslots || o.size > MTF_MAX_SLOTS)
		usage();

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	sin.sin_addr = o.dst;
	t0 = now();
	for (i = 0; i < o.count; i++) {
		size_t len = build(&o, i, buf);

		/* Pace against the start time so that jitter does not add up. */
		while (o.rate && (t = now() - t0) < (double)i / o.rate)
			if ((double)i / o.rate - t > 0.0002)
				usleep(100);
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
		    errno != ENOBUFS) {
			perror("sendto");
			return 1;
		}
	}
	printf("sent %lu packets in %.3f seconds\n", o.count, now() - t0);
	return 0;
}
