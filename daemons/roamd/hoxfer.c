// SPDX-License-Identifier: GPL-2.0
/*
 * The live handoff's channel and its two procedures (hoxfer.h).
 *
 * Who owns a connection, at every step, so it is never live twice:
 * the old server closes its socket in repair mode (no FIN, no RST; roam.ko
 * drops the client's segments meanwhile) as soon as it is frozen, before
 * the CONN frame goes, and keeps the frozen state.  Until that frame is
 * completely written the connection is the old server's: a failure
 * restores it there from the state and gives it back to the old service.
 * Once written it is the new server's, unless RESULT says
 * HO_NOT_RESTORED, which the new server sends only when it sent nothing
 * on the connection.  Closing first also lets both ends share one
 * address (the tests, in one network namespace).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "hoxfer.h"
#include "log.h"
#include "secfile.h"

/* Connections one handoff takes from the service, moved or given back. */
#define HO_TAKE_MAX	65536

struct ho {
	struct ho_cfg cfg;
	uint8_t psk[32];
	SSL_CTX *cli, *srv;
	pthread_mutex_t lock;
	int svc;			/* roamd's end of the service's socket */
	struct hok *hok;		/* roam.ko; NULL: none */
	struct ho_stats st;
	/* Connections sent away, BLOCKED here until `until` (cfg.linger_ms). */
	struct ho_linger {
		struct hok_conn k;
		uint64_t until;
	} *lg;
	unsigned int nlg, lg_cap;
};

/* One connection taken from the service during an outbound handoff. */
struct taken {
	int fd;				/* -1 once frozen and closed */
	enum {
		T_BACK,			/* untouched: give back */
		T_BLOCKED_BACK,		/* blocked in roam.ko: unblock, give back */
		T_FROZEN_BACK,		/* closed: restore here from st, give back */
		T_SENT,			/* the new server's now */
	} what;
	struct tcpr_state st;
	struct hok_conn k;
	size_t state_len;
	uint8_t *state;
};

uint64_t ho_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#define STAT_ADD(h, field, n) do {			\
	pthread_mutex_lock(&(h)->lock);			\
	(h)->st.field += (n);				\
	pthread_mutex_unlock(&(h)->lock);		\
} while (0)

/* ---- K_mig and the PSK ---- */

int ho_key_load(const char *path, uint8_t kmig[MIG_KEY_LEN], char *err, size_t errlen)
{
	/* The same file and format as authd's --migrate-key. */
	return roam_key_file_read(path, kmig, MIG_KEY_LEN, err, errlen);
}

/*
 * The PSK is derived, not K_mig itself: K_mig also keys the clients'
 * MIGRATE MACs (migkey.h), and one key should serve one purpose.
 */
static int derive_psk(const uint8_t kmig[MIG_KEY_LEN], uint8_t psk[32])
{
	unsigned int n = 0;

	if (!HMAC(EVP_sha256(), kmig, MIG_KEY_LEN, (const uint8_t *)HO_PSK_LABEL,
		  strlen(HO_PSK_LABEL), psk, &n) || n != 32)
		return -EIO;
	return 0;
}

/* TLS_AES_128_GCM_SHA256: the PSK's cipher suite (and its hash). */
static const unsigned char psk_cipher_id[] = { 0x13, 0x01 };

static SSL_SESSION *psk_session(SSL *ssl, const uint8_t psk[32])
{
	const SSL_CIPHER *c = SSL_CIPHER_find(ssl, psk_cipher_id);
	SSL_SESSION *s = SSL_SESSION_new();

	if (!c || !s || !SSL_SESSION_set1_master_key(s, psk, 32) ||
	    !SSL_SESSION_set_cipher(s, c) ||
	    !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s);
		return NULL;
	}
	return s;
}

static struct ho *ho_of(SSL *ssl)
{
	return SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
}

static int use_session_cb(SSL *ssl, const EVP_MD *md, const unsigned char **id,
			  size_t *idlen, SSL_SESSION **sess)
{
	SSL_SESSION *s = psk_session(ssl, ho_of(ssl)->psk);

	if (!s)
		return 0;
	/* After a HelloRetryRequest: offer it only for the same hash. */
	if (md && md != SSL_CIPHER_get_handshake_digest(SSL_SESSION_get0_cipher(s))) {
		SSL_SESSION_free(s);
		*sess = NULL;
		*id = NULL;
		*idlen = 0;
		return 1;
	}
	*sess = s;
	*id = (const unsigned char *)HO_PSK_IDENTITY;
	*idlen = strlen(HO_PSK_IDENTITY);
	return 1;
}

static int find_session_cb(SSL *ssl, const unsigned char *id, size_t idlen,
			   SSL_SESSION **sess)
{
	*sess = NULL;
	if (idlen != strlen(HO_PSK_IDENTITY) || memcmp(id, HO_PSK_IDENTITY, idlen))
		return 1;	/* unknown identity: the handshake fails */
	*sess = psk_session(ssl, ho_of(ssl)->psk);
	return *sess ? 1 : 0;
}

/*
 * TLS 1.3 only, the one suite, PSK with (EC)DHE (OpenSSL offers and
 * accepts psk_ke only with SSL_OP_ALLOW_NO_DHE_KEX, not set here), no
 * certificates, no tickets.  A peer with another key fails the binder.
 */
static SSL_CTX *tls_ctx(struct ho *h, bool server)
{
	SSL_CTX *c = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());

	if (!c)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(c, "TLS_AES_128_GCM_SHA256") ||
	    !SSL_CTX_set_num_tickets(c, 0)) {
		SSL_CTX_free(c);
		return NULL;
	}
	SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
	SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_app_data(c, h);
	if (server)
		SSL_CTX_set_psk_find_session_callback(c, find_session_cb);
	else
		SSL_CTX_set_psk_use_session_callback(c, use_session_cb);
	return c;
}

int ho_new(struct ho **hp, const struct ho_cfg *cfg, char *err, size_t errlen)
{
	struct ho *h = calloc(1, sizeof(*h));

	*hp = NULL;
	if (!h)
		return -ENOMEM;
	h->cfg = *cfg;
	if (!h->cfg.timeout_ms)
		h->cfg.timeout_ms = HO_TIMEOUT_MS_DEFAULT;
	if (!h->cfg.max_conns || h->cfg.max_conns > HOCHAN_CONNS_MAX)
		h->cfg.max_conns = h->cfg.max_conns ? HOCHAN_CONNS_MAX : HO_CONNS_DEFAULT;
	h->svc = -1;
	pthread_mutex_init(&h->lock, NULL);
	h->cli = tls_ctx(h, false);
	h->srv = tls_ctx(h, true);
	if (!h->cli || !h->srv || derive_psk(cfg->kmig, h->psk)) {
		snprintf(err, errlen, "cannot set up TLS for the handoff channel");
		ho_free(h);
		return -EIO;
	}
	if (cfg->kernel) {
		int ret = hok_open(&h->hok, cfg->service_port, err, errlen);

		if (ret) {
			ho_free(h);
			return ret;
		}
	}
	*hp = h;
	return 0;
}

void ho_free(struct ho *h)
{
	if (!h)
		return;
	ho_linger_expire(h, true);
	free(h->lg);
	SSL_CTX_free(h->cli);
	SSL_CTX_free(h->srv);
	hok_close(h->hok);
	if (h->svc >= 0)
		close(h->svc);
	OPENSSL_cleanse(h->psk, sizeof(h->psk));
	OPENSSL_cleanse(h->cfg.kmig, sizeof(h->cfg.kmig));
	pthread_mutex_destroy(&h->lock);
	free(h);
}

void ho_set_service(struct ho *h, int fd)
{
	pthread_mutex_lock(&h->lock);
	if (h->svc >= 0)
		close(h->svc);
	h->svc = fd;
	pthread_mutex_unlock(&h->lock);
}

/* A copy of the service socket for one operation; -1: no service. */
static int service_dup(struct ho *h)
{
	int fd;

	pthread_mutex_lock(&h->lock);
	fd = h->svc >= 0 ? fcntl(h->svc, F_DUPFD_CLOEXEC, 0) : -1;
	pthread_mutex_unlock(&h->lock);
	return fd;
}

void ho_get_stats(struct ho *h, struct ho_stats *s)
{
	pthread_mutex_lock(&h->lock);
	*s = h->st;
	pthread_mutex_unlock(&h->lock);
}

/* ---- TLS I/O against a deadline (nonblocking sockets) ---- */

static int left_ms(uint64_t deadline)
{
	uint64_t now = ho_now_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

/* After an SSL call returned r: wait for what it needs, or an error. */
static int ssl_wait(SSL *ssl, int r, uint64_t deadline)
{
	struct pollfd p = { .fd = SSL_get_fd(ssl) };
	int e = SSL_get_error(ssl, r), ms;

	if (e == SSL_ERROR_WANT_READ)
		p.events = POLLIN;
	else if (e == SSL_ERROR_WANT_WRITE)
		p.events = POLLOUT;
	else
		return e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL ? -ECONNRESET
									  : -EPROTO;
	ms = left_ms(deadline);
	if (!ms || poll(&p, 1, ms) <= 0)
		return -ETIMEDOUT;
	return 0;
}

static int ssl_write_all(SSL *ssl, const void *buf, size_t len, uint64_t deadline)
{
	const uint8_t *p = buf;
	size_t n;
	int r, ret;

	while (len) {
		r = SSL_write_ex(ssl, p, len, &n);
		if (r > 0) {
			p += n;
			len -= n;
			continue;
		}
		ret = ssl_wait(ssl, r, deadline);
		if (ret)
			return ret;
	}
	return 0;
}

static int ssl_read_all(SSL *ssl, void *buf, size_t len, uint64_t deadline)
{
	uint8_t *p = buf;
	size_t n;
	int r, ret;

	while (len) {
		r = SSL_read_ex(ssl, p, len, &n);
		if (r > 0) {
			p += n;
			len -= n;
			continue;
		}
		ret = ssl_wait(ssl, r, deadline);
		if (ret)
			return ret;
	}
	return 0;
}

int ho_frame_send(SSL *ssl, enum hochan_type type, const void *p, size_t len,
		  uint64_t deadline_ms)
{
	uint8_t hdr[HOCHAN_HDR_LEN];
	int ret;

	if (len > HOCHAN_PAYLOAD_MAX)
		return -EMSGSIZE;
	hochan_hdr_format(hdr, type, (uint32_t)len);
	ret = ssl_write_all(ssl, hdr, sizeof(hdr), deadline_ms);
	return ret ? ret : ssl_write_all(ssl, p, len, deadline_ms);
}

/* One frame of an expected size class; *p malloc'ed (free it). */
static int frame_recv(SSL *ssl, enum hochan_type *type, uint8_t **p, uint32_t *len,
		      uint64_t deadline)
{
	uint8_t hdr[HOCHAN_HDR_LEN];
	int ret;

	*p = NULL;
	ret = ssl_read_all(ssl, hdr, sizeof(hdr), deadline);
	if (!ret)
		ret = hochan_hdr_parse(hdr, type, len);
	if (ret)
		return ret;
	/* END and RESULT are small: no large allocation for them. */
	if (*type != HOCHAN_CONN && *len > 4 + HOCHAN_CONNS_MAX)
		return -EMSGSIZE;
	*p = malloc(*len ? *len : 1);
	if (!*p)
		return -ENOMEM;
	ret = ssl_read_all(ssl, *p, *len, deadline);
	if (ret) {
		free(*p);
		*p = NULL;
	}
	return ret;
}

void ho_tls_close(SSL *ssl)
{
	int fd;

	if (!ssl)
		return;
	fd = SSL_get_fd(ssl);
	SSL_shutdown(ssl);
	SSL_free(ssl);
	close(fd);
}

SSL *ho_tls_connect(struct ho *h, const struct sockaddr *peer, socklen_t len,
		    uint64_t deadline)
{
	int fd = socket(peer->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int e = 0, r;
	socklen_t el = sizeof(e);
	SSL *ssl;

	if (fd < 0)
		return NULL;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	/* From our channel address: the peer accepts pool servers' only. */
	if (h->cfg.src.sin_family == AF_INET && peer->sa_family == AF_INET &&
	    bind(fd, (const struct sockaddr *)&h->cfg.src, sizeof(h->cfg.src))) {
		close(fd);
		return NULL;
	}
	if (connect(fd, peer, len) && (errno != EINPROGRESS || poll(&p, 1, left_ms(deadline)) <= 0 ||
				       getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) || e)) {
		close(fd);
		return NULL;
	}
	ssl = SSL_new(h->cli);
	if (!ssl || !SSL_set_fd(ssl, fd)) {
		SSL_free(ssl);
		close(fd);
		return NULL;
	}
	while ((r = SSL_connect(ssl)) != 1)
		if (ssl_wait(ssl, r, deadline)) {
			SSL_free(ssl);
			close(fd);
			return NULL;
		}
	return ssl;
}

/* ---- The old server: EXPORT, freeze, send ---- */

static int conn_tuple(int fd, struct hok_conn *k)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &l) ||
	    tcpr_addr_from((struct sockaddr *)&ss, l, &k->local))
		return -ENOTCONN;
	l = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &l) ||
	    tcpr_addr_from((struct sockaddr *)&ss, l, &k->peer))
		return -ENOTCONN;
	return 0;
}

/*
 * Block, freeze, close, encode and send one connection.  0: sent
 * (T_SENT), 1: it stays here (t->what says how to give it back), <0: the
 * channel failed (it stays here too).
 */
static int move_one(struct ho *h, SSL *ssl, struct taken *t, uint64_t deadline)
{
	struct tcpr_state *st = &t->st;
	uint64_t t0 = ho_now_ms();
	struct hochan_mig mig;
	uint8_t *blob = NULL, *frame = NULL;
	char err[256];
	size_t blen;
	int n, ret = 1;

	t->what = T_BACK;
	if (conn_tuple(t->fd, &t->k) || t->k.local.family != AF_INET ||
	    hok_lookup(h->hok, h->cfg.assume_negotiated, &t->k, &mig))
		return 1;
	if (hok_block(h->hok, h->cfg.assume_negotiated, &t->k))
		return 1;
	t->what = T_BLOCKED_BACK;
	if (tcpr_freeze(t->fd, st, err, sizeof(err))) {
		/* It left repair mode again: the socket is as it was. */
		log_warn("handoff: cannot freeze a connection: %s", err);
		return 1;
	}
	close(t->fd);
	t->fd = -1;
	t->what = T_FROZEN_BACK;
	blen = tcpr_encoded_len(st);
	if (blen > HOCHAN_BLOB_MAX) {
		log_warn("handoff: a connection's queues are too large to move (%zu bytes)", blen);
		goto out;
	}
	blob = malloc(blen);
	frame = malloc(HOCHAN_CONN_FIXED + t->state_len + blen);
	if (!blob || !frame || tcpr_encode(st, blob, blen) != (int)blen)
		goto out;
	n = hochan_conn_encode(frame, HOCHAN_CONN_FIXED + t->state_len + blen, &mig, t->state,
			       t->state_len, blob, blen);
	if (n < 0)
		goto out;
	ret = ho_frame_send(ssl, HOCHAN_CONN, frame, (size_t)n, deadline);
	if (!ret)
		t->what = T_SENT;
	log_debug("handoff: connection frozen and sent at +%llu ms: %zu bytes of queues",
		  (unsigned long long)(ho_now_ms() - t0), blen);
out:
	if (blob)
		OPENSSL_cleanse(blob, blen);
	free(blob);
	free(frame);
	return ret;
}

/* Give a connection back to our own service; closes our copy. */
static void give_back(struct ho *h, int svc, struct taken *t)
{
	char err[256] = "";
	bool ok = true;

	if (t->what == T_FROZEN_BACK) {
		/* Where it was: the same address, the same queues. */
		t->fd = tcpr_restore(&t->st, NULL, 0, err, sizeof(err));
		ok = t->fd >= 0 && !tcpr_finish(t->fd, &t->st, err, sizeof(err));
		if (!ok)
			log_warn("handoff: cannot resume a connection here: %s", err);
	}
	if (t->what != T_BACK)
		hok_unblock(h->hok, h->cfg.assume_negotiated, &t->k);
	if (ok && svc >= 0 &&
	    !roam_ho_send_msg(svc, ROAM_HO_ADOPT, t->fd, 0, t->state, t->state_len,
			      (int)h->cfg.timeout_ms)) {
		STAT_ADD(h, kept, 1);
	} else {
		log_warn("handoff: a connection could not go back to the service: closed");
		STAT_ADD(h, lost, 1);
	}
}

/* Keep one CONN (its fd and state) in the list; false if it had to go. */
static bool take(struct ho *h, const struct roam_ho_msg *m, struct taken **list,
		 unsigned int *ntaken, unsigned int *cap)
{
	struct taken *t;

	if (*ntaken == HO_TAKE_MAX)
		goto lost;
	if (*ntaken == *cap) {
		unsigned int ncap = *cap ? 2 * *cap : 64;
		struct taken *n = realloc(*list, ncap * sizeof(*n));

		if (!n)
			goto lost;
		*list = n;
		*cap = ncap;
	}
	t = &(*list)[(*ntaken)++];
	*t = (struct taken){ .fd = m->fd, .what = T_BACK, .state_len = m->state_len };
	t->state = malloc(m->state_len ? m->state_len : 1);
	if (!t->state)
		t->state_len = 0;
	else
		memcpy(t->state, m->state, m->state_len);
	return true;
lost:
	close(m->fd);
	STAT_ADD(h, lost, 1);
	return false;
}

/*
 * Take the service's CONNs until DONE or the deadline, and stream them
 * out.  Every CONN waiting on the service socket is taken before the
 * next connection moves: a move can wait on the channel (the new server
 * restores at its own pace), and the service gives up on a CONN it
 * cannot send within its own timeout (SERVICE_SEND_MS) and keeps the
 * connection, which then dies with it.
 */
static unsigned int collect(struct ho *h, int svc, SSL *ssl, struct taken **list,
			    unsigned int *ntaken, bool *chan_ok, uint64_t deadline)
{
	struct roam_ho_msg *m = malloc(sizeof(*m));
	unsigned int cap = 0, sent = 0, next = 0;
	struct pollfd p = { .fd = svc, .events = POLLIN };
	bool done = false;
	int ret;

	if (!m)
		return 0;
	for (;;) {
		ret = done ? -EAGAIN : roam_ho_recv_msg(svc, true, m);
		if (ret == -EAGAIN) {
			/* Nothing waiting: move the next one taken. */
			if (next < *ntaken) {
				struct taken *t = &(*list)[next++];

				if (!*chan_ok || sent == h->cfg.max_conns || !t->state)
					continue;
				ret = move_one(h, ssl, t, deadline);
				if (ret < 0) {
					log_warn("handoff: channel: %s; the rest stays here",
						 strerror(-ret));
					*chan_ok = false;
				}
				sent += !ret;
				continue;
			}
			if (done)
				break;
			if (poll(&p, 1, left_ms(deadline)) <= 0) {
				log_warn("handoff: the service did not finish its export in time");
				break;
			}
			continue;
		}
		if (ret) {
			log_warn("handoff: service socket: %s", strerror(-ret));
			done = true;
			continue;
		}
		if (m->type == ROAM_HO_DONE) {
			done = true;
			continue;
		}
		STAT_ADD(h, exported, 1);
		take(h, m, list, ntaken, &cap);
	}
	free(m);
	return sent;
}

/* RESULT for the sent ones: who went, who comes back. */
static bool same_conn(const struct hok_conn *a, const struct hok_conn *b)
{
	return a->local.port == b->local.port && a->peer.port == b->peer.port &&
	       !memcmp(a->local.addr, b->local.addr, sizeof(a->local.addr)) &&
	       !memcmp(a->peer.addr, b->peer.addr, sizeof(a->peer.addr));
}

/*
 * Keep a sent connection BLOCKED for a while: the client goes on sending
 * here until the new server's first segment reaches it (a restored
 * socket facing a closed window waits for its probe timer), and during
 * the transition window the gate lets those segments through to a
 * server that no longer has the socket.  Its RST would kill the moved
 * connection.  No room: forget it now, as before.
 */
static void linger_add(struct ho *h, const struct hok_conn *k, uint64_t until)
{
	if (h->nlg == h->lg_cap) {
		unsigned int cap = h->lg_cap ? 2 * h->lg_cap : 64;
		struct ho_linger *n = cap <= HO_TAKE_MAX ? realloc(h->lg, cap * sizeof(*n)) : NULL;

		if (!n) {
			hok_forget(h->hok, h->cfg.assume_negotiated, k);
			return;
		}
		h->lg = n;
		h->lg_cap = cap;
	}
	h->lg[h->nlg++] = (struct ho_linger){ .k = *k, .until = until };
}

/* The connection comes back here: its entry is about to be rewritten. */
static void linger_take(struct ho *h, const struct hok_conn *k)
{
	unsigned int i;

	for (i = 0; i < h->nlg; i++) {
		if (same_conn(&h->lg[i].k, k)) {
			h->lg[i] = h->lg[--h->nlg];
			return;
		}
	}
}

int ho_linger_next_ms(struct ho *h)
{
	uint64_t now = ho_now_ms(), next = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < h->nlg; i++)
		if (h->lg[i].until < next)
			next = h->lg[i].until;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : next - now > INT32_MAX ? INT32_MAX : (int)(next - now);
}

void ho_linger_expire(struct ho *h, bool all)
{
	uint64_t now = ho_now_ms();
	unsigned int i = 0;

	while (i < h->nlg) {
		if (all || h->lg[i].until <= now) {
			hok_forget(h->hok, h->cfg.assume_negotiated, &h->lg[i].k);
			h->lg[i] = h->lg[--h->nlg];
		} else {
			i++;
		}
	}
}

static void settle(struct ho *h, int svc, struct taken *list, unsigned int ntaken,
		   const uint8_t *status, unsigned int nstatus, uint64_t linger_until)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < ntaken; i++) {
		struct taken *t = &list[i];
		int s = HO_ADOPTED;

		if (t->what == T_SENT) {
			s = k < nstatus ? status[k] : HO_ADOPTED;
			k++;
		}
		if (t->what != T_SENT) {
			give_back(h, svc, t);
		} else if (s == HO_NOT_RESTORED) {
			t->what = T_FROZEN_BACK;
			give_back(h, svc, t);
		} else {
			/*
			 * Closed in repair mode: no FIN, no RST.  Under test
			 * (one namespace) the new server lifted the block.
			 */
			if (h->cfg.linger_ms && !h->cfg.same_addr)
				linger_add(h, &t->k, linger_until);
			else
				hok_forget(h->hok, h->cfg.assume_negotiated, &t->k);
			if (s == HO_ADOPTED)
				STAT_ADD(h, moved, 1);
			else
				STAT_ADD(h, lost, 1);
		}
		if (t->fd >= 0)
			close(t->fd);
		tcpr_state_free(&t->st);
		free(t->state);
	}
}

int ho_move_out(struct ho *h, const struct sockaddr *peer, socklen_t plen)
{
	uint64_t t0 = ho_now_ms(), deadline = t0 + h->cfg.timeout_ms;
	uint8_t status[HOCHAN_CONNS_MAX], *p = NULL, end[4];
	uint32_t nstatus = 0, len;
	unsigned int ntaken = 0, sent;
	struct taken *list = NULL;
	enum hochan_type type;
	bool chan_ok = true;
	int svc, ret;
	SSL *ssl;

	svc = service_dup(h);
	if (svc < 0)
		return -ENOTCONN;
	/* The handshake first: it is not part of the connections' stall. */
	ssl = ho_tls_connect(h, peer, plen, deadline);
	if (!ssl) {
		log_warn("handoff: no channel to the new server: the connections stay here");
		STAT_ADD(h, out_failed, 1);
		close(svc);
		return -ECONNREFUSED;
	}
	STAT_ADD(h, out_sessions, 1);
	ret = roam_ho_send_msg(svc, ROAM_HO_EXPORT, -1, 0, NULL, 0, (int)h->cfg.timeout_ms);
	if (ret) {
		log_warn("handoff: cannot ask the service for its connections: %s", strerror(-ret));
		ho_tls_close(ssl);
		close(svc);
		STAT_ADD(h, out_failed, 1);
		return ret;
	}
	log_debug("handoff: channel up after %llu ms", (unsigned long long)(ho_now_ms() - t0));
	sent = collect(h, svc, ssl, &list, &ntaken, &chan_ok, deadline);
	log_debug("handoff: export done after %llu ms", (unsigned long long)(ho_now_ms() - t0));
	if (chan_ok) {
		end[0] = (uint8_t)(sent >> 24);
		end[1] = (uint8_t)(sent >> 16);
		end[2] = (uint8_t)(sent >> 8);
		end[3] = (uint8_t)sent;
		ret = ho_frame_send(ssl, HOCHAN_END, end, 4, deadline);
		if (!ret)
			ret = frame_recv(ssl, &type, &p, &len, deadline);
		if (!ret && (type != HOCHAN_RESULT || hochan_result_decode(p, len, &nstatus, status) ||
			     nstatus != sent))
			ret = -EBADMSG;
		free(p);
	} else {
		ret = -ECONNRESET;
	}
	if (ret) {
		/* Sent ones may live there now: they count as moved, unknown. */
		log_warn("handoff: no result from the new server (%s): %u sent connections closed here",
			 strerror(-ret), sent);
		nstatus = 0;
		STAT_ADD(h, out_failed, 1);
	}
	settle(h, svc, list, ntaken, status, nstatus, t0 + h->cfg.linger_ms);
	free(list);
	ho_tls_close(ssl);
	close(svc);
	pthread_mutex_lock(&h->lock);
	h->st.last_ms = ho_now_ms() - t0;
	pthread_mutex_unlock(&h->lock);
	log_info("handoff: %u connections from the service, %u sent (%s)", ntaken, sent,
		 ret ? "result unknown" : "result received");
	return ret;
}

/* ---- The new server: restore, install, adopt ---- */

static enum ho_status restore_one(struct ho *h, const uint8_t *p, size_t len)
{
	struct sockaddr_storage ss;
	struct tcpr_state st = { 0 };
	struct hochan_conn c;
	struct hok_conn k = { 0 };
	const char *why = "";
	char err[256] = "";
	enum ho_status ret = HO_NOT_RESTORED;
	socklen_t sl = 0;
	int fd = -1, svc;

	if (hochan_conn_decode(p, len, &c) || tcpr_decode(c.blob, c.blob_len, &st, &why)) {
		log_warn("handoff: a malformed connection record: %s", why);
		return HO_NOT_RESTORED;
	}
	svc = service_dup(h);
	if (svc < 0 || st.local.family != AF_INET ||
	    (h->cfg.service_port && st.local.port != h->cfg.service_port) ||
	    (!(c.mig.flags & HOCHAN_F_NEGOTIATED) && !h->cfg.same_addr))
		goto out;
	k.peer = st.peer;
	k.local = h->cfg.same_addr ? st.local : h->cfg.self;
	k.local.port = st.local.port;
	sl = tcpr_sockaddr(&k.local, &ss);
	fd = tcpr_restore(&st, (struct sockaddr *)&ss, sl, err, sizeof(err));
	if (fd < 0)
		goto out;
	/* Sent away from here earlier: MIGRATING replaces the block. */
	linger_take(h, &k);
	if (c.mig.flags & HOCHAN_F_NEGOTIATED) {
		struct mig_mac_input in = { .id = c.mig.id, .client_port = k.peer.port,
					    .server_port = k.local.port,
					    .counter = c.mig.counter + 1 };
		uint8_t kc[MIG_KEY_LEN], mac[MIG_MAC_LEN];
		int r;

		memcpy(in.c_nonce, c.mig.c_nonce, 8);
		memcpy(in.s_nonce, c.mig.s_nonce, 8);
		memcpy(&in.client_addr, k.peer.addr, 4);
		memcpy(&in.orig_addr, c.mig.orig_addr, 4);
		memcpy(&in.new_addr, k.local.addr, 4);
		r = mig_client_key(h->cfg.kmig, c.mig.id, kc) || mig_mac(kc, &in, mac) ||
		    hok_migrating(h->hok, &k, &c.mig, in.counter, mac);
		OPENSSL_cleanse(kc, sizeof(kc));
		if (r) {
			snprintf(err, sizeof(err), "roam.ko refused the MIGRATING entry");
			goto out;
		}
	}
	/*
	 * Test mode, one namespace: the old server's block (an nft rule) is
	 * ours too; lift it now, as roam.ko on B would pass the client's
	 * segments from here on, rather than when the old server settles.
	 */
	if (h->cfg.same_addr)
		hok_unblock(h->hok, true, &k);
	/* From here the client may hear from us: failures are losses. */
	ret = HO_LOST;
	if (tcpr_finish(fd, &st, err, sizeof(err)))
		goto out;
	/*
	 * Leaving repair mode cleared SO_REUSEADDR: without it a listener
	 * bound later to this address and port (the service restarted, or
	 * the connection's original server in one namespace) is refused.
	 */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (roam_ho_send_msg(svc, ROAM_HO_ADOPT, fd, 0, c.state, c.state_len,
			     (int)h->cfg.timeout_ms)) {
		snprintf(err, sizeof(err), "the service did not take it");
		goto out;
	}
	ret = HO_ADOPTED;
out:
	if (ret != HO_ADOPTED)
		log_warn("handoff: a connection not restored here: %s",
			 err[0] ? err : svc < 0 ? "no service" : "not for this server");
	if (fd >= 0)
		close(fd);
	if (svc >= 0)
		close(svc);
	tcpr_state_free(&st);
	return ret;
}

/* A peer without the key gets this long at most: it holds the thread. */
#define HANDSHAKE_MS	2000

int ho_serve(struct ho *h, int fd)
{
	uint64_t deadline = ho_now_ms() + h->cfg.timeout_ms;
	uint64_t hs_deadline = ho_now_ms() + (h->cfg.timeout_ms < HANDSHAKE_MS ?
					      h->cfg.timeout_ms : HANDSHAKE_MS);
	uint8_t *status = NULL, *p = NULL, res[4 + HOCHAN_CONNS_MAX];
	uint32_t n = 0, len, count;
	enum hochan_type type;
	SSL *ssl;
	int r, ret;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	ssl = SSL_new(h->srv);
	if (!ssl || !SSL_set_fd(ssl, fd)) {
		SSL_free(ssl);
		close(fd);
		return -ENOMEM;
	}
	while ((r = SSL_accept(ssl)) != 1) {
		ret = ssl_wait(ssl, r, hs_deadline);
		if (ret) {
			STAT_ADD(h, in_refused, 1);
			log_warn("handoff: a peer failed the handshake (%s)",
				 ret == -ETIMEDOUT ? "timeout" : "no or another key");
			SSL_free(ssl);
			close(fd);
			return -EACCES;
		}
	}
	STAT_ADD(h, in_sessions, 1);
	status = res + 4;
	for (;;) {
		ret = frame_recv(ssl, &type, &p, &len, deadline);
		if (ret)
			break;
		if (type == HOCHAN_CONN && n < h->cfg.max_conns) {
			status[n] = (uint8_t)restore_one(h, p, len);
			STAT_ADD(h, adopted, status[n] == HO_ADOPTED);
			STAT_ADD(h, in_failed, status[n] != HO_ADOPTED);
			n++;
		} else if (type == HOCHAN_END && !hochan_end_decode(p, len, &count) && count == n) {
			res[0] = (uint8_t)(n >> 24);
			res[1] = (uint8_t)(n >> 16);
			res[2] = (uint8_t)(n >> 8);
			res[3] = (uint8_t)n;
			ret = ho_frame_send(ssl, HOCHAN_RESULT, res, 4 + n, deadline);
			break;
		} else {
			ret = -EBADMSG;
			break;
		}
		free(p);
		p = NULL;
	}
	free(p);
	if (ret) {
		STAT_ADD(h, in_refused, 1);
		log_warn("handoff: session ended early: %s (%u connections restored)",
			 strerror(-ret), n);
	} else {
		log_info("handoff: %u connections came in", n);
	}
	ho_tls_close(ssl);
	return ret;
}
