// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "client.h"
#include "pki.h"
#include "proto.h"
#include "secfile.h"

#define HISTORY 64

struct known_epoch {
	struct roam_epoch e;
	uint64_t end_ms;
};

struct roam_client {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	struct roam_client_cfg cfg;
	char err[600];

	bool ready;
	struct roam_sched_params p;
	struct roam_addr pool[ROAM_POOL_MAX];
	uint8_t anchor[ROAM_KEY_LEN];
	uint64_t chain_len;
	/* The live handoff's id and K_client, if authd gave them. */
	bool has_mig;
	uint32_t mig_id;
	uint8_t mig_key[ROAM_MIG_KEY_LEN];

	/* The newest verified key and the first epoch whose end is unknown. */
	uint64_t tip_idx;
	uint8_t tip[ROAM_KEY_LEN];
	struct roam_epoch frontier;

	/* Fully known epochs, oldest overwritten first. */
	struct known_epoch hist[HISTORY];
	unsigned int nhist, hpos;

	uint8_t in[ROAM_MSG_MAX];
	size_t in_len;
	struct roam_msg msg;
};

static int fail(struct roam_client *c, int ret, const char *fmt, const char *arg)
{
	snprintf(c->err, sizeof(c->err), fmt, arg);
	return ret;
}

static const char *ssl_err(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (!e)
		return "connection closed";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static int tcp_connect(struct roam_client *c)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	struct pollfd pfd;
	int fd = -1, ret, soerr;
	socklen_t sl = sizeof(soerr);

	ret = getaddrinfo(c->cfg.host, c->cfg.port, &hints, &res);
	if (ret)
		return fail(c, -EHOSTUNREACH, "cannot resolve authd: %s", gai_strerror(ret));
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen) || errno == EINPROGRESS) {
			pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
			if (poll(&pfd, 1, (int)c->cfg.timeout_ms) == 1 &&
			    !getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) && !soerr)
				break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return fail(c, -ECONNREFUSED, "cannot connect to authd at %s", c->cfg.host);
	/* The handshake's flights are small writes: don't let Nagle hold them. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	c->fd = fd;
	return 0;
}

/* Drive a nonblocking OpenSSL call until done or timeout. */
static int wait_io(struct roam_client *c, int r, int timeout_ms)
{
	struct pollfd pfd = { .fd = c->fd };

	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		pfd.events = POLLIN;
		break;
	case SSL_ERROR_WANT_WRITE:
		pfd.events = POLLOUT;
		break;
	default:
		return -1;
	}
	return poll(&pfd, 1, timeout_ms) == 1 ? 0 : -ETIMEDOUT;
}

static int load_key(struct roam_client *c)
{
	char *pem, err[512];
	EVP_PKEY *key;
	size_t len;
	int ret;

	/* The key file must be ours alone, like every secret. */
	ret = roam_file_read(c->cfg.key_file, true, &pem, &len, err, sizeof(err));
	if (ret)
		return fail(c, ret, "%s", err);
	key = roam_pki_key_from_pem(pem, len);
	roam_file_free(pem, len);
	if (!key)
		return fail(c, -EINVAL, "%s: not a private key", c->cfg.key_file);
	ret = SSL_CTX_use_PrivateKey(c->ctx, key) ? 0 : -EINVAL;
	EVP_PKEY_free(key);
	if (ret || !SSL_CTX_check_private_key(c->ctx))
		return fail(c, -EINVAL, "%s does not match the certificate", c->cfg.key_file);
	return 0;
}

static int tls_setup(struct roam_client *c)
{
	unsigned char ip[16];
	int ret;

	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx || !SSL_CTX_set_min_proto_version(c->ctx, TLS1_3_VERSION))
		return fail(c, -ENOMEM, "TLS set-up failed: %s", ssl_err());
	if (SSL_CTX_load_verify_locations(c->ctx, c->cfg.ca_file, NULL) != 1)
		return fail(c, -EINVAL, "cannot load the CA certificate: %s", ssl_err());
	if (SSL_CTX_use_certificate_file(c->ctx, c->cfg.cert_file, SSL_FILETYPE_PEM) != 1)
		return fail(c, -EINVAL, "cannot load the client certificate: %s", ssl_err());
	ret = load_key(c);
	if (ret)
		return ret;
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_mode(c->ctx, SSL_MODE_AUTO_RETRY);
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd))
		return fail(c, -ENOMEM, "TLS set-up failed: %s", ssl_err());
	/* Check the server certificate names what we connected to. */
	if (inet_pton(AF_INET, c->cfg.host, ip) == 1 || inet_pton(AF_INET6, c->cfg.host, ip) == 1)
		ret = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), c->cfg.host);
	else
		ret = SSL_set1_host(c->ssl, c->cfg.host) && SSL_set_tlsext_host_name(c->ssl, c->cfg.host);
	if (!ret)
		return fail(c, -EINVAL, "bad authd host name %s", c->cfg.host);
	return 0;
}

int roam_client_send_raw(struct roam_client *c, const void *buf, size_t len)
{
	int r;

	while ((r = SSL_write(c->ssl, buf, (int)len)) <= 0)
		if (wait_io(c, r, (int)c->cfg.timeout_ms))
			return fail(c, -EIO, "write to authd failed: %s", ssl_err());
	return 0;
}

int roam_client_open(struct roam_client **cp, const struct roam_client_cfg *cfg,
		     char *err, size_t errlen)
{
	struct roam_client *c = calloc(1, sizeof(*c));
	struct roam_msg m = { .type = ROAM_MSG_SUBSCRIBE };
	uint8_t buf[64];
	long vr;
	int r, ret;

	*cp = NULL;
	if (!c)
		return -ENOMEM;
	c->fd = -1;
	c->cfg = *cfg;
	if (!c->cfg.timeout_ms)
		c->cfg.timeout_ms = 5000;
	ret = tcp_connect(c);
	if (!ret)
		ret = tls_setup(c);
	while (!ret && (r = SSL_connect(c->ssl)) != 1) {
		if (!wait_io(c, r, (int)c->cfg.timeout_ms))
			continue;
		vr = SSL_get_verify_result(c->ssl);
		if (vr != X509_V_OK)
			ret = fail(c, -EACCES, "authd's certificate rejected: %s",
				   X509_verify_cert_error_string(vr));
		else
			ret = fail(c, -EACCES, "TLS handshake failed: %s", ssl_err());
	}
	if (!ret) {
		r = roam_msg_encode(&m, buf, sizeof(buf));
		ret = roam_client_send_raw(c, buf, (size_t)r);
	}
	if (ret) {
		snprintf(err, errlen, "%s", c->err);
		roam_client_close(c);
		return ret;
	}
	*cp = c;
	return 0;
}

void roam_client_close(struct roam_client *c)
{
	if (!c)
		return;
	if (c->ssl)
		SSL_shutdown(c->ssl);
	SSL_free(c->ssl);
	SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	roam_memzero(c, sizeof(*c));
	free(c);
}

int roam_client_fd(const struct roam_client *c)
{
	return c->fd;
}

const char *roam_client_error(const struct roam_client *c)
{
	return c->err;
}

bool roam_client_ready(const struct roam_client *c)
{
	return c->ready;
}

const struct roam_sched_params *roam_client_params(const struct roam_client *c)
{
	return &c->p;
}

const struct roam_addr *roam_client_pool(const struct roam_client *c)
{
	return c->pool;
}

static int on_params(struct roam_client *c, const struct roam_msg *m)
{
	if (c->ready)
		return fail(c, -EPROTO, "%s", "authd sent PARAMS twice");
	c->p = (struct roam_sched_params){ m->start_ms, m->min_ms, m->max_low_ms,
					   m->max_high_ms, m->npool };
	memcpy(c->pool, m->pool, sizeof(c->pool));
	memcpy(c->anchor, m->anchor, ROAM_KEY_LEN);
	memcpy(c->tip, m->anchor, ROAM_KEY_LEN);
	c->chain_len = m->chain_len;
	c->tip_idx = 0;
	c->frontier = (struct roam_epoch){ m->epoch, m->epoch_start_ms, m->server };
	c->has_mig = m->has_mig;
	c->mig_id = m->mig_id;
	memcpy(c->mig_key, m->mig_key, ROAM_MIG_KEY_LEN);
	c->ready = true;
	return 0;
}

int roam_client_migrate(const struct roam_client *c, uint32_t *id,
			uint8_t key[ROAM_MIG_KEY_LEN])
{
	if (!c->ready || !c->has_mig)
		return -ENODATA;
	*id = c->mig_id;
	memcpy(key, c->mig_key, ROAM_MIG_KEY_LEN);
	return 0;
}

/* Accept K_i only if it hashes to the newest verified key. */
static int accept_key(struct roam_client *c, uint64_t i, const uint8_t *key, int level)
{
	struct known_epoch *h;
	struct roam_epoch next;

	if (i <= c->tip_idx)
		return 0;		/* already have it */
	if (i != c->frontier.index)
		return fail(c, -EPROTO, "%s", "authd skipped a key");
	if (!roam_chain_verify(c->tip, c->tip_idx, key, i))
		return fail(c, -EBADMSG, "%s", "a key does not verify against the hash chain");
	memcpy(c->tip, key, ROAM_KEY_LEN);
	c->tip_idx = i;
	roam_sched_next(&c->p, &c->frontier, key, level, &next);
	h = &c->hist[c->hpos];
	h->e = c->frontier;
	h->end_ms = next.start_ms;
	c->hpos = (c->hpos + 1) % HISTORY;
	if (c->nhist < HISTORY)
		c->nhist++;
	if (c->cfg.on_epoch)
		c->cfg.on_epoch(c->cfg.arg, &c->frontier, next.start_ms, level);
	c->frontier = next;
	return 0;
}

static int on_keys(struct roam_client *c, const struct roam_msg *m)
{
	int ret = 0;

	if (!c->ready)
		return fail(c, -EPROTO, "%s", "authd sent KEYS before PARAMS");
	if (m->first_epoch > c->tip_idx + 1 && c->tip_idx)
		return fail(c, -EPROTO, "%s", "authd skipped a key");
	for (uint32_t k = 0; k < m->nkeys && !ret; k++) {
		if (m->first_epoch + k > c->chain_len)
			return fail(c, -EPROTO, "%s", "key beyond the end of the chain");
		ret = accept_key(c, m->first_epoch + k, m->keys[k], m->level[k]);
	}
	return ret;
}

static int on_message(struct roam_client *c, const struct roam_msg *m)
{
	switch (m->type) {
	case ROAM_MSG_PARAMS:
		return on_params(c, m);
	case ROAM_MSG_KEYS:
		return on_keys(c, m);
	case ROAM_MSG_REVOKED:
		return fail(c, -EPERM, "revoked by authd: %s", m->text[0] ? m->text : "revoked");
	case ROAM_MSG_ERROR:
		return fail(c, -EACCES, "refused by authd: %s", m->text[0] ? m->text : "error");
	default:
		return fail(c, -EPROTO, "unexpected %s message", roam_msg_type_name(m->type));
	}
}

static int process(struct roam_client *c)
{
	const char *why;
	size_t used;
	int ret;

	for (;;) {
		ret = roam_msg_parse(c->in, c->in_len, &c->msg, &used, &why);
		if (ret == -EAGAIN)
			return 0;
		if (ret)
			return fail(c, ret, "malformed message from authd: %s", why);
		c->in_len -= used;
		memmove(c->in, c->in + used, c->in_len);
		ret = on_message(c, &c->msg);
		roam_memzero(c->msg.keys, sizeof(c->msg.keys));
		roam_memzero(c->msg.mig_key, sizeof(c->msg.mig_key));
		if (ret)
			return ret;
	}
}

int roam_client_poll(struct roam_client *c, int timeout_ms)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	int n, ret;

	if (!SSL_pending(c->ssl) && poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	for (;;) {
		n = SSL_read(c->ssl, c->in + c->in_len, (int)(sizeof(c->in) - c->in_len));
		if (n > 0) {
			c->in_len += (size_t)n;
			ret = process(c);
			if (ret)
				return ret;
			continue;
		}
		switch (SSL_get_error(c->ssl, n)) {
		case SSL_ERROR_WANT_READ:
		case SSL_ERROR_WANT_WRITE:
			return 0;
		case SSL_ERROR_ZERO_RETURN:
			return fail(c, -ECONNRESET, "%s", "authd closed the session");
		default:
			/* Before PARAMS this is authd refusing our certificate. */
			if (!c->ready)
				return fail(c, -EACCES, "refused by authd during TLS: %s", ssl_err());
			return fail(c, -ECONNRESET, "session with authd lost: %s", ssl_err());
		}
	}
}

int roam_client_active_server(struct roam_client *c, uint64_t now_ms,
			      uint32_t *index, struct roam_addr *addr)
{
	const struct roam_epoch *e = NULL;
	int ret = 0;

	if (!c->ready)
		return -ENODATA;
	if (now_ms >= c->frontier.start_ms) {
		e = &c->frontier;
		if (now_ms >= c->frontier.start_ms + c->p.min_ms)
			ret = -ESTALE;
	} else {
		for (unsigned int k = 0; k < c->nhist; k++) {
			const struct known_epoch *h = &c->hist[k];

			if (h->e.start_ms <= now_ms && now_ms < h->end_ms)
				e = &h->e;
		}
		if (!e)
			return -ERANGE;
	}
	*index = e->server;
	if (addr)
		*addr = c->pool[e->server];
	return ret;
}

int roam_client_epoch(struct roam_client *c, uint64_t now_ms,
		      struct roam_epoch *e, uint64_t *end_ms)
{
	if (!c->ready)
		return -ENODATA;
	if (now_ms >= c->frontier.start_ms) {
		*e = c->frontier;
		*end_ms = 0;
		return now_ms >= c->frontier.start_ms + c->p.min_ms ? -ESTALE : 0;
	}
	for (unsigned int k = 0; k < c->nhist; k++) {
		const struct known_epoch *h = &c->hist[k];

		if (h->e.start_ms <= now_ms && now_ms < h->end_ms) {
			*e = h->e;
			*end_ms = h->end_ms;
			return 0;
		}
	}
	return -ERANGE;
}

int roam_client_next_roam(struct roam_client *c, uint64_t now_ms,
			  uint64_t *when_ms, uint32_t *next_index)
{
	if (!c->ready)
		return -ENODATA;
	for (unsigned int k = 0; k < c->nhist; k++) {
		const struct known_epoch *h = &c->hist[k];

		if (h->e.start_ms <= now_ms && now_ms < h->end_ms) {
			*when_ms = h->end_ms;
			/* The epoch after h is in the history or is the frontier. */
			*next_index = c->frontier.server;
			for (unsigned int j = 0; j < c->nhist; j++)
				if (c->hist[j].e.index == h->e.index + 1)
					*next_index = c->hist[j].e.server;
			return 0;
		}
	}
	return now_ms >= c->frontier.start_ms ? -ESTALE : -ERANGE;
}
