// SPDX-License-Identifier: GPL-2.0
/*
 * The live handoff's plumbing without a kernel module: the service API
 * (lib/handoff.c: parser table, a round trip of descriptors and state
 * over the socket roamd gives the service), the file server's exported
 * state and the channel's frames (encode, decode, every truncation), and
 * the TLS 1.3 PSK channel on loopback (daemons/roamd/hoxfer.c): the same
 * key talks, another key is refused, oversized and truncated frames and
 * a malformed record are rejected.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/roam.h>

#include "../roamd/hoxfer.h"
#include "../roamd/roamd.h"
#include "genl.h"
#include "fileproto.h"
#include "handoff.h"
#include "hochan.h"
#include "tap.h"

/* ---- The service API's parser ---- */

static void test_parse_table(void)
{
	static const struct {
		const char *what;
		uint8_t b[16];
		size_t len;
		unsigned int nfds;
		bool from_service;
		int ret;
	} t[] = {
		{ "EXPORT", { 1, 1, 0, 0, 0, 0, 0, 0 }, 8, 0, false, 0 },
		{ "EXPORT from the service", { 1, 1, 0, 0, 0, 0, 0, 0 }, 8, 0, true, -EBADMSG },
		{ "EXPORT with a payload", { 1, 1, 0, 0, 0, 0, 0, 1, 9 }, 9, 0, false, -EBADMSG },
		{ "EXPORT with a descriptor", { 1, 1, 0, 0, 0, 0, 0, 0 }, 8, 1, false, -EBADMSG },
		{ "DONE 7", { 3, 1, 0, 0, 0, 0, 0, 4, 0, 0, 0, 7 }, 12, 0, true, 0 },
		{ "DONE short", { 3, 1, 0, 0, 0, 0, 0, 3, 0, 0, 7 }, 11, 0, true, -EBADMSG },
		{ "DONE from roamd", { 3, 1, 0, 0, 0, 0, 0, 4, 0, 0, 0, 7 }, 12, 0, false, -EBADMSG },
		{ "CONN, 2 bytes of state", { 2, 1, 0, 0, 0, 0, 0, 2, 'h', 'i' }, 10, 1, true, 0 },
		{ "CONN without its descriptor", { 2, 1, 0, 0, 0, 0, 0, 0 }, 8, 0, true, -EBADMSG },
		{ "CONN with two", { 2, 1, 0, 0, 0, 0, 0, 0 }, 8, 2, true, -EBADMSG },
		{ "ADOPT", { 4, 1, 0, 0, 0, 0, 0, 0 }, 8, 1, false, 0 },
		{ "ADOPT from the service", { 4, 1, 0, 0, 0, 0, 0, 0 }, 8, 1, true, -EBADMSG },
		{ "length beyond the datagram", { 2, 1, 0, 0, 0, 0, 0, 9, 'x' }, 9, 1, true, -EBADMSG },
		{ "length short of the datagram", { 2, 1, 0, 0, 0, 0, 0, 0, 'x' }, 9, 1, true, -EBADMSG },
		{ "reserved bits", { 1, 1, 0, 1, 0, 0, 0, 0 }, 8, 0, false, -EBADMSG },
		{ "version 2", { 1, 2, 0, 0, 0, 0, 0, 0 }, 8, 0, false, -EPROTO },
		{ "type 0", { 0, 1, 0, 0, 0, 0, 0, 0 }, 8, 0, false, -EBADMSG },
		{ "type 5", { 5, 1, 0, 0, 0, 0, 0, 0 }, 8, 0, true, -EBADMSG },
		{ "7 bytes", { 1, 1, 0, 0, 0, 0, 0 }, 7, 0, false, -EBADMSG },
	};
	struct roam_ho_msg *m = malloc(sizeof(*m));
	unsigned int bad = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = roam_ho_parse(t[i].b, t[i].len, t[i].nfds, t[i].from_service, m);

		if (ret != t[i].ret) {
			printf("# %s: %d, want %d\n", t[i].what, ret, t[i].ret);
			bad++;
		}
	}
	tap_ok(!bad, "service API parser: %zu messages give the expected result",
	       sizeof(t) / sizeof(t[0]));
	{
		static uint8_t big[ROAM_HO_MSG_MAX + 1];
		int n = roam_ho_format(big, sizeof(big), ROAM_HO_CONN, 0, big, ROAM_HO_STATE_MAX);

		tap_ok(n == ROAM_HO_MSG_MAX &&
		       !roam_ho_parse(big, (size_t)n, 1, true, m) &&
		       m->state_len == ROAM_HO_STATE_MAX &&
		       roam_ho_format(big, sizeof(big), ROAM_HO_CONN, 0, big,
				      ROAM_HO_STATE_MAX + 1) == -EINVAL &&
		       (big[4] = 0, big[5] = 0, big[6] = 0x10, big[7] = 1,
			roam_ho_parse(big, ROAM_HO_MSG_MAX + 1, 1, true, m) == -EMSGSIZE),
		       "state of 4096 bytes passes, 4097 is refused both ways");
	}
	free(m);
}

/* A connected loopback TCP pair. */
static int tcp_pair(int fds[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, l) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &l))
		return -1;
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fds[0], (struct sockaddr *)&a, l))
		return -1;
	fds[1] = accept(lfd, NULL, NULL);
	close(lfd);
	return fds[1] < 0 ? -1 : 0;
}

static bool same_socket(int a, int b)
{
	struct sockaddr_in x, y;
	socklen_t lx = sizeof(x), ly = sizeof(y);

	return !getsockname(a, (struct sockaddr *)&x, &lx) &&
	       !getsockname(b, (struct sockaddr *)&y, &ly) && x.sin_port == y.sin_port &&
	       !getpeername(a, (struct sockaddr *)&x, &lx) &&
	       !getpeername(b, (struct sockaddr *)&y, &ly) && x.sin_port == y.sin_port;
}

static void test_round_trip(void)
{
	struct roam_ho_msg *m = malloc(sizeof(*m));
	int sv[2], tcp[2], pfd[2], ret;
	struct roam_ho *h;
	char num[16];
	uint8_t st[300];

	unsetenv(ROAM_HO_ENV);
	errno = 0;
	tap_ok(!roam_ho_open() && errno == ENOENT, "no %s: handoff off (ENOENT)", ROAM_HO_ENV);
	if (pipe(pfd))
		return;
	snprintf(num, sizeof(num), "%d", pfd[0]);
	setenv(ROAM_HO_ENV, num, 1);
	errno = 0;
	tap_ok(!roam_ho_open() && errno == EBADF && !getenv(ROAM_HO_ENV),
	       "a pipe is refused (EBADF) and the variable removed");
	setenv(ROAM_HO_ENV, "12x", 1);
	tap_ok(!roam_ho_open() && errno == EBADF, "a malformed number is refused");

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) || tcp_pair(tcp))
		return;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	snprintf(num, sizeof(num), "%d", sv[1]);
	setenv(ROAM_HO_ENV, num, 1);
	h = roam_ho_open();
	tap_ok(h && roam_ho_fd(h) == sv[1] && (fcntl(sv[1], F_GETFD) & FD_CLOEXEC) &&
	       !getenv(ROAM_HO_ENV), "the service opens its end: close-on-exec, variable gone");
	if (!h)
		return;
	tap_ok(roam_ho_recv(h, m) == -EAGAIN, "nothing yet: -EAGAIN");
	ret = roam_ho_send_msg(sv[0], ROAM_HO_EXPORT, -1, 0, NULL, 0, 100);
	tap_ok(!ret && !roam_ho_recv(h, m) && m->type == ROAM_HO_EXPORT && m->fd < 0,
	       "roamd's EXPORT reaches the service");
	for (size_t i = 0; i < sizeof(st); i++)
		st[i] = (uint8_t)(i * 7);
	ret = roam_ho_export(h, tcp[1], st, sizeof(st));
	tap_ok(!ret && !roam_ho_recv_msg(sv[0], true, m) && m->type == ROAM_HO_CONN &&
	       m->fd >= 0 && m->fd != tcp[1] && same_socket(m->fd, tcp[1]) &&
	       m->state_len == sizeof(st) && !memcmp(m->state, st, sizeof(st)),
	       "CONN: roamd gets the same socket and the 300 bytes of state");
	if (m->fd >= 0) {
		int got = m->fd;

		/* ADOPT it back, as roamd gives back what does not move. */
		ret = roam_ho_send_msg(sv[0], ROAM_HO_ADOPT, got, 0, st, 10, 100);
		close(got);
		tap_ok(!ret && !roam_ho_recv(h, m) && m->type == ROAM_HO_ADOPT &&
		       same_socket(m->fd, tcp[1]) && m->state_len == 10 &&
		       (write(tcp[0], "x", 1) == 1 && read(m->fd, num, 1) == 1 && num[0] == 'x'),
		       "ADOPT: the service gets a working socket and its state");
		if (m->fd >= 0)
			close(m->fd);
	} else {
		tap_ok(false, "ADOPT: the service gets a working socket and its state");
	}
	ret = roam_ho_done(h, 1);
	tap_ok(!ret && !roam_ho_recv_msg(sv[0], true, m) && m->type == ROAM_HO_DONE &&
	       m->count == 1, "DONE carries the count");
	/* A service passing something that is not a TCP socket. */
	ret = roam_ho_export(h, pfd[1], st, 1);
	tap_ok(!ret && roam_ho_recv_msg(sv[0], true, m) == -EBADMSG && m->fd == -1,
	       "a CONN carrying a pipe is refused (its descriptor closed)");
	/* A message in the wrong direction. */
	tap_ok(!roam_ho_send_msg(sv[0], ROAM_HO_EXPORT, -1, 0, NULL, 0, 100) &&
	       roam_ho_recv_msg(sv[1], true, m) == -EBADMSG, "EXPORT read as from the service: refused");
	roam_ho_close(h);
	tap_ok(roam_ho_recv_msg(sv[0], true, m) == -EPIPE, "the service gone: -EPIPE");
	close(sv[0]);
	close(tcp[0]);
	close(tcp[1]);
	close(pfd[0]);
	close(pfd[1]);
	free(m);
}

/* ---- The file server's state ---- */

static void test_file_state(void)
{
	struct rfile_state a = { .reply = true, .off = 1000, .end = 5000, .name = "f1",
				 .hdr = "OK 5000 0 abc\n", .hdr_len = 14, .hdr_off = 3 }, b;
	struct rfile_state q = { .in = "GET f", .in_len = 5 };
	uint8_t buf[RFILE_STATE_MAX];
	unsigned int bad = 0;
	int n, m;

	n = rfile_state_encode(buf, sizeof(buf), &a);
	tap_ok(n > 0 && !rfile_state_decode(buf, (size_t)n, &b) && b.reply && b.off == 1000 &&
	       b.end == 5000 && !strcmp(b.name, "f1") && b.hdr_len == 14 && b.hdr_off == 3 &&
	       !memcmp(b.hdr, a.hdr, 14), "file state: a reply in progress round-trips");
	for (int i = 0; i < n; i++)
		bad += rfile_state_decode(buf, (size_t)i, &b) != -EBADMSG;
	buf[n] = 0;
	bad += rfile_state_decode(buf, (size_t)n + 1, &b) != -EBADMSG;
	tap_ok(!bad, "every truncation and a trailing byte are refused");
	m = rfile_state_encode(buf, sizeof(buf), &q);
	tap_ok(m > 0 && !rfile_state_decode(buf, (size_t)m, &b) && !b.reply && b.in_len == 5 &&
	       !memcmp(b.in, "GET f", 5), "a partial request round-trips");
	a.off = 6000;
	tap_ok(rfile_state_encode(buf, sizeof(buf), &a) == -EINVAL, "off beyond end: not encoded");
	a.off = 0;
	strcpy(a.name, "../x");
	tap_ok(rfile_state_encode(buf, sizeof(buf), &a) == -EINVAL, "a path as name: not encoded");
	strcpy(a.name, "f1");
	n = rfile_state_encode(buf, sizeof(buf), &a);
	buf[24] = '/';	/* the name's first byte */
	tap_ok(rfile_state_decode(buf, (size_t)n, &b) == -EBADMSG, "a path as name: refused");
	buf[24] = 'f';
	buf[0] = 2;
	tap_ok(rfile_state_decode(buf, (size_t)n, &b) == -EPROTO, "another version: -EPROTO");
}

/* ---- The channel's frames ---- */

static void test_frames(void)
{
	struct hochan_mig mig = { .flags = HOCHAN_F_NEGOTIATED, .id = 77, .counter = 3,
				  .c_nonce = "abcdefg", .orig_addr = { 10, 0, 0, 1 } };
	uint8_t buf[256], hdr[HOCHAN_HDR_LEN], st[5] = "state", blob[9] = "blobbytes";
	uint8_t status[HOCHAN_CONNS_MAX];
	struct hochan_conn c;
	enum hochan_type t;
	unsigned int bad = 0;
	uint32_t len, n;
	int k;

	k = hochan_conn_encode(buf, sizeof(buf), &mig, st, 5, blob, 9);
	tap_ok(k == HOCHAN_CONN_FIXED + 14 && !hochan_conn_decode(buf, (size_t)k, &c) &&
	       c.mig.id == 77 && c.mig.counter == 3 && c.mig.flags == HOCHAN_F_NEGOTIATED &&
	       !memcmp(c.mig.c_nonce, "abcdefg", 8) && c.mig.orig_addr[0] == 10 &&
	       c.state_len == 5 && !memcmp(c.state, "state", 5) && c.blob_len == 9 &&
	       !memcmp(c.blob, "blobbytes", 9), "CONN frame round-trips");
	for (int i = 0; i < k; i++)
		bad += hochan_conn_decode(buf, (size_t)i, &c) != -EBADMSG;
	bad += hochan_conn_decode(buf, (size_t)k + 1, &c) != -EBADMSG;
	tap_ok(!bad, "CONN: every truncation and a trailing byte are refused");
	buf[3] |= 2;
	tap_ok(hochan_conn_decode(buf, (size_t)k, &c) == -EBADMSG, "CONN: unknown flag refused");
	hochan_hdr_format(hdr, HOCHAN_CONN, HOCHAN_PAYLOAD_MAX);
	tap_ok(!hochan_hdr_parse(hdr, &t, &len) && t == HOCHAN_CONN && len == HOCHAN_PAYLOAD_MAX,
	       "header at the size limit passes");
	hochan_hdr_format(hdr, HOCHAN_CONN, HOCHAN_PAYLOAD_MAX + 1);
	tap_ok(hochan_hdr_parse(hdr, &t, &len) == -EMSGSIZE, "one byte over: -EMSGSIZE");
	hdr[2] = 9;
	tap_ok(hochan_hdr_parse(hdr, &t, &len) == -EPROTO, "another version: -EPROTO");
	hochan_hdr_format(hdr, 4, 0);
	tap_ok(hochan_hdr_parse(hdr, &t, &len) == -EBADMSG, "unknown frame type refused");
	memcpy(buf, "\0\0\0\2\0\1", 6);
	tap_ok(!hochan_result_decode(buf, 6, &n, status) && n == 2 && status[1] == 1 &&
	       hochan_result_decode(buf, 5, &n, status) == -EBADMSG &&
	       hochan_result_decode(buf, 7, &n, status) == -EBADMSG,
	       "RESULT: count and statuses must agree");
	memcpy(buf, "\0\0\x10\x01", 4);
	tap_ok(hochan_end_decode(buf, 4, &n) == -EBADMSG, "END beyond %u connections refused",
	       HOCHAN_CONNS_MAX);
}

/* ---- The channel ---- */

struct server {
	struct ho *ho;
	int lfd;
	int ret;
};

static void *serve_one(void *arg)
{
	struct server *s = arg;
	int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);

	s->ret = fd < 0 ? -errno : ho_serve(s->ho, fd);
	return NULL;
}

static int listener(struct sockaddr_in *a)
{
	socklen_t l = sizeof(*a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	*a = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (fd < 0 || bind(fd, (struct sockaddr *)a, l) || listen(fd, 4) ||
	    getsockname(fd, (struct sockaddr *)a, &l))
		return -1;
	return fd;
}

/* One session: the client's part in fn, the server's result returned. */
static int session(struct ho *srv, struct ho *cli, int (*fn)(SSL *ssl), bool *connected)
{
	struct server s = { .ho = srv };
	struct sockaddr_in a;
	pthread_t th;
	SSL *ssl;

	s.lfd = listener(&a);
	if (s.lfd < 0 || pthread_create(&th, NULL, serve_one, &s))
		return -999;
	ssl = ho_tls_connect(cli, (struct sockaddr *)&a, sizeof(a), ho_now_ms() + 2000);
	*connected = ssl != NULL;
	if (ssl) {
		/* Read what the server says, so a failure on its side shows. */
		fn(ssl);
		ho_tls_close(ssl);
	}
	pthread_join(th, NULL);
	close(s.lfd);
	return s.ret;
}

static int dhe_group;

/* END 0, and wait for the RESULT (8 + 4 bytes). */
static int send_end0(SSL *ssl)
{
	uint8_t res[12];
	size_t n;

	/* psk_dhe_ke: a key exchange group was negotiated (forward secrecy). */
	dhe_group = SSL_get_negotiated_group(ssl);
	if (ho_frame_send(ssl, HOCHAN_END, "\0\0\0\0", 4, ho_now_ms() + 1000))
		return -EIO;
	fcntl(SSL_get_fd(ssl), F_SETFL, 0);
	return SSL_read_ex(ssl, res, sizeof(res), &n) ? 0 : -EIO;
}

static int send_oversized(SSL *ssl)
{
	uint8_t hdr[HOCHAN_HDR_LEN];

	hochan_hdr_format(hdr, HOCHAN_CONN, HOCHAN_PAYLOAD_MAX + 1);
	return SSL_write(ssl, hdr, sizeof(hdr)) == sizeof(hdr) ? 0 : -EIO;
}

static int send_truncated(SSL *ssl)
{
	uint8_t hdr[HOCHAN_HDR_LEN], half[50] = { 0 };

	hochan_hdr_format(hdr, HOCHAN_CONN, 100);
	return SSL_write(ssl, hdr, sizeof(hdr)) == sizeof(hdr) &&
	       SSL_write(ssl, half, sizeof(half)) == sizeof(half) ? 0 : -EIO;
}

static uint8_t result[8];
static size_t result_len;

/* A CONN that parses as a frame but not as a record, then END 1. */
static int send_garbage_conn(SSL *ssl)
{
	uint8_t junk[HOCHAN_CONN_FIXED + 4] = { 0 };
	uint8_t hdr[HOCHAN_HDR_LEN];
	size_t n;

	junk[sizeof(junk) - 1] = 1;	/* a blob of 1 byte that is not there */
	if (ho_frame_send(ssl, HOCHAN_CONN, junk, sizeof(junk), ho_now_ms() + 1000) ||
	    ho_frame_send(ssl, HOCHAN_END, "\0\0\0\1", 4, ho_now_ms() + 1000))
		return -EIO;
	result_len = 0;
	fcntl(SSL_get_fd(ssl), F_SETFL, 0);	/* blocking reads, here */
	if (SSL_read_ex(ssl, hdr, sizeof(hdr), &n) && n == sizeof(hdr) &&
	    SSL_read_ex(ssl, result, 5, &n))
		result_len = n;
	return 0;
}

static void test_channel(void)
{
	struct ho_cfg ca = { .timeout_ms = 1000 }, cb = { .timeout_ms = 1000 };
	struct ho *a, *a2, *b;
	struct ho_stats s;
	char err[256];
	bool conn;
	int ret;

	memset(ca.kmig, 0x11, sizeof(ca.kmig));
	memset(cb.kmig, 0x22, sizeof(cb.kmig));
	if (ho_new(&a, &ca, err, sizeof(err)) || ho_new(&a2, &ca, err, sizeof(err)) ||
	    ho_new(&b, &cb, err, sizeof(err))) {
		tap_ok(false, "channel set up: %s", err);
		return;
	}
	ret = session(a, a2, send_end0, &conn);
	tap_ok(conn && ret == 0 && dhe_group > 0,
	       "the same K_mig: handshake with (EC)DHE group %d, END 0, RESULT (server %d)",
	       dhe_group, ret);
	ret = session(a, b, send_end0, &conn);
	ho_get_stats(a, &s);
	tap_ok(!conn && ret == -EACCES && s.in_refused == 1 && s.in_sessions == 1,
	       "another key: refused in the handshake (server %d, refused %llu)", ret,
	       (unsigned long long)s.in_refused);
	ret = session(a, a2, send_oversized, &conn);
	tap_ok(conn && ret == -EMSGSIZE, "a frame over the size limit: rejected (%d)", ret);
	ret = session(a, a2, send_truncated, &conn);
	tap_ok(conn && (ret == -ECONNRESET || ret == -EPROTO),
	       "a truncated frame: rejected (%d)", ret);
	ret = session(a, a2, send_garbage_conn, &conn);
	ho_get_stats(a, &s);
	tap_ok(conn && ret == 0 && result_len == 5 && !memcmp(result, "\0\0\0\1\1", 5) &&
	       s.in_failed == 1 && s.adopted == 0,
	       "a malformed record: RESULT says not restored, nothing adopted");
	{
		/* A peer that connects and says nothing: the deadline ends it. */
		struct server sv = { .ho = a };
		struct sockaddr_in ad;
		pthread_t th;
		uint64_t t0 = ho_now_ms();
		int fd;

		sv.lfd = listener(&ad);
		pthread_create(&th, NULL, serve_one, &sv);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		connect(fd, (struct sockaddr *)&ad, sizeof(ad));
		pthread_join(th, NULL);
		tap_ok(sv.ret == -EACCES && ho_now_ms() - t0 < 1800,
		       "a silent peer is dropped at the timeout (%llu ms)",
		       (unsigned long long)(ho_now_ms() - t0));
		close(fd);
		close(sv.lfd);
	}
	ho_free(a);
	ho_free(a2);
	ho_free(b);
}

/* ---- roam.ko's connection table: the messages ---- */

static char nlbuf[4096] __attribute__((aligned(8)));

static void test_kernel_msgs(void)
{
	static const enum mnl_attr_data_type top[ROAM_A_MAX + 1] = {
		[ROAM_A_CONN] = MNL_TYPE_NESTED,
	};
	struct hok_conn c = { .local = { AF_INET, 8000, { 10, 0, 22, 1 } },
			      .peer = { AF_INET, 40000, { 10, 0, 1, 2 } } };
	struct hochan_mig mig = { .flags = HOCHAN_F_NEGOTIATED, .id = 0x01020304,
				  .c_nonce = "cnonce!", .s_nonce = "snonce!",
				  .orig_addr = { 10, 0, 21, 1 }, .counter = 4 }, back;
	const struct nlattr *tb[ROAM_A_MAX + 1], *a[ROAM_CONN_A_MAX + 1];
	uint8_t mac[MIG_MAC_LEN], want[ROAM_MIG_MIGRATE_LEN];
	struct nlmsghdr *nlh;
	struct nlattr *n;
	int state = 0;

	memset(mac, 0xab, sizeof(mac));
	nlh = genl_msg_start(nlbuf, 0x20, 0, ROAM_CMD_CONN_SET, ROAM_GENL_VERSION);
	hokmsg_migrating(nlh, &c, &mig, 5, mac);
	memcpy(want, mig.orig_addr, 4);
	memcpy(want + 4, "\0\0\0\5", 4);
	memcpy(want + 8, mac, sizeof(mac));
	tap_ok(!genl_attr_parse(nlh, top, tb, ROAM_A_MAX) && tb[ROAM_A_CONN] &&
	       !genl_attr_parse_nested(tb[ROAM_A_CONN], NULL, a, ROAM_CONN_A_MAX) &&
	       a[ROAM_CONN_A_LADDR4] && !memcmp(mnl_attr_get_payload(a[ROAM_CONN_A_LADDR4]),
						c.local.addr, 4) &&
	       a[ROAM_CONN_A_LPORT] && mnl_attr_get_u16(a[ROAM_CONN_A_LPORT]) == htons(8000) &&
	       a[ROAM_CONN_A_RPORT] && mnl_attr_get_u16(a[ROAM_CONN_A_RPORT]) == htons(40000) &&
	       a[ROAM_CONN_A_STATE] && mnl_attr_get_u8(a[ROAM_CONN_A_STATE]) == ROAM_CONN_MIGRATING &&
	       a[ROAM_CONN_A_CLIENT_ID] && mnl_attr_get_u32(a[ROAM_CONN_A_CLIENT_ID]) == 0x01020304 &&
	       a[ROAM_CONN_A_MIGRATE] &&
	       mnl_attr_get_payload_len(a[ROAM_CONN_A_MIGRATE]) == ROAM_MIG_MIGRATE_LEN &&
	       !memcmp(mnl_attr_get_payload(a[ROAM_CONN_A_MIGRATE]), want, sizeof(want)),
	       "CONN_SET MIGRATING: key in network order, id, MIGRATE = orig | be32 5 | MAC");

	/* A CONN_GET reply as roam.ko builds it. */
	nlh = genl_msg_start(nlbuf, 0x20, 0, ROAM_CMD_CONN_GET, ROAM_GENL_VERSION);
	n = mnl_attr_nest_start(nlh, ROAM_A_CONN);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_LADDR4, 0x0116000a);
	mnl_attr_put_u8(nlh, ROAM_CONN_A_STATE, ROAM_CONN_CONFIRMED);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_CLIENT_ID, 77);
	mnl_attr_put(nlh, ROAM_CONN_A_C_NONCE, 8, "abcdefgh");
	mnl_attr_put(nlh, ROAM_CONN_A_S_NONCE, 8, "ABCDEFGH");
	mnl_attr_put(nlh, ROAM_CONN_A_ORIG4, 4, mig.orig_addr);
	mnl_attr_put_u32(nlh, ROAM_CONN_A_COUNTER, 4);
	mnl_attr_nest_end(nlh, n);
	tap_ok(!hokmsg_parse(nlh, &back, &state) && state == ROAM_CONN_CONFIRMED &&
	       back.id == 77 && back.counter == 4 && !memcmp(back.c_nonce, "abcdefgh", 8) &&
	       !memcmp(back.s_nonce, "ABCDEFGH", 8) && !memcmp(back.orig_addr, mig.orig_addr, 4) &&
	       back.flags == HOCHAN_F_NEGOTIATED, "CONN_GET reply: the next MAC's input");
	nlh = genl_msg_start(nlbuf, 0x20, 0, ROAM_CMD_CONN_GET, ROAM_GENL_VERSION);
	n = mnl_attr_nest_start(nlh, ROAM_A_CONN);
	mnl_attr_put_u8(nlh, ROAM_CONN_A_STATE, ROAM_CONN_NEGOTIATED);
	mnl_attr_put(nlh, ROAM_CONN_A_C_NONCE, 7, "short!!");
	mnl_attr_nest_end(nlh, n);
	tap_ok(hokmsg_parse(nlh, &back, &state) == -EBADMSG,
	       "CONN_GET reply without id, with a short nonce: refused");

	/* The CONFIRMED event roamd counts the stall from. */
	{
		struct gate_event ev;

		nlh = genl_msg_start(nlbuf, 0x20, 0, ROAM_CMD_EVENT_CONN_CONFIRMED,
				     ROAM_GENL_VERSION);
		n = mnl_attr_nest_start(nlh, ROAM_A_CONN);
		mnl_attr_put_u32(nlh, ROAM_CONN_A_RADDR4, htonl(0x0a000101));
		mnl_attr_put_u16(nlh, ROAM_CONN_A_RPORT, htons(40000));
		mnl_attr_put_u8(nlh, ROAM_CONN_A_STATE, ROAM_CONN_CONFIRMED);
		mnl_attr_put_u64(nlh, ROAM_CONN_A_STALL_NS, 3141592);
		mnl_attr_nest_end(nlh, n);
		tap_ok(!gatemsg_event_parse(nlh, &ev) && ev.cmd == ROAM_CMD_EVENT_CONN_CONFIRMED &&
		       ev.stall_ns == 3141592 && ev.raddr == htonl(0x0a000101) && ev.rport == 40000,
		       "CONN_CONFIRMED event: client and stall");
	}
}

int main(void)
{
	/* As roamd: a peer that hangs up is an error return, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	tap_plan(40);
	test_parse_table();
	test_round_trip();
	test_file_state();
	test_frames();
	test_channel();
	test_kernel_msgs();
	return tap_done();
}
