// SPDX-License-Identifier: GPL-2.0
/*
 * Subscription-rate load for authd: W worker processes each open N/W
 * sessions one after another (TLS 1.3 handshake with a client certificate,
 * SUBSCRIBE, wait for PARAMS and KEYS), keep them all open, then wait for
 * one key push to reach every session.  Prints subscriptions per second.
 *
 *   authd-bench HOST PORT CA CERT KEY SESSIONS WORKERS
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long epochs;

static void on_epoch(void *arg, const struct roam_epoch *e, uint64_t end, int level)
{
	(void)arg; (void)e; (void)end; (void)level;
	epochs++;
}

static int worker(struct roam_client_cfg *cfg, int n, int wfd)
{
	struct roam_client **c = calloc((size_t)n, sizeof(*c));
	unsigned long before;
	char err[512];
	double t0 = now_s(), t1;
	int ok = 0;

	for (int i = 0; i < n; i++) {
		if (roam_client_open(&c[i], cfg, err, sizeof(err))) {
			fprintf(stderr, "session %d: %s\n", i, err);
			break;
		}
		while (!roam_client_ready(c[i]))
			if (roam_client_poll(c[i], 1000)) {
				fprintf(stderr, "session %d: %s\n", i, roam_client_error(c[i]));
				goto done;
			}
		ok++;
	}
done:
	t1 = now_s();
	/* Every open session must see the next push (one more epoch each). */
	before = epochs;
	for (double end = now_s() + 15; epochs < before + (unsigned long)ok && now_s() < end;)
		for (int i = 0; i < ok; i++)
			roam_client_poll(c[i], 0);
	dprintf(wfd, "%d %.6f %lu\n", ok, t1 - t0, epochs - before);
	return ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct roam_client_cfg cfg = { .timeout_ms = 10000, .on_epoch = on_epoch };
	int sessions, workers, pfd[2], total = 0, rc = 0;
	unsigned long pushed = 0;
	double t0, t1, worst = 0;
	struct rlimit rl;
	FILE *f;

	if (argc != 8) {
		fprintf(stderr, "usage: authd-bench HOST PORT CA CERT KEY SESSIONS WORKERS\n");
		return 2;
	}
	cfg.host = argv[1];
	cfg.port = argv[2];
	cfg.ca_file = argv[3];
	cfg.cert_file = argv[4];
	cfg.key_file = argv[5];
	sessions = atoi(argv[6]);
	workers = atoi(argv[7]);
	if (sessions < 1 || workers < 1)
		return 2;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (pipe(pfd))
		return 1;
	t0 = now_s();
	for (int w = 0; w < workers; w++)
		if (!fork()) {
			close(pfd[0]);
			exit(worker(&cfg, sessions / workers + (w < sessions % workers), pfd[1]));
		}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	for (int w = 0; w < workers; w++) {
		int ok;
		double dt;
		unsigned long ep;

		if (fscanf(f, "%d %lf %lu", &ok, &dt, &ep) != 3)
			break;
		total += ok;
		pushed += ep;
		if (dt > worst)
			worst = dt;
	}
	t1 = now_s();
	while (wait(&rc) > 0)
		;
	printf("sessions %d/%d subscribed in %.2f s: %.0f subscriptions/s; "
	       "%lu epoch pushes seen while all were open (%.1f s total)\n",
	       total, sessions, worst, total / worst, pushed, t1 - t0);
	return total == sessions ? 0 : 1;
}
