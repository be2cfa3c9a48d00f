// SPDX-License-Identifier: GPL-2.0
/*
 * udp_spray: send plain UDP packets (no MTF path header) from a raw
 * socket, round-robin over NSRC consecutive (spoofable) source addresses,
 * so that one namespace can play many attack sources behind a real
 * marking router.  Unlike mtf_flood it never writes a path header: the
 * routers on the way insert and fill it.
 *
 *   udp_spray -d DST { -s SRC [-n NSRC] | -f FILE } [-c COUNT] [-r PPS] [-l LEN] [-P PORT] [-F]
 *
 *   -n  sources: packet i comes from SRC + i % NSRC (default 1)
 *   -f  sources listed in FILE, one address a line: packet i comes from
 *       the (i % lines)-th (a random subset of clients, demo/mtf_fp.sh)
 *   -c  packets (default 1; 0: until killed)
 *   -r  packets per second (0: as fast as possible)
 *   -l  UDP payload bytes (default 22: a 50-byte packet, as in the paper)
 *   -F  fragment: DF clear, each datagram sent as IPv4 fragments of at
 *       most 1500 bytes (1480 bytes of data each), as a sender's stack
 *       fragments a datagram larger than the MTU; LEN up to 8000.  A
 *       fragment flood that MTF routers cannot mark.
 *
 * Prints "sent N packets in S seconds" on success (N datagrams; with -F
 * also "(F fragments)").  Needs CAP_NET_RAW.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: udp_spray -d DST { -s SRC [-n NSRC] | -f FILE } [-c COUNT] [-r PPS] [-l LEN] [-P PORT] [-F]\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define FRAG_DATA	1480	/* 1500-byte fragments; a multiple of 8 */
#define SRC_FILE_MAX	65536

/* read_sources: the addresses in @path, one a line; their number, or 0. */
static unsigned int read_sources(const char *path, uint32_t **out)
{
	char line[64], *nl;
	struct in_addr a;
	uint32_t *v;
	unsigned int n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		exit(1);
	}
	v = calloc(SRC_FILE_MAX, sizeof(*v));
	if (!v) {
		perror("calloc");
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!line[0])
			continue;
		if (n == SRC_FILE_MAX || inet_pton(AF_INET, line, &a) != 1) {
			fprintf(stderr, "%s:%u: not an address, or more than %d\n",
				path, n + 1, SRC_FILE_MAX);
			exit(2);
		}
		v[n++] = a.s_addr;
	}
	fclose(f);
	*out = v;
	return n;
}

/*
 * Send the datagram in @buf (IPv4 header, UDP, payload) as fragments.
 * The kernel fills in the IP checksum of raw IP_HDRINCL packets.
 */
static int send_frags(int fd, uint8_t *buf, size_t total,
		      const struct sockaddr_in *sin, unsigned long *nfrags)
{
	struct iphdr *ip = (struct iphdr *)buf, hdr = *ip;
	uint8_t pkt[sizeof(hdr) + FRAG_DATA];
	size_t off, n, data = total - sizeof(hdr);

	for (off = 0; off < data; off += n) {
		n = data - off > FRAG_DATA ? FRAG_DATA : data - off;
		hdr.frag_off = htons((off / 8) | (off + n < data ? IP_MF : 0));
		hdr.tot_len = htons(sizeof(hdr) + n);
		memcpy(pkt, &hdr, sizeof(hdr));
		memcpy(pkt + sizeof(hdr), buf + sizeof(hdr) + off, n);
		if (sendto(fd, pkt, sizeof(hdr) + n, 0,
			   (const struct sockaddr *)sin, sizeof(*sin)) < 0 &&
		    errno != ENOBUFS && errno != EPERM)
			return -1;
		(*nfrags)++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct in_addr dst = { 0 }, src = { 0 };
	unsigned long count = 1, rate = 0, i, nfrags = 0;
	unsigned int nsrc = 1, len = 22, port = 9;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static uint8_t buf[8100];
	int frag = 0, ret;
	uint32_t *srcs = NULL;
	unsigned int nfile = 0;
	struct iphdr *ip = (struct iphdr *)buf;
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	struct sigaction sa = { .sa_handler = on_signal };
	double t0, t;
	int c, fd;

	while ((c = getopt(argc, argv, "d:s:n:f:c:r:l:P:F")) != -1) {
		switch (c) {
		case 'd': if (inet_pton(AF_INET, optarg, &dst) != 1) usage(); break;
		case 's': if (inet_pton(AF_INET, optarg, &src) != 1) usage(); break;
		case 'n': nsrc = strtoul(optarg, NULL, 0); break;
		case 'f': nfile = read_sources(optarg, &srcs); if (!nfile) usage(); break;
		case 'c': count = strtoul(optarg, NULL, 0); break;
		case 'r': rate = strtoul(optarg, NULL, 0); break;
		case 'l': len = strtoul(optarg, NULL, 0); break;
		case 'P': port = strtoul(optarg, NULL, 0); break;
		case 'F': frag = 1; break;
		default: usage();
		}
	}
	if (nfile && !src.s_addr) {
		src.s_addr = srcs[0];
		nsrc = nfile;
	}
	if (!dst.s_addr || !src.s_addr || !nsrc || (nfile && nsrc != nfile) || len > (frag ? 8000 : 1400) ||
	    !port || port > 65535)
		usage();

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(buf, 0, sizeof(buf));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->frag_off = frag ? 0 : htons(IP_DF);
	ip->tot_len = htons(sizeof(*ip) + sizeof(*udp) + len);
	ip->daddr = dst.s_addr;
	udp->dest = htons(port);
	udp->len = htons(sizeof(*udp) + len);	/* checksum 0: none */
	memset(udp + 1, 'x', len);
	sin.sin_addr = dst;

	t0 = now();
	for (i = 0; !stop && (!count || i < count); i++) {
		unsigned int s = i % nsrc;

		ip->saddr = nfile ? srcs[s] : htonl(ntohl(src.s_addr) + s);
		/* Fragments of one datagram share an id; 0 the kernel fills. */
		ip->id = htons(i % 65535 + 1);
		udp->source = htons(10000 + s);
		/*
		 * Pace against the start time so that jitter does not add up,
		 * in bursts of what is due every 5 ms: cheap under emulation.
		 */
		while (rate && !stop && (t = now() - t0) < (double)i / rate)
			usleep(5000);
		if (frag)
			ret = send_frags(fd, buf, sizeof(*ip) + sizeof(*udp) + len,
					 &sin, &nfrags);
		else
			ret = sendto(fd, buf, sizeof(*ip) + sizeof(*udp) + len, 0,
				     (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
			      errno != ENOBUFS && errno != EPERM ? -1 : 0;
		if (ret < 0) {
			perror("sendto");
			return 1;
		}
	}
	if (frag)
		printf("sent %lu packets (%lu fragments) in %.3f seconds\n", i,
		       nfrags, now() - t0);
	else
		printf("sent %lu packets in %.3f seconds\n", i, now() - t0);
	return 0;
}
