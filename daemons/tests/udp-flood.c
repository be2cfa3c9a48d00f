// SPDX-License-Identifier: GPL-2.0
/*
 * roam-udp-flood ADDR PORT PPS BYTES SECONDS: the paper's CBR attacker,
 * for the selftests.  Sends UDP datagrams of BYTES payload at PPS to
 * ADDR:PORT for SECONDS, paced by absolute deadlines so a slow emulated
 * CPU sends late rather than in bursts.  Prints "sent N".  Exit 0, 1 on a
 * socket error, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int num(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || end == s || *end || *s == '-' || *v > max || !*v ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	unsigned long port, pps, bytes, secs, sent = 0;
	static char payload[65000];
	struct timespec next;
	uint64_t step_ns, total;
	int fd;

	if (argc != 6 || inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1 ||
	    num(argv[2], 65535, &port) || num(argv[3], 10000000, &pps) ||
	    num(argv[4], sizeof(payload), &bytes) || num(argv[5], 86400, &secs)) {
		fprintf(stderr, "usage: roam-udp-flood ADDR PORT PPS BYTES SECONDS\n");
		return 2;
	}
	sin.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("roam-udp-flood: socket");
		return 1;
	}
	memset(payload, 'x', bytes);
	step_ns = 1000000000ULL / pps;
	total = (uint64_t)pps * secs;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (uint64_t i = 0; i < total; i++) {
		/* Errors (ENOBUFS, ECONNREFUSED from ICMP) do not stop a flood. */
		if (sendto(fd, payload, bytes, 0, (struct sockaddr *)&sin, sizeof(sin)) >= 0)
			sent++;
		next.tv_nsec += (long)step_ns;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	printf("sent %lu\n", sent);
	close(fd);
	return 0;
}
