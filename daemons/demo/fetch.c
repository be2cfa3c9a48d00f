// SPDX-License-Identifier: GPL-2.0
/*
 * roam-fetch: the demo client (the paper's FTP client).  Subscribes to
 * authd, follows the schedule by its own computation, and fetches files
 * from whichever pool server is active.  When the service roams during a
 * transfer it does the paper's migration: drop the connection, connect to
 * the new active server and ask for the rest from the byte offset it
 * already has.  A connection that breaks or stalls is retried the same
 * way.  At the end it checks the SHA-256 of what it assembled and prints
 * one JSON line per transfer with its response time and migrations.
 *
 * With --handoff it loads the live handoff's key authd gave into roam.ko
 * (Documentation/roam-handoff.md) and keeps, across a roam, a connection
 * that negotiated the option: the service moves it to the new server and
 * roam.ko follows ("handoffs" counts the moves roam.ko accepted).  A
 * connection that did not negotiate, or that stalls after a roam, gets
 * the paper's migration as without the option.
 *
 * Exit 0 when every transfer finished byte-exact, 1 otherwise, 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "client.h"
#include "fileproto.h"
#include "hex.h"
#include "jsonl.h"
#include "log.h"
#include "parse.h"
#include "roam_mig.h"

struct opts {
	struct roam_client_cfg cfg;
	const char *outdir;
	const char *files[64];
	int nfiles;
	unsigned int repeat;
	uint32_t timeout_ms;		/* per transfer */
	uint32_t stall_ms;		/* no byte for this long: reconnect */
	uint32_t connect_ms;
	uint32_t guard_ms;		/* migrate this long after the roam */
	bool have_static;
	struct roam_addr static_addr;	/* outsider mode: no schedule */
	uint8_t want_sha[32];
	bool have_want;
	bool handoff;			/* keep negotiated connections */
	uint32_t rate;			/* bytes/s read, 0: as fast as it comes */
	uint32_t rcvbuf;		/* SO_RCVBUF, 0: the kernel's */
};

struct xfer {
	const char *name;
	int fd;				/* data connection */
	bool have_hdr;
	char hdr[RFILE_LINE_MAX];
	size_t hdr_len;
	uint64_t size, got;
	uint8_t sha[32];
	EVP_MD_CTX *md;
	int out;
	uint64_t conn_epoch, conn_end, conn_at, last_byte;
	uint32_t server;
	unsigned int migrations, reconnects;
	unsigned int handoffs;		/* moves roam.ko accepted */
	bool negotiated;		/* this connection: roam.ko has it */
	uint32_t moves0;		/* its counter when looked at first */
	uint32_t laddr, raddr;		/* its 4-tuple, for the lookup */
	uint16_t lport, rport;
	uint64_t t0;
	uint64_t first_conn;		/* wall clock of the first connection */
	struct json_object *servers;	/* every address connected to */
	char error[160];
};

static struct roam_client *client;
static bool client_lost;
static struct roam_mig *mig;		/* --handoff: roam.ko */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Keys as authd pushes them; a revoked client keeps what it knows. */
static void pump_authd(int timeout)
{
	int ret;

	if (!client || client_lost)
		return;
	ret = roam_client_poll(client, timeout);
	if (ret) {
		log_warn("authd: %s; following the schedule with the keys I have",
			 roam_client_error(client));
		client_lost = true;
	}
}

/* Where to connect now: 0, or -EAGAIN (not known yet), -ESTALE. */
static int where(const struct opts *o, struct xfer *x, struct roam_addr *a)
{
	struct roam_epoch e;
	uint64_t end;
	int ret;

	if (o->have_static) {
		*a = o->static_addr;
		x->conn_epoch = 0;
		x->conn_end = 0;
		return 0;
	}
	ret = roam_client_epoch(client, now_ms(), &e, &end);
	if (ret == -ENODATA || ret == -ERANGE)
		return -EAGAIN;
	if (ret)
		return ret;
	*a = roam_client_pool(client)[e.server];
	x->conn_epoch = e.index;
	x->conn_end = end;
	x->server = e.server;
	return 0;
}

static int tcp_connect(const struct roam_addr *a, uint32_t timeout_ms,
		       uint32_t rcvbuf)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(a->port) };
	struct pollfd pfd;
	int fd, soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (a->family != 4)
		return -EAFNOSUPPORT;
	memcpy(&sin.sin_addr, a->addr, 4);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		goto fail;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) && errno != EINPROGRESS)
		goto fail;
	/*
	 * Our own timeout, shorter than TCP's first SYN retransmission
	 * (1 s): a SYN that met a gate not yet switched is retried at once.
	 */
	pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
	if (poll(&pfd, 1, (int)timeout_ms) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) || soerr) {
		errno = soerr ? soerr : ETIMEDOUT;
		goto fail;
	}
	return fd;
fail:
	soerr = errno;
	close(fd);
	return -soerr;
}

/*
 * Did this connection negotiate the handoff?  roam.ko's client table
 * lists it by the socket's 4-tuple (the first server's address, also
 * after a move).
 */
static void mig_lookup(struct xfer *x, bool first)
{
	struct roam_mig_cconn c;
	struct sockaddr_in l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);

	if (!mig || x->fd < 0)
		return;
	if (first) {
		if (getsockname(x->fd, (struct sockaddr *)&l, &ll) ||
		    getpeername(x->fd, (struct sockaddr *)&r, &rl) ||
		    l.sin_family != AF_INET || r.sin_family != AF_INET)
			return;
		x->laddr = l.sin_addr.s_addr;
		x->raddr = r.sin_addr.s_addr;
		x->lport = ntohs(l.sin_port);
		x->rport = ntohs(r.sin_port);
	} else if (!x->negotiated) {
		return;
	}
	if (roam_mig_cconn_find(mig, x->laddr, x->lport, x->raddr, x->rport, &c) ||
	    (c.state != ROAM_CONN_ESTABLISHED && c.state != ROAM_CONN_MOVED))
		return;
	if (first) {
		x->negotiated = true;
		x->moves0 = c.counter;
	} else if (c.counter > x->moves0) {
		x->handoffs += c.counter - x->moves0;
		x->moves0 = c.counter;
	}
}

static void drop_conn(struct xfer *x)
{
	mig_lookup(x, false);
	x->negotiated = false;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	x->have_hdr = false;
	x->hdr_len = 0;
}

static int open_conn(const struct opts *o, struct xfer *x)
{
	struct rfile_req q = { .offset = x->got };
	struct roam_addr a;
	char line[RFILE_LINE_MAX + 1], as[64];
	int fd, n, ret;

	ret = where(o, x, &a);
	if (ret)
		return ret;
	fd = tcp_connect(&a, o->connect_ms, o->rcvbuf);
	roam_addr_format(&a, as, sizeof(as));
	if (fd < 0) {
		log_debug("connect %s: %s", as, strerror(-fd));
		return fd;
	}
	snprintf(q.name, sizeof(q.name), "%s", x->name);
	n = rfile_req_format(line, sizeof(line), &q);
	if (n < 0 || write(fd, line, (size_t)n) != n) {
		close(fd);
		return -EIO;
	}
	x->fd = fd;
	x->last_byte = x->conn_at = now_ms();
	if (!x->first_conn)
		x->first_conn = x->conn_at;
	mig_lookup(x, true);
	json_object_array_add(x->servers, json_object_new_string(as));
	log_debug("connected to %s for %s from byte %" PRIu64 "%s", as, x->name, x->got,
		  x->negotiated ? " (handoff negotiated)" : "");
	return 0;
}

/* The response header; 1 when the body may follow, 0 wait, <0 fatal. */
static int on_header(struct xfer *x)
{
	struct rfile_resp r;
	const char *why;
	int n = rfile_resp_parse(x->hdr, x->hdr_len, &r, &why);
	size_t rest;

	if (!n)
		return 0;
	if (n < 0) {
		snprintf(x->error, sizeof(x->error), "bad response header: %s", why);
		return -EPROTO;
	}
	if (!r.ok) {
		snprintf(x->error, sizeof(x->error), "server: %u %s", r.code, r.text);
		return -ENOENT;
	}
	/* A resumed transfer must be the same file, from where we are. */
	if (r.offset != x->got || (x->size != UINT64_MAX &&
	    (r.size != x->size || memcmp(r.sha256, x->sha, 32)))) {
		snprintf(x->error, sizeof(x->error),
			 "server sent a different file or offset on resume");
		return -EPROTO;
	}
	x->size = r.size;
	memcpy(x->sha, r.sha256, 32);
	x->have_hdr = true;
	rest = x->hdr_len - (size_t)n;
	memmove(x->hdr, x->hdr + n, rest);
	x->hdr_len = rest;
	return 1;
}

static int take(struct xfer *x, const char *buf, size_t n)
{
	if (n > x->size - x->got) {
		snprintf(x->error, sizeof(x->error), "server sent more than the file");
		return -EPROTO;
	}
	EVP_DigestUpdate(x->md, buf, n);
	if (x->out >= 0 && pwrite(x->out, buf, n, (off_t)x->got) != (ssize_t)n) {
		snprintf(x->error, sizeof(x->error), "writing the output: %s", strerror(errno));
		return -EIO;
	}
	x->got += n;
	x->last_byte = now_ms();
	return 0;
}

/* Read what is there: 0 go on, 1 connection over (retry), <0 fatal. */
static int on_data(const struct opts *o, struct xfer *x)
{
	static char buf[64 * 1024];
	size_t want = sizeof(buf);
	ssize_t n;
	int ret;

	/* --rate: small reads, so that the pace is smooth. */
	if (o->rate && o->rate / 20 + 1 < want)
		want = o->rate / 20 + 1;
	if (!x->have_hdr) {
		n = read(x->fd, x->hdr + x->hdr_len, sizeof(x->hdr) - x->hdr_len);
		if (n <= 0)
			return n < 0 && errno == EAGAIN ? 0 : 1;
		x->hdr_len += (size_t)n;
		ret = on_header(x);
		if (ret <= 0)
			return ret;
		ret = take(x, x->hdr, x->hdr_len);
		x->hdr_len = 0;
		return ret;
	}
	n = read(x->fd, buf, want);
	if (n <= 0)
		return n < 0 && errno == EAGAIN ? 0 : 1;
	return take(x, buf, (size_t)n);
}

static void report(struct xfer *x, uint64_t start, uint64_t ms, bool ok)
{
	struct json_object *o = json_object_new_object();
	char hex[HEX_LEN(32)] = "";
	uint8_t got[32];

	if (!o)
		return;
	if (ok) {
		EVP_DigestFinal_ex(x->md, got, NULL);
		hex_encode(got, sizeof(got), hex, sizeof(hex));
	}
	json_object_object_add(o, "event", json_object_new_string("transfer"));
	json_object_object_add(o, "file", json_object_new_string(x->name));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	json_object_object_add(o, "bytes", json_object_new_uint64(x->got));
	json_object_object_add(o, "start_ms", json_object_new_uint64(start));
	json_object_object_add(o, "ms", json_object_new_uint64(ms));
	if (x->first_conn)
		json_object_object_add(o, "connected_ms", json_object_new_uint64(x->first_conn));
	json_object_object_add(o, "migrations", json_object_new_int64(x->migrations));
	json_object_object_add(o, "reconnects", json_object_new_int64(x->reconnects));
	json_object_object_add(o, "handoffs", json_object_new_int64(x->handoffs));
	json_object_object_add(o, "servers", json_object_get(x->servers));
	json_object_object_add(o, "sha256", json_object_new_string(hex));
	if (!ok)
		json_object_object_add(o, "error", json_object_new_string(x->error));
	jsonl_print(stdout, o);
}

/* {"event":"error","error":WHY}: no transfer was tried. */
static void error_event(const char *why)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return;
	json_object_object_add(o, "event", json_object_new_string("error"));
	json_object_object_add(o, "error", json_object_new_string(why));
	jsonl_print(stdout, o);
}

static bool finish(const struct opts *o, struct xfer *x)
{
	uint8_t got[32];
	EVP_MD_CTX *copy = EVP_MD_CTX_new();
	bool ok = copy && EVP_MD_CTX_copy_ex(copy, x->md) &&
		  EVP_DigestFinal_ex(copy, got, NULL) && !memcmp(got, x->sha, 32);

	EVP_MD_CTX_free(copy);
	if (!ok)
		snprintf(x->error, sizeof(x->error), "sha256 mismatch: assembled file is corrupt");
	else if (o->have_want && memcmp(got, o->want_sha, 32)) {
		snprintf(x->error, sizeof(x->error), "sha256 differs from --sha256");
		ok = false;
	}
	return ok;
}

/* One step of a transfer: what to do after poll. */
static int step(const struct opts *o, struct xfer *x, uint64_t deadline)
{
	struct pollfd pfd[2];
	uint64_t now = now_ms(), wait = 100;
	int n = 0, ret;

	if (x->fd < 0) {
		ret = open_conn(o, x);
		if (ret == -ESTALE && client_lost) {
			snprintf(x->error, sizeof(x->error),
				 "lost track of the server: no keys (revoked?)");
			return -ESTALE;
		}
		if (ret) {
			pump_authd(ret == -EAGAIN || ret == -ESTALE ? 50 : 20);
			return 0;
		}
	}
	/* Wake for the roam, for authd's keys, and for the stall check. */
	if (x->conn_end && x->conn_end + o->guard_ms > now)
		wait = x->conn_end + o->guard_ms - now < wait ? x->conn_end + o->guard_ms - now : wait;
	pfd[n++] = (struct pollfd){ .fd = x->fd, .events = POLLIN };
	if (o->rate && x->got > (now - x->t0) * o->rate / 1000) {
		/* Ahead of --rate: read again when the pace allows. */
		uint64_t due = x->t0 + x->got * 1000 / o->rate;

		pfd[0].events = 0;
		if (due > now && due - now < wait)
			wait = due - now;
	}
	if (client && !client_lost)
		pfd[n++] = (struct pollfd){ .fd = roam_client_fd(client), .events = POLLIN };
	poll(pfd, (nfds_t)n, (int)wait);
	if (n > 1 && pfd[1].revents)
		pump_authd(0);
	if (pfd[0].revents) {
		ret = on_data(o, x);
		if (ret < 0)
			return ret;
		if (x->have_hdr && x->got == x->size)
			return 1;
		if (ret == 1) {
			drop_conn(x);
			x->reconnects++;
			return 0;
		}
	}
	now = now_ms();
	/* The key of our epoch may have come since we connected. */
	if (!x->conn_end && !o->have_static) {
		struct roam_epoch e;
		uint64_t end;

		if (!roam_client_epoch(client, x->conn_at, &e, &end) &&
		    e.index == x->conn_epoch)
			x->conn_end = end;
	}
	if (x->conn_end && now >= x->conn_end + o->guard_ms && x->negotiated) {
		/*
		 * The service takes this connection along (live handoff):
		 * keep it, and watch the next epoch.  If it does not move,
		 * the stall timer below falls back to a fresh connection.
		 */
		struct roam_epoch e;
		uint64_t end;

		x->conn_at = now;
		x->conn_end = 0;
		if (!roam_client_epoch(client, now, &e, &end)) {
			x->conn_epoch = e.index;
			x->conn_end = end;
			x->server = e.server;
		} else {
			x->conn_epoch = UINT64_MAX;
		}
	} else if (x->conn_end && now >= x->conn_end + o->guard_ms) {
		/* The paper's migration: the service moved, follow it. */
		drop_conn(x);
		x->migrations++;
	} else if (now - x->last_byte > o->stall_ms) {
		drop_conn(x);
		x->reconnects++;
	}
	return now > deadline ? -ETIMEDOUT : 0;
}

static bool transfer(const struct opts *o, const char *name)
{
	struct xfer x = { .name = name, .fd = -1, .out = -1, .size = UINT64_MAX };
	uint64_t start = now_ms(), deadline = start + o->timeout_ms;
	char path[4096];
	bool ok = false;
	int ret;

	x.t0 = start;
	x.md = EVP_MD_CTX_new();
	x.servers = json_object_new_array();
	if (!x.md || !x.servers || !EVP_DigestInit_ex(x.md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(x.md);
		json_object_put(x.servers);
		return false;
	}
	if (o->outdir) {
		snprintf(path, sizeof(path), "%s/%s", o->outdir, name);
		x.out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (x.out < 0)
			log_err("%s: %s", path, strerror(errno));
	}
	while (!(ret = step(o, &x, deadline)))
		;
	drop_conn(&x);
	if (ret == 1)
		ok = finish(o, &x);
	else if (ret == -ETIMEDOUT && !x.error[0])
		snprintf(x.error, sizeof(x.error), "timed out after %u ms with %" PRIu64 " bytes",
			 o->timeout_ms, x.got);
	if (!ok)
		log_err("%s: %s", name, x.error);
	report(&x, start, now_ms() - start, ok);
	if (x.out >= 0)
		close(x.out);
	EVP_MD_CTX_free(x.md);
	json_object_put(x.servers);
	return ok;
}

/* --handoff: authd's id and key into roam.ko, the client side on. */
static int handoff_on(const struct opts *o)
{
	uint8_t key[ROAM_MIG_KEY_LEN];
	uint32_t id;
	char err[512];
	int ret;

	(void)o;
	if (roam_client_migrate(client, &id, key)) {
		log_err("--handoff: authd gave no handoff key (authd runs without --migrate-key)");
		error_event("no handoff key");
		return -1;
	}
	ret = roam_mig_open(&mig, err, sizeof(err));
	if (!ret)
		ret = roam_mig_client_on(mig, id, key, roam_client_pool(client),
					 roam_client_params(client)->nservers, err, sizeof(err));
	roam_memzero(key, sizeof(key));
	if (ret) {
		log_err("--handoff: %s", err);
		error_event("cannot load the handoff key");
		return -1;
	}
	log_debug("handoff: client id %u loaded into roam.ko", id);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: roam-fetch --ca FILE --cert FILE --key FILE [OPTIONS] -f NAME [-f NAME]...\n"
"       roam-fetch --static ADDR:PORT [OPTIONS] -f NAME      (no schedule)\n"
"  -H, --host HOST        authd address [127.0.0.1]\n"
"  -P, --port PORT        authd port [7443]\n"
"  -f, --file NAME        file to fetch (up to 64; in order)\n"
"  -r, --repeat N         fetch the list N times [1]\n"
"  -o, --out DIR          write the files to DIR [only hash them]\n"
"  --sha256 HEX           the digest every file must have\n"
"  -t, --timeout-ms MS    give up on a transfer after MS [60000]\n"
"  --stall-ms MS          reconnect when no byte came for MS [1500]\n"
"  --connect-ms MS        connect timeout [300]\n"
"  --guard-ms MS          migrate this long after the roam time [20]\n"
"  --handoff              load authd's handoff key into roam.ko and keep a\n"
"                         connection that negotiated it when the service roams\n"
"  --rate BYTES           read at most BYTES per second [no limit]\n"
"  --rcvbuf BYTES         the sockets' SO_RCVBUF [the kernel's]\n"
"  -v, --verbose / -q, --quiet\n");
}

/* Decimal, the whole word (lib/parse.c). */
static int u32_arg(const char *s, uint32_t *out)
{
	return parse_u32(s, 0, UINT32_MAX, out);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { O_SHA = 256, O_STALL, O_CONNECT, O_GUARD, O_STATIC, O_HANDOFF, O_RATE,
	       O_RCVBUF };
	static const struct option lo[] = {
		{ "ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'P' },
		{ "file", required_argument, NULL, 'f' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "sha256", required_argument, NULL, O_SHA },
		{ "stall-ms", required_argument, NULL, O_STALL },
		{ "connect-ms", required_argument, NULL, O_CONNECT },
		{ "guard-ms", required_argument, NULL, O_GUARD },
		{ "static", required_argument, NULL, O_STATIC },
		{ "handoff", no_argument, NULL, O_HANDOFF },
		{ "rate", required_argument, NULL, O_RATE },
		{ "rcvbuf", required_argument, NULL, O_RCVBUF },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t v;
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "a:c:k:H:P:f:r:o:t:vqh", lo, NULL)) != -1) {
		switch (c) {
		case 'a': o->cfg.ca_file = optarg; break;
		case 'c': o->cfg.cert_file = optarg; break;
		case 'k': o->cfg.key_file = optarg; break;
		case 'H': o->cfg.host = optarg; break;
		case 'P': o->cfg.port = optarg; break;
		case 'f':
			if (o->nfiles == 64 || !rfile_name_valid(optarg))
				bad = 1;
			else
				o->files[o->nfiles++] = optarg;
			break;
		case 'r': bad |= u32_arg(optarg, &v) || !v; o->repeat = v; break;
		case 'o': o->outdir = optarg; break;
		case 't': bad |= u32_arg(optarg, &o->timeout_ms); break;
		case O_SHA: bad |= hex_decode(optarg, o->want_sha, sizeof(o->want_sha), 0); o->have_want = true; break;
		case O_STALL: bad |= u32_arg(optarg, &o->stall_ms); break;
		case O_CONNECT: bad |= u32_arg(optarg, &o->connect_ms) || !o->connect_ms; break;
		case O_GUARD: bad |= u32_arg(optarg, &o->guard_ms); break;
		case O_STATIC:
			bad |= roam_addr_parse(optarg, &o->static_addr) != 0;
			o->have_static = true;
			break;
		case O_HANDOFF: o->handoff = true; break;
		case O_RATE: bad |= u32_arg(optarg, &o->rate); break;
		case O_RCVBUF: bad |= u32_arg(optarg, &o->rcvbuf) || o->rcvbuf > INT32_MAX; break;
		case 'v': roam_log_level = ROAM_LOG_DEBUG; break;
		case 'q': roam_log_level = ROAM_LOG_WARN; break;
		case 'h': usage(stdout); exit(0);
		default: bad = 1;
		}
	}
	if (bad || optind != argc || !o->nfiles ||
	    (!o->have_static && (!o->cfg.ca_file || !o->cfg.cert_file || !o->cfg.key_file)) ||
	    (o->have_static && o->handoff))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.cfg = { .host = "127.0.0.1", .port = "7443" },
		.repeat = 1, .timeout_ms = 60000, .stall_ms = 1500, .connect_ms = 300,
		.guard_ms = 20,
	};
	uint64_t start;
	char err[512];
	int failed = 0, ret;

	roam_log_prog = "roam-fetch";
	if (parse_args(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!o.have_static) {
		ret = roam_client_open(&client, &o.cfg, err, sizeof(err));
		if (ret) {
			log_err("%s", err);
			error_event("cannot subscribe");
			return 1;
		}
		/* The schedule first: PARAMS and the current key. */
		start = now_ms();
		while (!client_lost && !roam_client_ready(client) && now_ms() - start < o.timeout_ms)
			pump_authd(100);
		if (!roam_client_ready(client)) {
			log_err("no schedule from authd: %s", roam_client_error(client));
			error_event("no schedule");
			roam_client_close(client);
			return 1;
		}
	}
	if (o.handoff && handoff_on(&o)) {
		roam_client_close(client);
		return 1;
	}
	for (unsigned int r = 0; r < o.repeat; r++)
		for (int i = 0; i < o.nfiles; i++)
			failed += !transfer(&o, o.files[i]);
	roam_client_close(client);
	roam_mig_close(mig);
	return failed ? 1 : 0;
}
