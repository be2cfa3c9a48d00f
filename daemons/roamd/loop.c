// SPDX-License-Identifier: GPL-2.0
/*
 * roamd's event loop: one epoll over signals, a CLOCK_REALTIME timer set
 * to the next thing that must happen (a roam, a pre-start, the end of a
 * transition window, ...), the authd session and the gate's events.
 * Every wake-up runs tick(), which looks at the clock and the schedule
 * and does whatever is due; so a late wake-up only delays, never skips.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/roam.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "roamd.h"

#define BACKOFF_MIN_MS	250
#define BACKOFF_MAX_MS	8000
#define TICK_MAX_MS	1000

uint64_t roamd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void watch(struct roamd *r, int fd, uint64_t src, bool add)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = src };

	epoll_ctl(r->epfd, add ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, fd, &ev);
}

/*
 * When to try authd again: the backoff, doubled each time up to its
 * maximum, with +-50 % jitter so that the roamds of a pool (and every
 * client) do not come back in step after an outage.
 */
static void retry_later(struct roamd *r, uint64_t now)
{
	uint32_t b = r->backoff_ms;

	r->reconnect_at = now + b / 2 + (uint32_t)random() % (b + 1);
	r->backoff_ms = b * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : b * 2;
}

/*
 * (Re)subscribe, on the worker thread: the loop goes on switching the
 * gate meanwhile.  The old session, if any, stays as the schedule we know
 * until the new one is ready, so a lost authd never stops the roaming.
 */
static void start_connect(struct roamd *r, uint64_t now)
{
	struct job *j;

	if (r->connecting)
		return;
	j = calloc(1, sizeof(*j));
	if (!j) {
		retry_later(r, now);
		return;
	}
	j->kind = JOB_CONNECT;
	if (worker_submit(r, j)) {
		retry_later(r, now);
		return;
	}
	r->connecting = true;
}

static void on_connected(struct roamd *r, struct job *j, uint64_t now)
{
	r->connecting = false;
	if (j->ret == -EINVAL) {
		/* Our own CA, certificate or key is unusable: no retry fixes that. */
		log_err("%s", j->err);
		r->fatal = j->ret;
		r->stop = true;
		return;
	}
	if (j->ret) {
		log_err("cannot subscribe to authd: %s (retry in about %u ms)", j->err,
			r->backoff_ms);
		retry_later(r, now);
		return;
	}
	watch(r, roam_client_fd(j->client), SRC_AUTHD, true);
	log_info("subscribed to authd at %s:%s", r->cfg.client.host, r->cfg.client.port);
	if (!r->client) {
		r->client = j->client;
		r->reconnect_at = 0;
	} else {
		r->fresh = j->client;
	}
	j->client = NULL;
}

static bool session_alive(const struct roamd *r)
{
	return r->client && !r->reconnect_at;
}

static int ipv4_pool(const struct roamd *r, uint32_t *pool)
{
	const struct roam_sched_params *p = roam_client_params(r->client);
	const struct roam_addr *a = roam_client_pool(r->client);
	int n = 0;

	for (uint32_t i = 0; i < p->nservers; i++) {
		if (a[i].family == 4)
			memcpy(&pool[n++], a[i].addr, 4);
		else
			log_warn("pool server %u is IPv6: the gate guards IPv4 only", i);
	}
	return n;
}

/* Once the pool is known: who we are, and the gate's fixed part. */
static int first_setup(struct roamd *r)
{
	const struct roam_sched_params *p = roam_client_params(r->client);
	const struct roam_addr *a = roam_client_pool(r->client);
	uint32_t pool[ROAM_POOL_MAX], ports[ROAMD_PORTS_MAX];
	unsigned int nports = 0;
	struct roam_addr self;
	char s[64];
	int npool;

	r->self = -1;
	if (r->cfg.self) {
		roam_addr_parse(r->cfg.self, &self);
		for (uint32_t i = 0; i < p->nservers; i++)
			if (a[i].family == self.family && a[i].port == self.port &&
			    !memcmp(a[i].addr, self.addr, 16))
				r->self = (int)i;
		if (r->self < 0) {
			log_err("--self %s is not in the pool authd announced", r->cfg.self);
			for (uint32_t i = 0; i < p->nservers; i++) {
				roam_addr_format(&a[i], s, sizeof(s));
				log_err("  pool server %u: %s", i, s);
			}
			return -EINVAL;
		}
	}
	log_info("pool of %u servers; this is %s%s", p->nservers,
		 r->self >= 0 ? "server " : "the gate only", r->self >= 0 ? r->cfg.self : "");
	r->pool_set = true;
	migrate_set_pool(r);
	if (!r->gate)
		return 0;
	npool = ipv4_pool(r, pool);
	if (r->cfg.ports_given) {
		memcpy(ports, r->cfg.ports, sizeof(ports));
		nports = r->cfg.nports;
	} else {
		/* The service's TCP ports, and UDP floods on any port. */
		for (uint32_t i = 0; i < p->nservers && nports < ROAMD_PORTS_MAX - 1; i++) {
			uint32_t v = (uint32_t)IPPROTO_TCP << 16 | a[i].port;
			bool dup = false;

			for (unsigned int k = 0; k < nports; k++)
				dup |= ports[k] == v;
			if (!dup)
				ports[nports++] = v;
		}
		ports[nports++] = (uint32_t)IPPROTO_UDP << 16;
	}
	if (gate_setup(r->gate, pool, (unsigned int)npool, ports, nports, r->cfg.window_ms,
		       r->cfg.attack_pps)) {
		log_err("%s", gate_error(r->gate));
		return -EIO;
	}
	for (unsigned int i = 0; i < r->cfg.ncontracts; i++) {
		const struct contract *c = &r->cfg.contracts[i];

		if (gate_client_set(r->gate, c->addr, ROAM_CLIENT_ALLOWED, c->pps, c->bps))
			log_err("contract of %s: %s", c->name, gate_error(r->gate));
	}
	log_info("gate set: %d pool addresses, %u port rules, window %u ms, attack signal at %u pps, %u contracts",
		 npool, nports, r->cfg.window_ms, r->cfg.attack_pps, r->cfg.ncontracts);
	return 0;
}

void roamd_status(const struct roamd *r)
{
	char rev[800] = "", ho[512];

	if (r->rev_received || r->rev_errors)
		snprintf(rev, sizeof(rev), "; revocations %" PRIu64 ", gate blocks %" PRIu64
			 ", errors %" PRIu64, r->rev_received, r->rev_blocked, r->rev_errors);
	migrate_status(r, ho, sizeof(ho));
	strncat(rev, ho, sizeof(rev) - strlen(rev) - 1);
	if (r->applied_epoch)
		sd_notifyf(0, "STATUS=epoch %" PRIu64 ": server %u (%s) active%s",
			   r->applied_epoch, r->applied_server, r->applied_addr, rev);
	else
		sd_notifyf(0, "STATUS=waiting for the schedule from authd%s", rev);
}

/* The roam: switch the gate, move the service. */
static void apply(struct roamd *r, const struct roam_epoch *e, uint64_t now)
{
	const struct roam_addr *a = &roam_client_pool(r->client)[e->server];
	uint32_t addr = 0;
	char s[64];

	roam_addr_format(a, s, sizeof(s));
	if (a->family == 4)
		memcpy(&addr, a->addr, 4);
	if (r->gate && gate_activate(r->gate, addr, e->index))
		log_err("%s", gate_error(r->gate));
	log_info("epoch %" PRIu64 ": server %u (%s) is active%s (%+" PRId64 " ms)", e->index,
		 e->server, s, (int)e->server == r->self ? ", this server" : "",
		 (int64_t)(now - e->start_ms));
	if (r->applied_epoch)
		policy_on_roam(r);
	/* Roaming away from this server: its live connections go along. */
	if (r->self >= 0 && r->applied_epoch && (int)r->applied_server == r->self &&
	    (int)e->server != r->self)
		migrate_roam_away(r, e->server);
	r->applied_epoch = e->index;
	r->applied_server = e->server;
	snprintf(r->applied_addr, sizeof(r->applied_addr), "%s", s);
	roamd_status(r);
	if (r->self < 0)
		return;
	if ((int)e->server == r->self)
		service_ensure(r, now, "this server is active");
	else
		service_stop_later(r, now + r->cfg.window_ms);
}

/* Everything that is due at `now`; returns when to look again. */
static uint64_t tick(struct roamd *r, uint64_t now)
{
	uint64_t next = now + TICK_MAX_MS, end = 0;
	struct roam_epoch e, n;
	int ret;

	if (r->client && roam_client_ready(r->client)) {
		if (!r->pool_set && first_setup(r)) {
			r->fatal = -EINVAL;
			r->stop = true;
			return now;
		}
		ret = roam_client_epoch(r->client, now, &e, &end);
		if (ret == -ESTALE && r->stale_warned != e.index) {
			log_warn("no key yet for the end of epoch %" PRIu64
				 " (authd unreachable?): server %u stays active", e.index, e.server);
			r->stale_warned = e.index;
		}
		if ((!ret || ret == -ESTALE) && e.index != r->applied_epoch)
			apply(r, &e, now);
		if (!ret && end) {
			next = end < next ? end : next;
			/* Start the next server's service a little early. */
			if (r->self >= 0 && !roam_client_epoch(r->client, end, &n, &(uint64_t){ 0 }) &&
			    (int)n.server == r->self) {
				if (now + r->cfg.prestart_ms >= end)
					service_ensure(r, now, "this server is next");
				else if (end - r->cfg.prestart_ms < next)
					next = end - r->cfg.prestart_ms;
			}
		}
		if ((!ret || ret == -ESTALE) && (int)e.server == r->self)
			service_ensure(r, now, "this server is active");
	}
	service_tick(r, now);
	policy_tick(r, now);
	revwatch_tick(r, now);
	{
		const uint64_t due[] = { r->svc_stop_at, r->svc_kill_at,
					 r->svc_pid ? 0 : r->svc_restart_at,
					 policy_next(r), r->reconnect_at, revwatch_next(r) };

		for (size_t i = 0; i < sizeof(due) / sizeof(due[0]); i++)
			if (due[i] > now && due[i] < next)
				next = due[i];
	}
	return next;
}

static void arm(struct roamd *r, uint64_t when)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(when / 1000),
			      .tv_nsec = (long)(when % 1000) * 1000000 },
	};

	/* Cancelled (EINTR/ECANCELED on read) if the clock is set. */
	timerfd_settime(r->tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
}

static void on_authd(struct roamd *r, uint64_t now)
{
	int ret = roam_client_poll(r->client, 0);

	if (!ret)
		return;
	log_err("authd session: %s; keeping the schedule I know, resubscribing",
		roam_client_error(r->client));
	watch(r, roam_client_fd(r->client), SRC_AUTHD, false);
	retry_later(r, now);
}

/* Reconnect when due; swap the sessions once the new one has its keys. */
static void reconnect(struct roamd *r, uint64_t now)
{
	if (!r->fresh && r->reconnect_at && now >= r->reconnect_at)
		start_connect(r, now);
	if (!r->fresh)
		return;
	if (roam_client_poll(r->fresh, 0)) {
		log_err("authd session: %s", roam_client_error(r->fresh));
		watch(r, roam_client_fd(r->fresh), SRC_AUTHD, false);
		roam_client_close(r->fresh);
		r->fresh = NULL;
		retry_later(r, now);
		return;
	}
	if (!roam_client_ready(r->fresh) ||
	    roam_client_epoch(r->fresh, now, &(struct roam_epoch){ 0 }, &(uint64_t){ 0 }) == -ERANGE)
		return;
	roam_client_close(r->client);
	r->client = r->fresh;
	r->fresh = NULL;
	r->reconnect_at = 0;
	r->backoff_ms = BACKOFF_MIN_MS;
}

static void on_job(struct roamd *r, struct job *j)
{
	uint64_t now = roamd_now_ms();

	switch (j->kind) {
	case JOB_CONNECT:
		on_connected(r, j, now);
		break;
	case JOB_THREAT_LEASE:
		policy_lease_done(r, j->ret, j->err);
		break;
	case JOB_REVOKE:
		if (j->ret)
			log_err("cannot revoke %s at authd: %s", j->name, j->err);
		break;
	}
}

static void on_gate_event(void *arg, const struct gate_event *e)
{
	struct roamd *r = arg;

	if (e->cmd == ROAM_CMD_EVENT_CLIENT_VIOLATION)
		policy_on_violation(r, e->addr);
	else if (e->cmd == ROAM_CMD_EVENT_ATTACK)
		policy_on_attack(r, e->drop_rate, roamd_now_ms());
	else if (e->cmd == ROAM_CMD_EVENT_CONN_CONFIRMED)
		migrate_confirmed(r, e);
}

static void on_signal(struct roamd *r, uint64_t now)
{
	struct signalfd_siginfo si;

	while (read(r->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			service_reap(r, now);
			break;
		case SIGHUP: {
			char ho[512];

			migrate_status(r, ho, sizeof(ho));
			log_info("epoch %" PRIu64 ", server %u active, service %s, threat raised: %s, "
				 "revocations %" PRIu64 " (watching: %s), gate blocks %" PRIu64
				 ", errors %" PRIu64 "%s",
				 r->applied_epoch, r->applied_server,
				 r->svc_pid ? "running" : "stopped", r->threat_raised ? "yes" : "no",
				 r->rev_received, r->rw.synced ? "yes" : "no", r->rev_blocked,
				 r->rev_errors, ho);
			break;
		}
		default:
			log_info("signal %u: shutting down", si.ssi_signo);
			r->stop = true;
		}
	}
}

static int setup(struct roamd *r)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	r->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	r->tfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->sigfd < 0 || r->tfd < 0 || r->epfd < 0)
		return -errno;
	watch(r, r->sigfd, SRC_SIG, true);
	watch(r, r->tfd, SRC_TIMER, true);
	if (r->gate)
		watch(r, gate_event_fd(r->gate), SRC_GATE, true);
	/* After the mask: the thread inherits it, signals stay ours. */
	if (worker_start(r))
		return -errno ? -errno : -ENOMEM;
	watch(r, worker_fd(r), SRC_WORKER, true);
	if (migrate_done_fd(r) >= 0)
		watch(r, migrate_done_fd(r), SRC_MIGRATE, true);
	srandom((unsigned int)(getpid() ^ roamd_now_ms()));
	return 0;
}

int roamd_run(struct roamd *r)
{
	struct epoll_event evs[8];
	uint64_t now = roamd_now_ms(), t;
	int n, ret;

	ret = setup(r);
	if (ret)
		return ret;
	r->backoff_ms = BACKOFF_MIN_MS;
	/* The first session: nothing to do until it gives us the schedule. */
	r->reconnect_at = now;
	/*
	 * Ready once the gate and the loop are set up: the schedule comes
	 * later, from authd, and is not waited for (authd may be down).
	 */
	sd_notify(0, "READY=1\nSTATUS=waiting for the schedule from authd");
	while (!r->stop) {
		now = roamd_now_ms();
		if (!r->client && r->reconnect_at && now >= r->reconnect_at) {
			start_connect(r, now);
		} else if (r->client) {
			reconnect(r, now);
		}
		arm(r, tick(r, now));
		if (r->stop)
			break;
		n = epoll_wait(r->epfd, evs, 8, -1);
		if (n < 0 && errno != EINTR)
			return -errno;
		now = roamd_now_ms();
		for (int i = 0; i < n; i++) {
			switch (evs[i].data.u64) {
			case SRC_SIG:
				on_signal(r, now);
				break;
			case SRC_TIMER:
				while (read(r->tfd, &t, sizeof(t)) > 0)
					;
				break;
			case SRC_AUTHD:
				if (session_alive(r))
					on_authd(r, now);
				break;
			case SRC_GATE:
				if (gate_events(r->gate, on_gate_event, r))
					log_warn("%s", gate_error(r->gate));
				break;
			case SRC_WORKER:
				worker_results(r, on_job);
				break;
			case SRC_REVWATCH:
				revwatch_event(r, now);
				break;
			case SRC_MIGRATE:
				migrate_done(r);
				break;
			}
		}
	}
	sd_notify(0, "STOPPING=1");
	revwatch_stop(r);
	worker_stop(r);
	return r->fatal;
}
