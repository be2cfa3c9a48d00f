// SPDX-License-Identifier: GPL-2.0
/*
 * roamd's side of the live handoff (handoff.h, Documentation/roamd.8.md
 * "LIVE HANDOFF"): the service's handoff socket, the channel's listener,
 * and a thread that runs one handoff at a time, out (at a roam away from
 * this server) or in (a session accepted on the listener).  Handoffs
 * block for up to --handoff-timeout-ms, so they stay off the event loop,
 * which must switch the gate on time whatever a peer does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "hoxfer.h"
#include "log.h"
#include "roamd.h"

struct migrate {
	struct ho *ho;
	int lfd, evfd;
	int donefd;			/* to the loop: a handoff ended (status) */
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	bool quit, pending;
	bool out_busy;			/* a handoff out is pending or running */
	struct sockaddr_in peer;	/* where the pending handoff goes */
	/* Who may connect to the channel: the other servers' channel
	 * addresses, once the pool is known (before: anyone with the key). */
	bool pool_known;
	struct in_addr allowed[ROAM_POOL_MAX];
	unsigned int nallowed;
	uint64_t strangers;
	/* Moved connections here whose client answered (event loop only). */
	uint64_t confirmed, stall_last_us, stall_max_us;
};

/* A connection from an address that is no pool server's channel: the
 * handshake would fail anyway, but would hold the thread meanwhile. */
static bool from_peer(struct migrate *m, int fd)
{
	struct sockaddr_in sin;
	socklen_t l = sizeof(sin);
	bool ok;

	if (getpeername(fd, (struct sockaddr *)&sin, &l) || sin.sin_family != AF_INET)
		return false;
	pthread_mutex_lock(&m->lock);
	ok = !m->pool_known;
	for (unsigned int i = 0; i < m->nallowed && !ok; i++)
		ok = m->allowed[i].s_addr == sin.sin_addr.s_addr;
	if (!ok)
		m->strangers++;
	pthread_mutex_unlock(&m->lock);
	return ok;
}

static void sin_of(const struct roam_addr *a, struct sockaddr_in *sin)
{
	*sin = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(a->port) };
	memcpy(&sin->sin_addr, a->addr, 4);
}

static void *thread_main(void *arg)
{
	struct migrate *m = arg;
	struct pollfd p[2] = { { .fd = m->evfd, .events = POLLIN },
			       { .fd = m->lfd, .events = POLLIN } };
	struct sockaddr_in peer;
	uint64_t v;
	bool go;
	int fd;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		pthread_mutex_lock(&m->lock);
		if (m->quit) {
			pthread_mutex_unlock(&m->lock);
			break;
		}
		go = m->pending;
		m->pending = false;
		peer = m->peer;
		pthread_mutex_unlock(&m->lock);
		if (p[0].revents & POLLIN)
			while (read(m->evfd, &v, sizeof(v)) > 0)
				;
		/*
		 * A peer's session before our own: one thread each, so two
		 * roamds going out to each other (a handoff that outlasted an
		 * epoch, two servers taking turns) would each wait for the
		 * other until the timeout, and again at every later roam.
		 */
		if (p[1].revents & POLLIN) {
			fd = accept4(m->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			if (fd >= 0 && !from_peer(m, fd)) {
				close(fd);
			} else if (fd >= 0) {
				ho_serve(m->ho, fd);
				write(m->donefd, &(uint64_t){ 1 }, sizeof(uint64_t));
			}
		}
		if (go) {
			ho_move_out(m->ho, (struct sockaddr *)&peer, sizeof(peer));
			pthread_mutex_lock(&m->lock);
			m->out_busy = m->pending;
			pthread_mutex_unlock(&m->lock);
			write(m->donefd, &(uint64_t){ 1 }, sizeof(uint64_t));
		}
	}
	return NULL;
}

static int listen_on(const char *spec, int *out)
{
	struct roam_addr a;
	struct sockaddr_in sin;
	int fd;

	if (roam_addr_parse(spec, &a) || a.family != 4)
		return -EINVAL;
	sin_of(&a, &sin);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &(int){ 1 }, sizeof(int));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 8)) {
		int e = -errno;

		close(fd);
		return e;
	}
	*out = fd;
	return 0;
}

int migrate_start(struct roamd *r)
{
	const struct roamd_config *c = &r->cfg;
	/* roam.ko's table unless --no-gate or the test mode, which has none. */
	struct ho_cfg hc = { .kernel = r->gate && !c->ho_test, .timeout_ms = c->ho_timeout_ms,
			     .max_conns = c->ho_max_conns,
			     .assume_negotiated = c->ho_test, .same_addr = c->ho_test };
	struct roam_addr self;
	sigset_t all, old;
	struct migrate *m;
	char err[512];
	int ret;

	if (!c->migrate_key)
		return 0;
	ret = ho_key_load(c->migrate_key, hc.kmig, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	if (!roam_addr_parse(c->ho_listen, &self) && self.family == 4 &&
	    memcmp(self.addr, "\0\0\0\0", 4)) {
		hc.src.sin_family = AF_INET;
		memcpy(&hc.src.sin_addr, self.addr, 4);
	}
	if (!roam_addr_parse(c->self, &self) && self.family == 4) {
		hc.self.family = AF_INET;
		memcpy(hc.self.addr, self.addr, 4);
		/* Under test the original port comes along (see same_addr). */
		hc.service_port = c->ho_test ? 0 : self.port;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->lfd = m->evfd = m->donefd = -1;
	pthread_mutex_init(&m->lock, NULL);
	r->mig = m;
	ret = ho_new(&m->ho, &hc, err, sizeof(err));
	OPENSSL_cleanse(hc.kmig, sizeof(hc.kmig));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	ret = listen_on(c->ho_listen, &m->lfd);
	if (ret) {
		log_err("cannot listen for handoffs on %s: %s", c->ho_listen, strerror(-ret));
		return ret;
	}
	m->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	m->donefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (m->evfd < 0 || m->donefd < 0)
		return -errno;
	/* Signals stay the event loop's (signalfd): none for this thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&m->thread, NULL, thread_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	m->started = true;
	log_info("live handoff on: channel on %s, at most %u connections, %u ms%s", c->ho_listen,
		 c->ho_max_conns, c->ho_timeout_ms,
		 c->ho_test ? " (test mode: no roam.ko, restores at the original address)" : "");
	return 0;
}

void migrate_stop(struct roamd *r)
{
	struct migrate *m = r->mig;

	if (!m)
		return;
	if (m->started) {
		pthread_mutex_lock(&m->lock);
		m->quit = true;
		pthread_mutex_unlock(&m->lock);
		write(m->evfd, &(uint64_t){ 1 }, sizeof(uint64_t));
		pthread_join(m->thread, NULL);
	}
	ho_free(m->ho);
	if (m->lfd >= 0)
		close(m->lfd);
	if (m->evfd >= 0)
		close(m->evfd);
	if (m->donefd >= 0)
		close(m->donefd);
	pthread_mutex_destroy(&m->lock);
	free(m);
	r->mig = NULL;
}

int migrate_service_socket(struct roamd *r, int *child)
{
	int sv[2];

	*child = -1;
	if (!r->mig)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	ho_set_service(r->mig->ho, sv[0]);
	*child = sv[1];
	return 0;
}

void migrate_service_gone(struct roamd *r)
{
	if (r->mig)
		ho_set_service(r->mig->ho, -1);
}

/* The channel address of pool server idx: --handoff-peer, else its pool
 * address with our own channel port. */
static int peer_of(const struct roamd *r, uint32_t idx, struct sockaddr_in *sin)
{
	const struct roam_addr *a = &roam_client_pool(r->client)[idx];
	struct roam_addr own;

	if (a->family != 4)
		return -EAFNOSUPPORT;
	for (unsigned int i = 0; i < r->cfg.ho_npeers; i++)
		if (!memcmp(r->cfg.ho_peers[i].server.addr, a->addr, 4) &&
		    r->cfg.ho_peers[i].server.port == a->port) {
			sin_of(&r->cfg.ho_peers[i].channel, sin);
			return 0;
		}
	roam_addr_parse(r->cfg.ho_listen, &own);
	sin_of(a, sin);
	sin->sin_port = htons(own.port);
	return 0;
}

void migrate_roam_away(struct roamd *r, uint32_t to)
{
	struct migrate *m = r->mig;
	struct sockaddr_in sin;

	if (!m || !r->svc_pid || peer_of(r, to, &sin))
		return;
	pthread_mutex_lock(&m->lock);
	m->peer = sin;
	m->pending = true;
	m->out_busy = true;
	pthread_mutex_unlock(&m->lock);
	write(m->evfd, &(uint64_t){ 1 }, sizeof(uint64_t));
}

bool migrate_out_busy(const struct roamd *r)
{
	bool busy;

	if (!r->mig)
		return false;
	pthread_mutex_lock(&r->mig->lock);
	busy = r->mig->out_busy;
	pthread_mutex_unlock(&r->mig->lock);
	return busy;
}

int migrate_done_fd(const struct roamd *r)
{
	return r->mig ? r->mig->donefd : -1;
}

void migrate_done(struct roamd *r)
{
	uint64_t v;

	while (r->mig && read(r->mig->donefd, &v, sizeof(v)) > 0)
		;
	roamd_status(r);
}

void migrate_set_pool(struct roamd *r)
{
	struct migrate *m = r->mig;
	const struct roam_sched_params *p;
	struct sockaddr_in sin;

	if (!m)
		return;
	p = roam_client_params(r->client);
	pthread_mutex_lock(&m->lock);
	m->nallowed = 0;
	for (uint32_t i = 0; i < p->nservers && i < ROAM_POOL_MAX; i++)
		if ((int)i != r->self && !peer_of(r, i, &sin))
			m->allowed[m->nallowed++] = sin.sin_addr;
	m->pool_known = true;
	pthread_mutex_unlock(&m->lock);
}

void migrate_confirmed(struct roamd *r, const struct gate_event *e)
{
	struct migrate *m = r->mig;
	char a[INET_ADDRSTRLEN];

	if (!m)
		return;
	m->confirmed++;
	m->stall_last_us = e->stall_ns / 1000;
	if (m->stall_last_us > m->stall_max_us)
		m->stall_max_us = m->stall_last_us;
	inet_ntop(AF_INET, &e->raddr, a, sizeof(a));
	log_info("handoff: %s:%u answered its moved connection %" PRIu64 ".%03" PRIu64
		 " ms after the restore", a, e->rport, m->stall_last_us / 1000,
		 m->stall_last_us % 1000);
}

void migrate_status(const struct roamd *r, char *buf, size_t len)
{
	struct ho_stats s;
	uint64_t strangers;
	int n;

	buf[0] = 0;
	if (!r->mig)
		return;
	ho_get_stats(r->mig->ho, &s);
	pthread_mutex_lock(&r->mig->lock);
	strangers = r->mig->strangers;
	pthread_mutex_unlock(&r->mig->lock);
	snprintf(buf, len, "; handoffs out %" PRIu64 " (failed %" PRIu64 "): moved %" PRIu64
		 ", kept %" PRIu64 ", lost %" PRIu64 ", last %" PRIu64 " ms; in %" PRIu64
		 " (refused %" PRIu64 "): adopted %" PRIu64 ", failed %" PRIu64,
		 s.out_sessions, s.out_failed, s.moved, s.kept, s.lost, s.last_ms, s.in_sessions,
		 s.in_refused, s.adopted, s.in_failed);
	n = (int)strlen(buf);
	if (strangers && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", not from a peer %" PRIu64, strangers);
	n = (int)strlen(buf);
	if (r->mig->confirmed && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", confirmed %" PRIu64 " (stall last %" PRIu64
			 " us, max %" PRIu64 " us)", r->mig->confirmed, r->mig->stall_last_us,
			 r->mig->stall_max_us);
}

int migrate_peer_parse(const char *s, struct ho_peer *p)
{
	char a[128];
	const char *eq = strchr(s, '=');

	if (!eq || (size_t)(eq - s) >= sizeof(a))
		return -EINVAL;
	memcpy(a, s, (size_t)(eq - s));
	a[eq - s] = 0;
	if (roam_addr_parse(a, &p->server) || roam_addr_parse(eq + 1, &p->channel) ||
	    p->server.family != 4 || p->channel.family != 4)
		return -EINVAL;
	return 0;
}
