// SPDX-License-Identifier: GPL-2.0
/*
 * The TLS front: one epoll loop, nonblocking sockets and OpenSSL objects.
 *
 * A connection goes HANDSHAKE -> WAIT_SUB -> SUBSCRIBED; any failure logs
 * one line naming the peer and the reason and closes it.  Connections
 * closed while events may still be pending are parked on a graveyard
 * list and freed after the batch.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <systemd/sd-daemon.h>

#include "authd.h"
#include "migkey.h"
#include "log.h"

/* Clients only ever send SUBSCRIBE: anything bigger is refused. */
#define AUTHD_IN_MAX	512
#define AUTHD_OUT_MAX	(64 * 1024)
#define CLOSE_GRACE_MS	1000
#define LISTEN_PAUSE_MS	100
#define ACCEPT_BATCH	32

enum conn_state { C_HANDSHAKE, C_WAIT_SUB, C_SUBSCRIBED, C_CLOSING, C_DEAD };

struct conn {
	struct conn *prev, *next;
	struct conn *pa_prev, *pa_next;	/* pre-auth list, while in it */
	bool preauth;
	uint8_t prefix[9];		/* family, then /24 or /64 */
	int fd;
	SSL *ssl;
	enum conn_state state;
	bool shut;			/* CLOSING: our side is done */
	uint32_t events;
	uint64_t deadline;
	struct client *cl;
	char peer[64];
	uint8_t in[AUTHD_IN_MAX];
	size_t in_len;
	uint8_t *out;
	size_t out_len;
};

static char tag_listen, tag_admin, tag_signal;
static struct conn *graveyard;

static const char *who(const struct conn *c)
{
	static char buf[160];

	if (c->cl)
		snprintf(buf, sizeof(buf), "%s (%s)", c->peer, c->cl->name);
	else
		snprintf(buf, sizeof(buf), "%s", c->peer);
	return buf;
}

static void set_events(struct authd *a, struct conn *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (c->events == ev)
		return;
	if (!epoll_ctl(a->epfd, EPOLL_CTL_MOD, c->fd, &e))
		c->events = ev;
}

/* ---- Pre-auth budget: connections whose client is not known yet. ---- */

static void preauth_add(struct authd *a, struct conn *c)
{
	c->preauth = true;
	c->pa_next = NULL;
	c->pa_prev = a->pa_tail;
	if (a->pa_tail)
		a->pa_tail->pa_next = c;
	else
		a->pa_head = c;
	a->pa_tail = c;
	a->npreauth++;
}

static void preauth_del(struct authd *a, struct conn *c)
{
	if (!c->preauth)
		return;
	if (c->pa_prev)
		c->pa_prev->pa_next = c->pa_next;
	else
		a->pa_head = c->pa_next;
	if (c->pa_next)
		c->pa_next->pa_prev = c->pa_prev;
	else
		a->pa_tail = c->pa_prev;
	c->preauth = false;
	a->npreauth--;
}

static unsigned int preauth_from(const struct authd *a, const uint8_t *prefix)
{
	unsigned int n = 0;

	for (const struct conn *c = a->pa_head; c; c = c->pa_next)
		n += !memcmp(c->prefix, prefix, sizeof(c->prefix));
	return n;
}

static void set_prefix(const struct sockaddr_storage *ss, uint8_t *p)
{
	memset(p, 0, 9);
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		p[0] = 6;
		memcpy(p + 1, &s6->sin6_addr, 8);
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		p[0] = 4;
		memcpy(p + 1, &s4->sin_addr, 3);
	}
}

static void leave_subscribed(struct authd *a, struct conn *c)
{
	if (c->state != C_SUBSCRIBED)
		return;
	a->nsubscribed--;
	if (c->cl && c->cl->nsessions)
		c->cl->nsessions--;
}

static void conn_kill(struct authd *a, struct conn *c)
{
	if (c->state == C_DEAD)
		return;
	leave_subscribed(a, c);
	preauth_del(a, c);
	c->state = C_DEAD;
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		a->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	a->nconns--;
	c->next = graveyard;
	graveyard = c;
}

static void bury(void)
{
	while (graveyard) {
		struct conn *c = graveyard;

		graveyard = c->next;
		SSL_free(c->ssl);
		free(c->out);
		free(c);
	}
}

/* Write what is queued; false if the connection died. */
static bool conn_flush(struct authd *a, struct conn *c)
{
	while (c->out_len) {
		int n = SSL_write(c->ssl, c->out, (int)c->out_len);

		if (n > 0) {
			c->out_len -= (size_t)n;
			memmove(c->out, c->out + n, c->out_len);
			continue;
		}
		switch (SSL_get_error(c->ssl, n)) {
		case SSL_ERROR_WANT_WRITE:
			set_events(a, c, EPOLLIN | EPOLLOUT);
			return true;
		case SSL_ERROR_WANT_READ:
			set_events(a, c, EPOLLIN);
			return true;
		default:
			log_debug("%s: write failed: %s", who(c), roam_ssl_errstr());
			ERR_clear_error();
			conn_kill(a, c);
			return false;
		}
	}
	set_events(a, c, EPOLLIN);
	if (c->state == C_CLOSING && !c->shut) {
		/*
		 * Half-close and wait for the peer's EOF (or the deadline):
		 * closing with unread input would send a RST that can
		 * overtake our last message.
		 */
		SSL_shutdown(c->ssl);
		ERR_clear_error();
		shutdown(c->fd, SHUT_WR);
		c->shut = true;
	}
	return true;
}

static bool conn_send_raw(struct authd *a, struct conn *c, const uint8_t *buf, size_t len)
{
	uint8_t *nb;

	if (c->out_len + len > AUTHD_OUT_MAX) {
		log_warn("%s: client does not read its messages; closing", who(c));
		conn_kill(a, c);
		return false;
	}
	nb = realloc(c->out, c->out_len + len);
	if (!nb) {
		conn_kill(a, c);
		return false;
	}
	c->out = nb;
	memcpy(c->out + c->out_len, buf, len);
	c->out_len += len;
	return conn_flush(a, c);
}

static bool conn_send(struct authd *a, struct conn *c, const struct roam_msg *m)
{
	static uint8_t buf[ROAM_MSG_MAX];
	int len = roam_msg_encode(m, buf, sizeof(buf));

	if (len < 0) {
		log_err("cannot encode a %s message: %s", roam_msg_type_name(m->type),
			strerror(-len));
		conn_kill(a, c);
		return false;
	}
	return conn_send_raw(a, c, buf, (size_t)len);
}

/* Send ERROR (or REVOKED) and close once it is out. */
static void conn_refuse(struct authd *a, struct conn *c, int type, uint32_t code,
			const char *text)
{
	static struct roam_msg m;

	memset(&m, 0, sizeof(m));
	m.type = (uint8_t)type;
	m.code = code;
	snprintf(m.text, sizeof(m.text), "%s", text);
	leave_subscribed(a, c);
	preauth_del(a, c);
	c->state = C_CLOSING;
	c->deadline = authd_now_ms() + CLOSE_GRACE_MS;
	conn_send(a, c, &m);
}

static void fill_keys(struct authd *a, struct roam_msg *m, uint64_t from, uint64_t to)
{
	memset(m, 0, sizeof(*m));
	m->type = ROAM_MSG_KEYS;
	m->first_epoch = from;
	for (uint64_t i = from; i <= to && m->nkeys < ROAM_KEYS_MAX; i++) {
		m->level[m->nkeys] = (uint8_t)authd_level(a, i);
		roam_chain_key(&a->chain, i, m->keys[m->nkeys]);
		m->nkeys++;
	}
}

static void subscribe(struct authd *a, struct conn *c)
{
	static struct roam_msg m;
	bool ret;

	if (a->exhausted) {
		conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_CHAIN_END, "the key chain is used up");
		return;
	}
	/* One certificate, a few sessions: not a way around the budgets. */
	if (c->state != C_SUBSCRIBED && c->cl->nsessions >= a->cfg.max_client_sessions) {
		a->sessions_refused++;
		log_warn("%s: already %u sessions for this client; refused", who(c),
			 c->cl->nsessions);
		conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_BUSY, "too many sessions for this client");
		return;
	}
	memset(&m, 0, sizeof(m));
	m.type = ROAM_MSG_PARAMS;
	m.epoch = a->cur.index;
	m.epoch_start_ms = a->cur.start_ms;
	m.server = a->cur.server;
	memcpy(m.anchor, a->anchor, ROAM_KEY_LEN);
	m.chain_len = a->chain.n;
	m.start_ms = a->p.start_ms;
	m.min_ms = a->p.min_ms;
	m.max_low_ms = a->p.max_low_ms;
	m.max_high_ms = a->p.max_high_ms;
	m.threat = (uint8_t)a->threat;
	m.lookahead = a->cfg.lookahead;
	m.npool = a->p.nservers;
	memcpy(m.pool, a->pool, sizeof(m.pool));
	/* The live handoff's id and K_client: only this client's own key. */
	if (a->has_kmig && c->cl->mig_id) {
		m.has_mig = 1;
		m.mig_id = c->cl->mig_id;
		if (mig_client_key(a->kmig, m.mig_id, m.mig_key)) {
			conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_BUSY, "internal error");
			return;
		}
	}
	ret = conn_send(a, c, &m);
	roam_memzero(m.mig_key, sizeof(m.mig_key));
	if (!ret)
		return;
	fill_keys(a, &m, a->cur.index, a->released);
	if (!conn_send(a, c, &m))
		return;
	roam_memzero(&m.keys, sizeof(m.keys));
	if (c->state != C_SUBSCRIBED) {
		a->nsubscribed++;
		c->cl->nsessions++;
	}
	preauth_del(a, c);
	c->state = C_SUBSCRIBED;
	snprintf(c->cl->last_peer, sizeof(c->cl->last_peer), "%s", c->peer);
	log_debug("%s: subscribed at epoch %" PRIu64, who(c), a->cur.index);
}

/* Frames in the input buffer: false if the connection is done. */
static bool conn_process(struct authd *a, struct conn *c)
{
	static struct roam_msg m;
	const char *why;
	size_t total, used;
	int ret;

	while (c->state == C_WAIT_SUB || c->state == C_SUBSCRIBED) {
		ret = roam_msg_frame(c->in, c->in_len, &total);
		if (ret == -EAGAIN)
			return true;
		if (ret == -EMSGSIZE || (!ret && total > AUTHD_IN_MAX)) {
			log_warn("%s: oversized message (announced %u bytes, limit %d); closing",
				 who(c), (unsigned int)(c->in[4] << 24 | c->in[5] << 16 |
							c->in[6] << 8 | c->in[7]),
				 AUTHD_IN_MAX);
			conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_TOO_BIG, "message too big");
			return false;
		}
		if (ret) {
			log_warn("%s: garbage instead of a message (bad version or flags); closing",
				 who(c));
			conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_PROTO, "malformed message");
			return false;
		}
		ret = roam_msg_parse(c->in, c->in_len, &m, &used, &why);
		if (ret == -EAGAIN)
			return true;
		if (ret) {
			log_warn("%s: malformed message: %s; closing", who(c), why);
			conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_PROTO, why);
			return false;
		}
		c->in_len -= used;
		memmove(c->in, c->in + used, c->in_len);
		if (m.type != ROAM_MSG_SUBSCRIBE) {
			log_warn("%s: unexpected %s message; closing", who(c),
				 roam_msg_type_name(m.type));
			conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_PROTO, "unexpected message");
			return false;
		}
		subscribe(a, c);
	}
	return c->state != C_DEAD;
}

static void conn_read(struct authd *a, struct conn *c)
{
	int n;

	while (c->state == C_WAIT_SUB || c->state == C_SUBSCRIBED) {
		n = SSL_read(c->ssl, c->in + c->in_len, (int)(sizeof(c->in) - c->in_len));
		if (n > 0) {
			c->in_len += (size_t)n;
			if (!conn_process(a, c))
				return;
			continue;
		}
		switch (SSL_get_error(c->ssl, n)) {
		case SSL_ERROR_WANT_READ:
		case SSL_ERROR_WANT_WRITE:
			return;
		case SSL_ERROR_ZERO_RETURN:
			log_debug("%s: closed by the client", who(c));
			break;
		case SSL_ERROR_SYSCALL:
			log_debug("%s: connection lost", who(c));
			break;
		default:
			log_warn("%s: bad TLS record: %s; closing", who(c), roam_ssl_errstr());
			break;
		}
		ERR_clear_error();
		conn_kill(a, c);
		return;
	}
}

static int serial_of(X509 *cert, char *buf, size_t len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	int ret = hex && strlen(hex) < len ? 0 : -1;

	if (!ret)
		strcpy(buf, hex);
	OPENSSL_free(hex);
	BN_free(bn);
	return ret;
}

/* The certificate verified against our CA; now is this client still one of ours? */
static void admit(struct authd *a, struct conn *c)
{
	X509 *cert = SSL_get0_peer_certificate(c->ssl);
	char name[ROAM_NAME_MAX + 2] = "", serial[80];
	struct client *cl;

	if (!cert || roam_pki_cn(cert, name, sizeof(name)) || !roam_name_valid(name) ||
	    serial_of(cert, serial, sizeof(serial))) {
		log_warn("%s: refused: certificate without a valid client name", who(c));
		conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_UNKNOWN_CLIENT, "unknown client");
		return;
	}
	cl = authd_client_find(a, name);
	if (!cl) {
		log_warn("%s: refused: unknown client %s", who(c), name);
		conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_UNKNOWN_CLIENT, "unknown client");
	} else if (cl->revoked) {
		log_warn("%s: refused: client %s is revoked", who(c), name);
		conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_REVOKED, "client revoked");
	} else if (strcmp(cl->serial, serial)) {
		log_warn("%s: refused: client %s presented a superseded certificate (serial %s)",
			 who(c), name, serial);
		conn_refuse(a, c, ROAM_MSG_ERROR, ROAM_ERR_REVOKED, "certificate superseded");
	} else {
		c->cl = cl;
		c->state = C_WAIT_SUB;
		log_debug("%s: authenticated", who(c));
		conn_read(a, c);
	}
}

static void conn_handshake(struct authd *a, struct conn *c)
{
	int n = SSL_do_handshake(c->ssl);
	long vr;

	if (n == 1) {
		set_events(a, c, EPOLLIN);
		admit(a, c);
		return;
	}
	switch (SSL_get_error(c->ssl, n)) {
	case SSL_ERROR_WANT_READ:
		set_events(a, c, EPOLLIN);
		return;
	case SSL_ERROR_WANT_WRITE:
		set_events(a, c, EPOLLIN | EPOLLOUT);
		return;
	case SSL_ERROR_SYSCALL:
	case SSL_ERROR_ZERO_RETURN:
		log_warn("%s: connection closed during the TLS handshake", who(c));
		break;
	default:
		vr = SSL_get_verify_result(c->ssl);
		if (vr != X509_V_OK)
			log_warn("%s: TLS handshake failed: client certificate rejected: %s",
				 who(c), X509_verify_cert_error_string(vr));
		else
			log_warn("%s: TLS handshake failed: %s", who(c), roam_ssl_errstr());
		break;
	}
	ERR_clear_error();
	conn_kill(a, c);
}

static void conn_event(struct authd *a, struct conn *c, uint32_t ev)
{
	if (c->state == C_DEAD)
		return;
	if (c->state == C_HANDSHAKE) {
		conn_handshake(a, c);
		return;
	}
	if (c->out_len && !conn_flush(a, c))
		return;
	if (c->state == C_CLOSING) {
		/* Drain and drop whatever the peer still sends. */
		uint8_t sink[256];
		int r;

		if (!(ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
			return;
		r = SSL_read(c->ssl, sink, sizeof(sink));
		if (r <= 0 && SSL_get_error(c->ssl, r) != SSL_ERROR_WANT_READ) {
			ERR_clear_error();
			conn_kill(a, c);
		}
		return;
	}
	conn_read(a, c);
}

static void format_peer(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(s4->sin_port));
	}
}

static void do_accept(struct authd *a)
{
	static uint64_t last_full_log;
	struct sockaddr_storage ss;
	uint8_t prefix[9];
	socklen_t sl;
	int fd, one = 1;

	/*
	 * A batch per wake-up, not the whole backlog: between batches the
	 * handshakes in progress get their turn, so a flood waiting in the
	 * backlog does not evict them all before they can finish.
	 */
	for (int batch = 0; batch < ACCEPT_BATCH; batch++) {
		struct epoll_event e;
		struct conn *c;

		sl = sizeof(ss);
		fd = accept4(a->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				/*
				 * The pending connection stays in the backlog and
				 * the listener readable: stop watching it for a
				 * while instead of spinning on accept().
				 */
				if (!a->listen_paused_until)
					log_warn("accept: %s; pausing the listener for %d ms",
						 strerror(errno), LISTEN_PAUSE_MS);
				a->listen_paused_until = authd_now_ms() + LISTEN_PAUSE_MS;
				a->fd_pauses++;
				epoll_ctl(a->epfd, EPOLL_CTL_DEL, a->lfd, NULL);
			}
			return;
		}
		set_prefix(&ss, prefix);
		if (preauth_from(a, prefix) >= a->cfg.max_per_prefix) {
			a->prefix_refused++;
			close(fd);
			continue;
		}
		/* The oldest unauthenticated connection makes room. */
		if (a->npreauth >= a->cfg.max_preauth) {
			a->preauth_evicted++;
			conn_kill(a, a->pa_head);
		}
		if (a->nconns >= a->cfg.max_conns) {
			if (authd_now_ms() - last_full_log > 1000) {
				log_warn("connection limit %u reached; refusing new ones",
					 a->cfg.max_conns);
				last_full_log = authd_now_ms();
			}
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c || !(c->ssl = SSL_new(a->ctx)) || !SSL_set_fd(c->ssl, fd)) {
			log_err("out of memory for a connection");
			if (c)
				SSL_free(c->ssl);
			free(c);
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		SSL_set_accept_state(c->ssl);
		c->fd = fd;
		c->state = C_HANDSHAKE;
		c->deadline = authd_now_ms() + a->cfg.handshake_ms;
		memcpy(c->prefix, prefix, sizeof(c->prefix));
		c->events = EPOLLIN;
		format_peer(&ss, c->peer, sizeof(c->peer));
		e = (struct epoll_event){ .events = EPOLLIN, .data.ptr = c };
		if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, fd, &e)) {
			SSL_free(c->ssl);
			free(c);
			close(fd);
			continue;
		}
		c->next = a->conns;
		if (a->conns)
			a->conns->prev = c;
		a->conns = c;
		a->nconns++;
		preauth_add(a, c);
	}
}

void authd_close_client_sessions(struct authd *a, const char *name, char *addrs,
				 size_t len)
{
	struct conn *c, *next;
	size_t off = strlen(addrs);

	for (c = a->conns; c; c = next) {
		next = c->next;
		if (!c->cl || strcmp(c->cl->name, name) || c->state == C_CLOSING)
			continue;
		if (off + strlen(c->peer) + 2 < len)
			off += (size_t)snprintf(addrs + off, len - off, "%s%s",
						off ? " " : "", c->peer);
		conn_refuse(a, c, ROAM_MSG_REVOKED, 0, "revoked by the administrator");
	}
}

/* One KEYS message: K_{released+1}..K_target, to every subscribed session. */
static void push_chunk(struct authd *a, uint64_t target)
{
	static struct roam_msg m;
	static uint8_t buf[ROAM_MSG_MAX];
	struct conn *c, *next;
	size_t pushed = 0;
	int len;

	fill_keys(a, &m, a->released + 1, target);
	len = roam_msg_encode(&m, buf, sizeof(buf));
	roam_memzero(&m.keys, sizeof(m.keys));
	a->released = target;
	if (len < 0)
		return;
	for (c = a->conns; c; c = next) {
		next = c->next;
		if (c->state != C_SUBSCRIBED)
			continue;
		/* The revocation list is checked on every push, too. */
		if (c->cl->revoked) {
			conn_refuse(a, c, ROAM_MSG_REVOKED, 0, "revoked");
			continue;
		}
		pushed += conn_send_raw(a, c, buf, (size_t)len);
	}
	roam_memzero(buf, sizeof(buf));
	log_debug("released K_%" PRIu64 " to %zu sessions", target, pushed);
}

/*
 * Hand out the keys that are due, to every subscribed session at once.
 * Clients walk the schedule key by key, so after a stall (authd stopped,
 * the host suspended) every key since the last push goes out, in
 * messages of at most ROAM_KEYS_MAX: released only ever moves to what
 * was sent, or a client would see a gap and reconnect.
 */
static void push_keys(struct authd *a, uint64_t target)
{
	uint64_t to;

	while (a->released < target) {
		to = target - a->released > ROAM_KEYS_MAX ?
			a->released + ROAM_KEYS_MAX : target;
		push_chunk(a, to);
	}
}

static void expire(struct authd *a, uint64_t now)
{
	struct conn *c, *next;

	for (c = a->conns; c; c = next) {
		next = c->next;
		if (c->state == C_SUBSCRIBED || now < c->deadline)
			continue;
		if (c->state != C_CLOSING)
			log_warn("%s: no %s within %u ms; closing", who(c),
				 c->state == C_HANDSHAKE ? "TLS handshake" : "SUBSCRIBE",
				 a->cfg.handshake_ms);
		conn_kill(a, c);
	}
}

static int tick(struct authd *a)
{
	static uint64_t last_expire;
	uint64_t now = authd_now_ms(), wake;

	if (authd_advance(a, now))
		log_debug("epoch %" PRIu64 ": server %u", a->cur.index, a->cur.server);
	authd_threat_tick(a, now);
	if (a->listen_paused_until && now >= a->listen_paused_until) {
		struct epoll_event e = { .events = EPOLLIN, .data.ptr = &tag_listen };

		a->listen_paused_until = 0;
		epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->lfd, &e);
	}
	push_keys(a, authd_release_target(a, now));
	if (now - last_expire >= 250) {
		expire(a, now);
		last_expire = now;
	}
	if (a->exhausted)
		return 1000;
	wake = a->nxt.start_ms;
	if (a->released < authd_release_target(a, a->nxt.start_ms - 1) &&
	    now + a->cfg.lead_ms < a->nxt.start_ms)
		wake = a->nxt.start_ms - a->cfg.lead_ms;
	if (wake <= now)
		return 0;
	return wake - now > 250 ? 250 : (int)(wake - now);
}

static void on_signal(struct authd *a)
{
	struct signalfd_siginfo si;

	while (read(a->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			log_info("signal %u: shutting down", si.ssi_signo);
			a->stop = true;
		} else if (si.ssi_signo == SIGCHLD) {
			authd_reap_children(a);
		}
	}
}

int authd_tls_init(struct authd *a, EVP_PKEY *key, X509 *cert)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	X509_STORE *store;

	if (!ctx)
		goto fail;
	a->ctx = ctx;
	store = SSL_CTX_get_cert_store(ctx);
	/* TLS 1.3 only; no tickets (every session starts with a full handshake). */
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_num_tickets(ctx, 0) ||
	    !SSL_CTX_use_certificate(ctx, cert) || !SSL_CTX_use_PrivateKey(ctx, key) ||
	    !SSL_CTX_check_private_key(ctx) || !X509_STORE_add_cert(store, a->ca) ||
	    !SSL_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT))
		goto fail;
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	/* A peer that just disconnects is not a protocol error. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_verify_depth(ctx, 1);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return 0;
fail:
	log_err("TLS set-up failed: %s", roam_ssl_errstr());
	return -EINVAL;
}

int authd_listen(struct authd *a)
{
	struct sockaddr_storage ss = { 0 };
	struct roam_addr ra;
	socklen_t sl;
	int one = 1;

	if (roam_addr_parse(a->cfg.listen, &ra)) {
		log_err("bad listen address '%s' (want A.B.C.D:PORT or [V6]:PORT)",
			a->cfg.listen);
		return -EINVAL;
	}
	if (ra.family == 6) {
		struct sockaddr_in6 *s6 = (void *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(ra.port);
		memcpy(&s6->sin6_addr, ra.addr, 16);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (void *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(ra.port);
		memcpy(&s4->sin_addr, ra.addr, 4);
		sl = sizeof(*s4);
	}
	a->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->lfd < 0 ||
	    setsockopt(a->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(a->lfd, (struct sockaddr *)&ss, sl) || listen(a->lfd, 4096)) {
		log_err("listen on %s: %s", a->cfg.listen, strerror(errno));
		return -errno;
	}
	return 0;
}

int authd_run(struct authd *a)
{
	struct epoll_event evs[256], e;
	sigset_t mask;
	int n;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	a->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (a->sfd < 0 || a->epfd < 0) {
		log_err("epoll/signalfd: %s", strerror(errno));
		return -errno;
	}
	e = (struct epoll_event){ .events = EPOLLIN, .data.ptr = &tag_listen };
	epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->lfd, &e);
	e.data.ptr = &tag_signal;
	epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->sfd, &e);
	if (a->afd >= 0) {
		e.data.ptr = &tag_admin;
		epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->afd, &e);
	}
	authd_advance(a, authd_now_ms());
	a->released = authd_release_target(a, authd_now_ms());
	log_info("serving on %s: epoch %" PRIu64 ", server %u, keys out to K_%" PRIu64
		 ", threat %s", a->cfg.listen, a->cur.index, a->cur.server, a->released,
		 roam_threat_name(a->threat));
	/* Listening on both sockets: clients and roamd may connect now. */
	sd_notifyf(0, "READY=1\nSTATUS=serving on %s, epoch %" PRIu64,
		   a->cfg.listen, a->cur.index);
	while (!a->stop) {
		n = epoll_wait(a->epfd, evs, 256, tick(a));
		if (n < 0 && errno != EINTR) {
			log_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;

			if (p == &tag_listen)
				do_accept(a);
			else if (p == &tag_admin)
				authd_admin_accept(a);
			else if (p == &tag_signal)
				on_signal(a);
			else if (authd_watch_owns(a, p))
				authd_watch_event(a, p, evs[i].events);
			else
				conn_event(a, p, evs[i].events);
		}
		bury();
	}
	sd_notify(0, "STOPPING=1");
	return 0;
}

void authd_server_free(struct authd *a)
{
	authd_watch_free(a);
	while (a->conns)
		conn_kill(a, a->conns);
	bury();
	if (a->epfd > 0)
		close(a->epfd);
	if (a->lfd > 0)
		close(a->lfd);
	if (a->sfd > 0)
		close(a->sfd);
}
