// SPDX-License-Identifier: GPL-2.0
/*
 * lib/tcprepair.c: the state blob's encoder and strict decoder, and a
 * real freeze / close / restore of an IPv4 and an IPv6 connection in a
 * private network namespace (needs root, as make check runs the host tests).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "tcprepair.h"

/* The byte at offset i of a stream: a pattern that shows a shift. */
static uint8_t pat(uint32_t seed, uint64_t i)
{
	uint64_t x = (i + seed) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)(x >> 56 ^ x >> 29);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* ---------------------------------------------------------------------- */
/* Decoder                                                                */
/* ---------------------------------------------------------------------- */

static void sample_state(struct tcpr_state *st, uint8_t *sq, uint32_t sl,
			 uint8_t *rq, uint32_t rl)
{
	memset(st, 0, sizeof(*st));
	st->local = (struct tcpr_addr){ AF_INET, 8080, { 10, 0, 0, 1 } };
	st->peer = (struct tcpr_addr){ AF_INET, 40000, { 10, 0, 0, 2 } };
	st->snd_una = 0xfffffff0;
	st->sndq = sq;
	st->sndq_len = sl;
	st->unsent = sl / 2;
	st->rcv_seq = 12345;
	st->rcvq = rq;
	st->rcvq_len = rl;
	st->mss = 1448;
	st->timestamp = 0x80000001;
	st->win = (struct tcpr_window){ 1, 2, 3, 4, 5 };
	st->opts = TCPR_OPT_ALL;
	st->snd_wscale = 7;
	st->rcv_wscale = 14;
	st->sndbuf = 4 << 20;
	st->rcvbuf = 6 << 20;
	st->nodelay = true;
}

static bool state_eq(const struct tcpr_state *a, const struct tcpr_state *b)
{
	return !memcmp(&a->local, &b->local, sizeof(a->local)) &&
		!memcmp(&a->peer, &b->peer, sizeof(a->peer)) &&
		a->snd_una == b->snd_una && a->sndq_len == b->sndq_len &&
		a->unsent == b->unsent && a->rcv_seq == b->rcv_seq &&
		a->rcvq_len == b->rcvq_len && a->mss == b->mss &&
		a->timestamp == b->timestamp &&
		!memcmp(&a->win, &b->win, sizeof(a->win)) && a->opts == b->opts &&
		a->snd_wscale == b->snd_wscale && a->rcv_wscale == b->rcv_wscale &&
		a->sndbuf == b->sndbuf && a->rcvbuf == b->rcvbuf &&
		a->nodelay == b->nodelay &&
		(!a->sndq_len || !memcmp(a->sndq, b->sndq, a->sndq_len)) &&
		(!a->rcvq_len || !memcmp(a->rcvq, b->rcvq, a->rcvq_len));
}

/* Offsets in the sample blob (IPv4, 100-byte send queue, 10-byte receive queue). */
enum {
	OFF_HDR = 0, OFF_LOCAL = 8, OFF_PEER = 8 + 14, OFF_SND_UNA = 22 + 14,
	OFF_SNDQ = 36 + 10,
};

/* The sample blob with n bytes at off replaced must be refused. */
static void bad(const uint8_t *blob, size_t len, size_t off, const void *bytes,
		size_t n, const char *what)
{
	struct tcpr_state st;
	const char *why = "";
	uint8_t b[1024];
	int ret;

	memcpy(b, blob, len);
	memcpy(b + off, bytes, n);
	ret = tcpr_decode(b, len, &st, &why);
	tap_ok(ret == -EINVAL && !st.sndq && !st.rcvq, "%s refused: %s", what, why);
	tcpr_state_free(&st);
}

/* The same for a whole blob. */
static void bad_blob(const uint8_t *b, size_t len, const char *what)
{
	bad(b, len, 0, b, 0, what);
}

/* A send queue of TCPR_QUEUE_MAX + 1 bytes, all there: refused. */
static void test_oversize(const uint8_t *blob, size_t len)
{
	size_t qlen = TCPR_QUEUE_MAX + 1u, blen = len - 100 + qlen;
	struct tcpr_state st;
	const char *why = "";
	uint8_t *b = calloc(1, blen);
	int ret;

	if (!b) {
		tap_ok(false, "oversize send queue: no memory");
		return;
	}
	memcpy(b, blob, OFF_SNDQ);
	memcpy(b + OFF_SNDQ, "\0\x04\x04\0\0\x01", 6);
	memcpy(b + OFF_SNDQ + 6 + qlen, blob + OFF_SNDQ + 6 + 100, len - OFF_SNDQ - 106);
	ret = tcpr_decode(b, blen, &st, &why);
	tap_ok(ret == -EINVAL && !strcmp(why, "queue longer than TCPR_QUEUE_MAX"),
	       "send queue of TCPR_QUEUE_MAX + 1 bytes refused: %s", why);
	/* One byte less in the same place decodes (the bound is exact). */
	memcpy(b + OFF_SNDQ, "\0\x04\x04\0\0\0", 6);
	memmove(b + OFF_SNDQ + 6 + qlen - 1, b + OFF_SNDQ + 6 + qlen, len - OFF_SNDQ - 106);
	ret = tcpr_decode(b, blen - 1, &st, &why);
	tap_ok(!ret && st.sndq_len == TCPR_QUEUE_MAX, "send queue of TCPR_QUEUE_MAX bytes decodes: %s",
	       ret ? why : "ok");
	tcpr_state_free(&st);
	free(b);
}

static void test_blob(void)
{
	uint8_t sq[100], rq[10], blob[1024], big[1100];
	struct tcpr_state st, st2;
	const char *why = "";
	size_t len, i;
	bool all;
	int n;

	for (i = 0; i < sizeof(sq); i++)
		sq[i] = pat(1, i);
	for (i = 0; i < sizeof(rq); i++)
		rq[i] = pat(2, i);
	sample_state(&st, sq, sizeof(sq), rq, sizeof(rq));
	len = tcpr_encoded_len(&st);
	n = tcpr_encode(&st, blob, sizeof(blob));
	tap_ok(n > 0 && (size_t)n == len && len == 8 + 13 * 6 + 8 + 8 + 4 + 100 +
	       4 + 4 + 10 + 2 + 4 + 20 + 4 + 8 + 4, "encode: %d bytes, as computed", n);
	tap_ok(!memcmp(blob, "TCPR\x01\0\0\0" "\0\x01\0\0\0\x08\x04\0\x1f\x90\x0a\0\0\x01", 22),
	       "encode: header and the first field as documented");
	tap_ok(tcpr_encode(&st, blob, len - 1) == -ENOSPC, "encode: short buffer, -ENOSPC");
	tap_ok(!tcpr_decode(blob, len, &st2, &why) && state_eq(&st, &st2),
	       "decode(encode(state)) == state");
	tcpr_state_free(&st2);

	/* Every proper prefix is refused (a field cut anywhere). */
	for (all = true, i = 0; i < len; i++)
		if (tcpr_decode(blob, i, &st2, &why) != -EINVAL || st2.sndq)
			all = false;
	tap_ok(all, "every truncation of the blob is refused");

	/* An unknown optional field is skipped, an unknown required one is not. */
	memcpy(big, blob, len);
	memcpy(big + len, "\x80\x01\0\0\0\x02xy", 8);
	tap_ok(!tcpr_decode(big, len + 8, &st2, &why) && state_eq(&st, &st2),
	       "unknown optional field (0x8001) skipped");
	tcpr_state_free(&st2);
	memcpy(big + len, "\x00\x20\0\0\0\x02xy", 8);
	bad_blob(big, len + 8, "unknown required field (0x0020)");
	memcpy(big + len, "\x00\x0d\0\0\0\x04\0\0\0\0", 10);
	bad_blob(big, len + 10, "a repeated field (FLAGS twice)");
	big[len] = 0;
	bad_blob(big, len + 1, "a trailing byte");

	/* Values out of range. */
	bad(blob, len, OFF_HDR + 4, "\x02", 1, "version 2");
	bad(blob, len, OFF_HDR + 5, "\x01", 1, "reserved header byte");
	bad(blob, len, OFF_LOCAL + 6, "\x06", 1, "IPv4 length with family 6");
	bad(blob, len, OFF_LOCAL + 8, "\0\0", 2, "port 0");
	bad(blob, len, OFF_SNDQ + 2, "\x7f\xff\xff\xff", 4, "field longer than the blob");
	/* The field after the send queue: UNSENT = 101 > 100. */
	bad(blob, len, OFF_SNDQ + 6 + 100 + 6, "\0\0\0\x65", 4, "more unsent bytes than queued");
	/* Fields out of order: swap the type of LOCAL and PEER. */
	bad(blob, len, OFF_LOCAL, "\0\x02", 2, "fields out of order");

	/* Window scale 15, and a missing field (the last one cut whole). */
	st.rcv_wscale = 15;
	tap_ok(tcpr_encode(&st, blob, sizeof(blob)) == -EINVAL,
	       "encode refuses a state that would not decode");
	st.rcv_wscale = 14;
	tcpr_encode(&st, blob, sizeof(blob));
	tap_ok(tcpr_decode(blob, len - 10, &st2, &why) == -EINVAL &&
	       !strcmp(why, "a field is missing"), "a missing field is refused");
	test_oversize(blob, len);
}

/* ---------------------------------------------------------------------- */
/* A move on the loopback of a private namespace                          */
/* ---------------------------------------------------------------------- */

static int xfer(int fd, uint32_t seed, uint64_t *off, uint64_t end, bool wr)
{
	uint8_t buf[65536];
	size_t n, i;
	ssize_t r;

	while (*off < end) {
		n = end - *off < sizeof(buf) ? end - *off : sizeof(buf);
		if (wr)
			for (i = 0; i < n; i++)
				buf[i] = pat(seed, *off + i);
		r = wr ? send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) :
			recv(fd, buf, n, MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN)
			return 0;
		if (r <= 0)
			return r ? -errno : -EPIPE;
		if (!wr)
			for (i = 0; i < (size_t)r; i++)
				if (buf[i] != pat(seed, *off + i))
					return -EILSEQ;
		*off += r;
	}
	return 0;
}

/* Both ends to their totals, or an error / 5 s without progress. */
static int pump(int a, int b, uint64_t *aw, uint64_t *br, uint64_t *bw,
		uint64_t *ar, uint64_t end)
{
	double t = now_ms();
	int ret;

	while (*ar < end || *br < end) {
		uint64_t before = *aw + *br + *bw + *ar;
		struct pollfd p[2] = { { a, POLLIN | POLLOUT, 0 }, { b, POLLIN | POLLOUT, 0 } };

		poll(p, 2, 100);
		if ((ret = xfer(a, 1, aw, end, true)) || (ret = xfer(b, 1, br, end, false)) ||
		    (ret = xfer(b, 2, bw, end, true)) || (ret = xfer(a, 2, ar, end, false)))
			return ret;
		if (*aw + *br + *bw + *ar != before)
			t = now_ms();
		else if (now_ms() - t > 5000)
			return -ETIMEDOUT;
	}
	return 0;
}

static void test_loopback(int family)
{
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_port = htons(8080),
				    .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in sa4 = { .sin_family = AF_INET, .sin_port = htons(8080),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr *sa = family == AF_INET ? (struct sockaddr *)&sa4 : (struct sockaddr *)&sa6;
	socklen_t sl = family == AF_INET ? sizeof(sa4) : sizeof(sa6);
	uint64_t sw = 0, cr = 0, cw = 0, sr = 0;
	int l, c, s, one = 1, ret, n;
	struct tcpr_state st, st2;
	char err[256] = "";
	uint8_t *blob;

	if (system("ip link set lo up")) {
		tap_ok(false, "loopback up");
		return;
	}
	l = socket(family, SOCK_STREAM, 0);
	c = socket(family, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, sa, sl) || listen(l, 4) || connect(c, sa, sl) ||
	    (s = accept(l, NULL, NULL)) < 0) {
		tap_ok(false, "%s: connection on the loopback: %s", fam, strerror(errno));
		return;
	}
	/* Queues: 300 KB from server to client, 200 KB back, nobody reads. */
	xfer(s, 1, &sw, 300000, true);
	xfer(c, 2, &cw, 200000, true);
	usleep(100000);

	ret = tcpr_freeze(s, &st, err, sizeof(err));
	tap_ok(!ret, "%s: freeze: %s", fam, ret ? err : "ok");
	if (ret)
		return;
	printf("# frozen: send queue %u (%u unsent), receive queue %u, mss %u, wscale %u/%u, opts %#x\n",
	       st.sndq_len, st.unsent, st.rcvq_len, st.mss, st.snd_wscale, st.rcv_wscale, st.opts);
	tap_ok(st.rcvq_len && st.rcvq_len <= cw && st.sndq_len && st.sndq_len <= sw &&
	       st.local.port == 8080 && st.local.family == family && st.opts == TCPR_OPT_ALL,
	       "%s: frozen state: queues of %u and %u bytes, all options", fam,
	       st.sndq_len, st.rcvq_len);
	blob = malloc(tcpr_encoded_len(&st));
	n = tcpr_encode(&st, blob, tcpr_encoded_len(&st));
	tap_ok(n > 0 && !tcpr_decode(blob, n, &st2, NULL) && state_eq(&st, &st2),
	       "%s: the frozen state survives encode and decode (%d bytes)", fam, n);
	free(blob);
	tcpr_state_free(&st);
	close(s);

	/* The listener is still there: the restore binds beside it. */
	s = tcpr_restore(&st2, NULL, 0, err, sizeof(err));
	tap_ok(s >= 0, "%s: restore beside the listener: %s", fam, s < 0 ? err : "ok");
	if (s < 0)
		return;
	ret = tcpr_finish(s, &st2, err, sizeof(err));
	tap_ok(!ret, "%s: finish: %s", fam, ret ? err : "ok");
	tcpr_state_free(&st2);
	ret = pump(s, c, &sw, &cr, &cw, &sr, 2000000);
	tap_ok(!ret, "%s: 2 MB each way after the move, byte-exact: %s", fam, ret ? strerror(-ret) : "ok");
	close(s);
	close(c);
	close(l);
}

int main(void)
{
	tap_plan(32);
	test_blob();
	if (geteuid() || unshare(CLONE_NEWNET)) {
		printf("# not root or no network namespace: %s\n", strerror(errno));
		return tap_done() ? 1 : TAP_SKIP_EXIT;
	}
	test_loopback(AF_INET);
	test_loopback(AF_INET6);
	return tap_done();
}
