// SPDX-License-Identifier: GPL-2.0
/*
 * mtfd: configuration, the event loop, teardown.  Exit 0 on SIGTERM or
 * SIGINT, 1 on a runtime error, 2 on bad usage or configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <openssl/crypto.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "secfile.h"

/* Timers are table scans on this tick: every table is bounded. */
#define TICK_MS		10

int mtfd_sockets_open(struct mtfd *d);
void mtfd_udp_rx(struct mtfd *d);
void mtfd_raw_rx(struct mtfd *d, int fd);

static void usage(FILE *f)
{
	fprintf(f,
"usage: mtfd [-c FILE] [-v | -q] [--check]\n"
"  -c, --config FILE   configuration [" MTFD_CONF "]\n"
"  --check             load and check the configuration, then exit\n"
"  -v, --verbose / -q, --quiet\n"
"Roles, addresses, timers and limits come from the configuration\n"
"(Documentation/mtfd.md).\n");
}

static int read_secret(struct mtfd *d)
{
	char err[256], *data = NULL;
	size_t len = 0;
	int ret;

	ret = roam_file_read(d->cfg.secret_file, true, &data, &len, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	if (len < 32) {
		log_err("%s: a secret has at least 32 bytes", d->cfg.secret_file);
		roam_file_free(data, len);
		return -EINVAL;
	}
	d->secret_len = len < sizeof(d->secret) ? len : sizeof(d->secret);
	memcpy(d->secret, data, d->secret_len);
	roam_file_free(data, len);
	return 0;
}

static int add_fd(struct mtfd *d, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	if (fd < 0)
		return 0;
	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static void notify_status(struct mtfd *d)
{
	sd_notifyf(0, "STATUS=requests %llu acked %llu; gateway %llu handshakes %llu confirmed %llu; filters %llu disconnected %llu; bad %llu limited %llu",
		   (unsigned long long)d->stats[ST_REQ_SENT],
		   (unsigned long long)d->stats[ST_REQ_ACKED],
		   (unsigned long long)d->stats[ST_GW_REQUESTS],
		   (unsigned long long)d->stats[ST_GW_HS_SENT],
		   (unsigned long long)d->stats[ST_GW_CONFIRMED],
		   (unsigned long long)d->stats[ST_AG_FILTERS],
		   (unsigned long long)d->stats[ST_AG_DISCONNECTED],
		   (unsigned long long)d->stats[ST_RX_BAD],
		   (unsigned long long)d->stats[ST_RX_LIMITED]);
}

static int loop(struct mtfd *d)
{
	struct itimerspec its = { .it_interval.tv_nsec = TICK_MS * 1000000L,
				  .it_value.tv_nsec = TICK_MS * 1000000L };
	struct epoll_event evs[16];
	uint64_t now, last_status = 0, ticks;
	int n, fd;

	if (timerfd_settime(d->tfd, 0, &its, NULL) < 0)
		return -errno;
	sd_notify(0, "READY=1");
	log_info("ready: roles%s%s%s, port %u",
		 d->cfg.roles & MTFD_ROLE_VICTIM ? " victim" : "",
		 d->cfg.roles & MTFD_ROLE_GATEWAY ? " gateway" : "",
		 d->cfg.roles & MTFD_ROLE_HOST ? " host" : "", d->cfg.port);
	while (!d->stopping) {
		n = epoll_wait(d->epfd, evs, 16, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == d->udp) {
				mtfd_udp_rx(d);
			} else if (fd == d->raw_udp || fd == d->raw_mtf) {
				mtfd_raw_rx(d, fd);
			} else if (fd == d->admin) {
				admin_accept(d);
			} else if (d->kern && fd == kern_events_fd(d->kern)) {
				victim_events(d);
			} else if (fd == d->sigfd) {
				struct signalfd_siginfo si;

				if (read(d->sigfd, &si, sizeof(si)) == sizeof(si))
					d->stopping = true;
			} else if (fd == d->tfd) {
				if (read(d->tfd, &ticks, sizeof(ticks)) < 0)
					continue;
				now = mtfd_now_ms();
				if (d->cfg.roles & MTFD_ROLE_VICTIM)
					victim_tick(d, now);
				if (d->cfg.roles & MTFD_ROLE_GATEWAY)
					gateway_tick(d, now);
				if (now - last_status >= 1000) {
					notify_status(d);
					last_status = now;
				}
			}
		}
	}
	sd_notify(0, "STOPPING=1");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = MTFD_CONF;
	struct mtfd d = { .udp = -1, .ra_tx = -1, .raw_udp = -1, .raw_mtf = -1,
			  .raw_tx = -1, .tfd = -1, .admin = -1, .sigfd = -1, .epfd = -1 };
	bool check = false;
	int verbose = 0, c, ret;
	char err[512];
	sigset_t mask;

	roam_log_prog = "mtfd";
	while ((c = getopt_long(argc, argv, "c:vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'C':
			check = true;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'q':
			verbose = -1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	mtfd_config_defaults(&d.cfg);
	if (mtfd_config_load(&d.cfg, conf, err, sizeof(err))) {
		fprintf(stderr, "mtfd: %s\n", err);
		return 2;
	}
	roam_log_level = verbose > 0 ? ROAM_LOG_DEBUG : verbose < 0 ? ROAM_LOG_WARN
								    : d.cfg.log_level;
	if ((d.cfg.roles & MTFD_ROLE_GATEWAY) && read_secret(&d))
		return 2;
	if (check)
		return 0;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = -ENOMEM;
	/* A power of two at least max-peers (core.c's open addressing). */
	d.n_peers = 16;
	while (d.n_peers < d.cfg.max_peers)
		d.n_peers <<= 1;
	d.peers = calloc(d.n_peers, sizeof(*d.peers));
	if (!d.peers)
		goto out;
	if (d.cfg.roles & (MTFD_ROLE_VICTIM | MTFD_ROLE_GATEWAY)) {
		ret = kern_open(&d.kern, d.cfg.roles & MTFD_ROLE_VICTIM);
		if (ret) {
			log_err("%s", kern_error(d.kern));
			goto out;
		}
	}
	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	d.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	d.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d.epfd < 0 || d.tfd < 0 || d.sigfd < 0) {
		ret = -errno;
		log_err("cannot set up the event loop: %s", strerror(errno));
		goto out;
	}
	ret = mtfd_sockets_open(&d);
	if (!ret && (d.cfg.roles & MTFD_ROLE_VICTIM))
		ret = victim_init(&d);
	if (!ret && (d.cfg.roles & MTFD_ROLE_GATEWAY))
		ret = gateway_init(&d);
	if (!ret && (d.cfg.roles & MTFD_ROLE_HOST))
		ret = host_init(&d);
	if (!ret)
		ret = admin_init(&d);
	if (ret)
		goto out;
	if (add_fd(&d, d.udp) || add_fd(&d, d.raw_udp) || add_fd(&d, d.raw_mtf) ||
	    add_fd(&d, d.admin) || add_fd(&d, d.tfd) || add_fd(&d, d.sigfd) ||
	    (d.kern && add_fd(&d, kern_events_fd(d.kern)))) {
		ret = -errno;
		log_err("epoll: %s", strerror(errno));
		goto out;
	}
	if (d.cfg.roles & MTFD_ROLE_VICTIM)
		victim_start(&d);
	ret = loop(&d);
	if (ret)
		log_err("event loop: %s", strerror(-ret));
out:
	admin_fini(&d);
	if (d.cfg.roles & MTFD_ROLE_GATEWAY)
		gateway_fini(&d);
	host_fini(&d);
	free(d.vreqs);
	free(d.peers);
	kern_close(d.kern);
	OPENSSL_cleanse(d.secret, sizeof(d.secret));
	return ret ? 1 : 0;
}
