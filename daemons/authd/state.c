// SPDX-License-Identifier: GPL-2.0
/*
 * The state directory (0700):
 *
 *   ca.key, server.key, chain   secrets, 0600, refused if more open
 *   ca.crt, server.crt          certificates
 *   clients.db                  SQLite: the clients on record (store.c); an
 *                               older "clients" journal is imported once
 *   threat                      journal: "FROM_EPOCH low|high[ lease]"
 *
 * Journals are only appended to, so a crash loses at most the last line.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "authd.h"
#include "hex.h"
#include "jsonl.h"
#include "parse.h"
#include "store.h"
#include "log.h"
#include "secfile.h"

#define CA_DAYS		3650
#define SERVER_DAYS	825
#define RENEW_DAYS	30	/* reissue the server certificate this close to its end */
#define CA_WARN_DAYS	90

uint64_t authd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void path_of(const struct authd *a, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", a->cfg.dir, file);
}

int authd_journal(struct authd *a, const char *file, const char *fmt, ...)
{
	char path[4096], line[512];
	va_list ap;
	int fd, n, ret = 0;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -EINVAL;
	path_of(a, file, path, sizeof(path));
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, line, (size_t)n) != n || fdatasync(fd))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	if (ret)
		log_err("%s: %s", path, strerror(-ret));
	return ret;
}

/* Read a secret PEM key or a certificate from the state directory. */
static int load_pem(struct authd *a, const char *file, EVP_PKEY **key, X509 **cert)
{
	char path[4096], err[512], *data;
	size_t len;
	int ret;

	path_of(a, file, path, sizeof(path));
	ret = roam_file_read(path, key != NULL, &data, &len, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	if (key)
		*key = roam_pki_key_from_pem(data, len);
	else
		*cert = roam_pki_cert_from_pem(data, len);
	roam_file_free(data, len);
	if (key ? !*key : !*cert) {
		log_err("%s: not a valid PEM %s", path, key ? "private key" : "certificate");
		return -EINVAL;
	}
	return 0;
}

static int save_pem(struct authd *a, const char *file, EVP_PKEY *key, X509 *cert)
{
	char path[4096], *pem = NULL;
	size_t len = 0;
	int ret;

	path_of(a, file, path, sizeof(path));
	ret = key ? roam_pki_key_pem(key, &pem, &len) : roam_pki_cert_pem(cert, &pem, &len);
	if (!ret)
		ret = roam_file_write(path, pem, len, key ? 0600 : 0644);
	roam_file_free(pem, len);
	if (ret)
		log_err("%s: %s", path, strerror(-ret));
	return ret;
}

static bool exists(const struct authd *a, const char *file)
{
	char path[4096];
	struct stat st;

	path_of(a, file, path, sizeof(path));
	return !lstat(path, &st);
}

/*
 * At every start: a server certificate that expires within RENEW_DAYS is
 * replaced (new key), one whose names differ from an explicit --san is
 * reissued with them; a CA close to its end is reported (its clients
 * need new credentials then: nothing to do silently).
 */
static int check_certs(struct authd *a, EVP_PKEY **skey, X509 **scert)
{
	int left = roam_pki_days_left(*scert), ca_left = roam_pki_days_left(a->ca);
	EVP_PKEY *nkey = NULL;
	X509 *ncert = NULL;
	const char *why = NULL;
	int ret;

	if (ca_left < CA_WARN_DAYS)
		log_warn("the CA certificate expires in %d days: every client will need a new "
			 "credential (see authd(8))", ca_left);
	if (!a->ca_key) {
		if (left < RENEW_DAYS)
			log_warn("the server certificate expires in %d days and the CA key is "
				 "offline: renew it where the CA key is", left);
		return 0;
	}
	if (left < RENEW_DAYS) {
		why = "it expires soon";
		nkey = roam_pki_keygen();
	} else if (a->cfg.san_given) {
		ncert = roam_pki_issue(a->ca, a->ca_key, *skey, "authd", true, a->cfg.san,
				       SERVER_DAYS);
		if (!ncert) {
			log_err("cannot make a server certificate for '%s': %s", a->cfg.san,
				roam_ssl_errstr());
			return -EINVAL;
		}
		if (roam_pki_same_san(ncert, *scert)) {
			X509_free(ncert);
			return 0;
		}
		why = "its names differ from --san";
	} else {
		return 0;
	}
	if (nkey)
		ncert = roam_pki_issue(a->ca, a->ca_key, nkey, "authd", true, a->cfg.san,
				       SERVER_DAYS);
	if (!ncert || (nkey && !*scert)) {
		log_err("cannot renew the server certificate: %s", roam_ssl_errstr());
		EVP_PKEY_free(nkey);
		X509_free(ncert);
		return -EINVAL;
	}
	if (nkey) {
		ret = save_pem(a, "server.key", nkey, NULL);
		if (ret) {
			EVP_PKEY_free(nkey);
			X509_free(ncert);
			return ret;
		}
		EVP_PKEY_free(*skey);
		*skey = nkey;
	}
	ret = save_pem(a, "server.crt", NULL, ncert);
	if (ret) {
		X509_free(ncert);
		return ret;
	}
	X509_free(*scert);
	*scert = ncert;
	log_info("server certificate reissued (%s; %d days were left): names '%s', %d days",
		 why, left, a->cfg.san, SERVER_DAYS);
	return 0;
}

/* Create the CA and the server certificate on first start. */
static int init_pki(struct authd *a, EVP_PKEY **skey, X509 **scert)
{
	char path[4096];
	int ret;

	if (!exists(a, "ca.key") && !exists(a, "ca.crt")) {
		a->ca_key = roam_pki_keygen();
		a->ca = a->ca_key ? roam_pki_make_ca(a->ca_key, "roam authd CA", CA_DAYS) : NULL;
		if (!a->ca) {
			log_err("cannot create the CA: %s", roam_ssl_errstr());
			return -EINVAL;
		}
		ret = save_pem(a, "ca.key", a->ca_key, NULL);
		if (!ret)
			ret = save_pem(a, "ca.crt", NULL, a->ca);
		if (ret)
			return ret;
		/* A server certificate from an older CA would no longer verify. */
		path_of(a, "server.key", path, sizeof(path));
		unlink(path);
		log_info("created a new CA in %s", a->cfg.dir);
	} else if (!exists(a, "ca.key")) {
		/*
		 * The CA key kept offline: authd verifies clients with the
		 * CA certificate alone and issues nothing (see authd(8)).
		 */
		ret = load_pem(a, "ca.crt", NULL, &a->ca);
		if (ret)
			return ret;
		log_info("CA key offline: client add/renew and certificate renewal are off here");
	} else {
		ret = load_pem(a, "ca.key", &a->ca_key, NULL);
		if (!ret)
			ret = load_pem(a, "ca.crt", NULL, &a->ca);
		if (ret)
			return ret;
	}
	if (!exists(a, "server.key")) {
		if (!a->ca_key) {
			log_err("no server certificate and the CA key is offline");
			return -EINVAL;
		}
		*skey = roam_pki_keygen();
		*scert = *skey ? roam_pki_issue(a->ca, a->ca_key, *skey, "authd", true,
						a->cfg.san, SERVER_DAYS) : NULL;
		if (!*scert) {
			log_err("cannot create the server certificate (subjectAltName '%s'): %s",
				a->cfg.san, roam_ssl_errstr());
			return -EINVAL;
		}
		ret = save_pem(a, "server.key", *skey, NULL);
		return ret ? ret : save_pem(a, "server.crt", NULL, *scert);
	}
	ret = load_pem(a, "server.key", skey, NULL);
	if (!ret)
		ret = load_pem(a, "server.crt", NULL, scert);
	return ret ? ret : check_certs(a, skey, scert);
}

static int write_chain(struct authd *a, const uint8_t seed[ROAM_KEY_LEN])
{
	char buf[8192], path[4096], addr[64], hex[HEX_LEN(ROAM_KEY_LEN)];
	size_t off = 0;
	int ret;

	hex_encode(seed, ROAM_KEY_LEN, hex, sizeof(hex));
	off += (size_t)snprintf(buf + off, sizeof(buf) - off, "roam-chain 1\nseed %s", hex);
	roam_memzero(hex, sizeof(hex));
	off += (size_t)snprintf(buf + off, sizeof(buf) - off,
		"\nlength %" PRIu64 "\nstart_ms %" PRIu64 "\nmin_ms %u\nmax_low_ms %u\nmax_high_ms %u\n",
		a->chain.n ? a->chain.n : a->cfg.chain_len, a->p.start_ms, a->p.min_ms,
		a->p.max_low_ms, a->p.max_high_ms);
	for (uint32_t i = 0; i < a->p.nservers; i++) {
		roam_addr_format(&a->pool[i], addr, sizeof(addr));
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "pool %s\n", addr);
	}
	path_of(a, "chain", path, sizeof(path));
	ret = roam_file_write(path, buf, off, 0600);
	roam_memzero(buf, sizeof(buf));
	if (ret)
		log_err("%s: %s", path, strerror(-ret));
	return ret;
}

/* Parse the chain file strictly; every field is required once (pool 2+). */
static int parse_chain(struct authd *a, char *data, uint8_t seed[ROAM_KEY_LEN],
		       uint64_t *len)
{
	char *save = NULL, *line, key[32], val[128];
	unsigned int seen = 0;
	const char *why;

	memset(&a->p, 0, sizeof(a->p));
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t v = 0;

		if (sscanf(line, "%31s %127s", key, val) != 2)
			return -EINVAL;
		if (!strcmp(key, "pool")) {
			if (a->p.nservers >= ROAM_POOL_MAX ||
			    roam_addr_parse(val, &a->pool[a->p.nservers]))
				return -EINVAL;
			a->p.nservers++;
			continue;
		}
		if (!strcmp(key, "seed")) {
			if (hex_decode(val, seed, ROAM_KEY_LEN, 0))
				return -EINVAL;
			seen |= 1;
			continue;
		}
		if (!strcmp(key, "roam-chain")) {
			if (strcmp(val, "1"))
				return -EINVAL;
			continue;
		}
		if (parse_u64(val, 0, UINT64_MAX, &v))
			return -EINVAL;
		if (!strcmp(key, "length"))
			*len = v, seen |= 2;
		else if (!strcmp(key, "start_ms"))
			a->p.start_ms = v, seen |= 4;
		else if (!strcmp(key, "min_ms") && v <= UINT32_MAX)
			a->p.min_ms = (uint32_t)v, seen |= 8;
		else if (!strcmp(key, "max_low_ms") && v <= UINT32_MAX)
			a->p.max_low_ms = (uint32_t)v, seen |= 16;
		else if (!strcmp(key, "max_high_ms") && v <= UINT32_MAX)
			a->p.max_high_ms = (uint32_t)v, seen |= 32;
		else
			return -EINVAL;
	}
	if (seen != 63 || roam_sched_check(&a->p, &why) || !*len ||
	    *len > ROAM_CHAIN_MAX_LEN)
		return -EINVAL;
	return 0;
}

static int init_chain(struct authd *a)
{
	uint8_t seed[ROAM_KEY_LEN];
	char path[4096], err[512], *data;
	uint64_t len = 0;
	size_t dlen;
	int ret;

	if (!exists(a, "chain") || a->cfg.new_chain) {
		if (!a->cfg.params_given) {
			log_err("no chain in %s yet: give the pool (--pool ADDR:PORT, twice or more)",
				a->cfg.dir);
			return -EINVAL;
		}
		if (RAND_priv_bytes(seed, sizeof(seed)) != 1) {
			log_err("no randomness: %s", roam_ssl_errstr());
			return -EIO;
		}
		a->p = a->cfg.params;
		if (!a->p.start_ms)
			a->p.start_ms = authd_now_ms();
		memcpy(a->pool, a->cfg.pool, sizeof(a->pool));
		len = a->cfg.chain_len;
		ret = write_chain(a, seed);
		if (ret)
			return ret;
		/* A new chain starts a new threat history. */
		path_of(a, "threat", path, sizeof(path));
		unlink(path);
		log_info("created a new chain of %" PRIu64 " keys starting at %" PRIu64,
			 len, a->p.start_ms);
	} else {
		if (a->cfg.params_given) {
			log_err("%s already holds a chain with its own pool and intervals; "
				"pass --new-chain to replace it", a->cfg.dir);
			return -EEXIST;
		}
		path_of(a, "chain", path, sizeof(path));
		ret = roam_file_read(path, true, &data, &dlen, err, sizeof(err));
		if (ret) {
			log_err("%s", err);
			return ret;
		}
		ret = parse_chain(a, data, seed, &len);
		roam_file_free(data, dlen);
		if (ret) {
			log_err("%s: malformed chain file", path);
			return ret;
		}
	}
	ret = roam_chain_init(&a->chain, seed, len, 0);
	roam_memzero(seed, sizeof(seed));
	if (ret)
		return ret;
	roam_chain_key(&a->chain, 0, a->anchor);
	return 0;
}

/* A level raised on leases, found at start: this long for the roamds to renew. */
#define THREAT_RESTART_LEASE_MS	60000

static int load_threat(struct authd *a)
{
	char path[4096], err[512], *data, *save = NULL, *line, num[24], lv[8], kind[8];
	uint64_t from;
	size_t len;
	int ret;

	path_of(a, "threat", path, sizeof(path));
	if (!exists(a, "threat"))
		return 0;
	ret = roam_file_read(path, false, &data, &len, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct threat_change *nc;
		int level;

		kind[0] = '\0';
		if (sscanf(line, "%23s %7s %7s", num, lv, kind) < 2 ||
		    parse_u64(num, 0, UINT64_MAX, &from) ||
		    (level = roam_threat_parse(lv)) < 0 ||
		    (kind[0] && strcmp(kind, "lease")) ||
		    (a->nchanges && from < a->changes[a->nchanges - 1].from_epoch)) {
			log_warn("%s: ignoring malformed line '%s'", path, line);
			continue;
		}
		nc = realloc(a->changes, (a->nchanges + 1) * sizeof(*nc));
		if (!nc) {
			roam_file_free(data, len);
			return -ENOMEM;
		}
		a->changes = nc;
		a->changes[a->nchanges++] = (struct threat_change){ from, level };
		a->threat_manual = level == ROAM_THREAT_HIGH && !kind[0];
	}
	roam_file_free(data, len);
	if (a->nchanges)
		a->threat = a->changes[a->nchanges - 1].level;
	if (a->threat == ROAM_THREAT_HIGH && !a->threat_manual)
		a->threat_lease_until = authd_now_ms() + THREAT_RESTART_LEASE_MS;
	return 0;
}

int authd_level(const struct authd *a, uint64_t epoch)
{
	int level = ROAM_THREAT_LOW;

	for (size_t i = 0; i < a->nchanges && a->changes[i].from_epoch <= epoch; i++)
		level = a->changes[i].level;
	return level;
}

/*
 * A new level applies to the first key not yet released: keys already in
 * clients' hands keep the level they were released with.
 */
static int set_threat(struct authd *a, int level, bool lease)
{
	struct threat_change *nc;
	uint64_t from = a->released + 1;
	int ret;

	if (level == a->threat)
		return 0;
	ret = authd_journal(a, "threat", "%" PRIu64 " %s%s\n", from, roam_threat_name(level),
			    lease ? " lease" : "");
	if (ret)
		return ret;
	nc = realloc(a->changes, (a->nchanges + 1) * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	a->changes = nc;
	a->changes[a->nchanges++] = (struct threat_change){ from, level };
	a->threat = level;
	log_info("threat level %s from epoch %" PRIu64 " (max interval %u ms)",
		 roam_threat_name(level), from, roam_sched_bound(&a->p, level));
	return 0;
}

int authd_set_threat(struct authd *a, int level)
{
	return set_threat(a, level, false);
}

/*
 * Several roamds may see an attack at once, and one may stop seeing it
 * before the others: each holds a lease on "high" and renews it while
 * its attack lasts, and the level falls when the last lease ends, not
 * when the first roamd goes quiet.  An operator's "high" stays until
 * the operator's "low", which also ends the leases.
 */
int authd_threat_request(struct authd *a, int level, unsigned int lease_ms,
			 uint64_t now)
{
	int ret;

	if (!lease_ms) {
		ret = set_threat(a, level, false);
		if (!ret) {
			a->threat_manual = level == ROAM_THREAT_HIGH;
			a->threat_lease_until = 0;
		}
		return ret;
	}
	ret = set_threat(a, ROAM_THREAT_HIGH, true);
	if (!ret && now + lease_ms > a->threat_lease_until)
		a->threat_lease_until = now + lease_ms;
	return ret;
}

uint64_t authd_threat_tick(struct authd *a, uint64_t now)
{
	if (!a->threat_lease_until)
		return UINT64_MAX;
	if (now < a->threat_lease_until)
		return a->threat_lease_until;
	a->threat_lease_until = 0;
	if (!a->threat_manual && a->threat == ROAM_THREAT_HIGH) {
		log_info("the last threat lease ran out");
		/* On failure (journal), keep high and try again soon. */
		if (set_threat(a, ROAM_THREAT_LOW, false)) {
			a->threat_lease_until = now + 1000;
			return a->threat_lease_until;
		}
	}
	return UINT64_MAX;
}

/* nxt = epoch after cur; false when the chain has no key for cur. */
static bool compute_next(struct authd *a)
{
	uint8_t k[ROAM_KEY_LEN];

	if (a->cur.index > a->chain.n)
		return false;
	roam_chain_key(&a->chain, a->cur.index, k);
	roam_sched_next(&a->p, &a->cur, k, authd_level(a, a->cur.index), &a->nxt);
	roam_memzero(k, sizeof(k));
	return true;
}

/* Move the cursor to the epoch holding `now`; true if it moved. */
bool authd_advance(struct authd *a, uint64_t now)
{
	bool moved = false;

	if (!a->cur.index) {
		roam_sched_first(&a->p, a->anchor, &a->cur);
		a->exhausted = !compute_next(a);
		moved = true;
	}
	while (!a->exhausted && now >= a->nxt.start_ms) {
		a->cur = a->nxt;
		a->exhausted = !compute_next(a);
		moved = true;
	}
	if (a->exhausted && moved)
		log_err("the chain is used up at epoch %" PRIu64 "; restart with --new-chain",
			a->cur.index);
	return moved;
}

/*
 * Keys that should be out by `now`: K_c .. K_{c+L}, and K_{c+L+1} from
 * `lead` ms before epoch c+1 begins.
 */
uint64_t authd_release_target(const struct authd *a, uint64_t now)
{
	uint64_t r = a->cur.index + a->cfg.lookahead;

	if (a->exhausted)
		return a->released;
	if (now + a->cfg.lead_ms >= a->nxt.start_ms)
		r++;
	return r < a->chain.n ? r : a->chain.n;
}

int authd_print_schedule(struct authd *a, uint64_t from, uint64_t count)
{
	struct roam_epoch e, n;
	uint8_t k[ROAM_KEY_LEN];

	roam_sched_first(&a->p, a->anchor, &e);
	while (e.index < from + count && e.index <= a->chain.n) {
		int level = authd_level(a, e.index);

		roam_chain_key(&a->chain, e.index, k);
		roam_sched_next(&a->p, &e, k, level, &n);
		if (e.index >= from) {
			jsonl_print(stdout, roam_epoch_json(&e, n.start_ms, level, a->pool));
		}
		e = n;
	}
	roam_memzero(k, sizeof(k));
	return 0;
}

static int check_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		log_err("%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		log_err("%s: not a directory", dir);
		return -ENOTDIR;
	}
	if (st.st_mode & 077) {
		log_err("%s: permissions %04o are too open for the state directory; run chmod 700 %s",
			dir, (unsigned int)(st.st_mode & 07777), dir);
		return -EPERM;
	}
	return 0;
}

/* K_mig: each client's K_client is derived from it (migkey.h). */
static int load_migrate_key(struct authd *a)
{
	char err[512];
	int ret;

	ret = roam_key_file_read(a->cfg.migrate_key, a->kmig, sizeof(a->kmig), err, sizeof(err));
	if (ret) {
		log_err("--migrate-key: %s", err);
		return ret;
	}
	a->has_kmig = true;
	log_info("live handoff: clients get their migration id and key");
	return 0;
}

int authd_state_load(struct authd *a)
{
	EVP_PKEY *skey = NULL;
	X509 *scert = NULL;
	int ret;

	ret = check_dir(a->cfg.dir);
	if (!ret && a->cfg.migrate_key)
		ret = load_migrate_key(a);
	if (!ret)
		ret = init_pki(a, &skey, &scert);
	if (!ret)
		ret = init_chain(a);
	if (!ret)
		ret = load_threat(a);
	if (!ret)
		ret = authd_clients_load(a);
	if (!ret)
		ret = authd_tls_init(a, skey, scert);
	EVP_PKEY_free(skey);
	X509_free(scert);
	return ret;
}

void authd_state_free(struct authd *a)
{
	for (size_t b = 0; b < a->nbuckets; b++)
		while (a->buckets[b]) {
			struct client *c = a->buckets[b];

			a->buckets[b] = c->next;
			free(c->rev_addrs);
			free(c);
		}
	free(a->buckets);
	store_close(a->store);
	free(a->changes);
	roam_chain_free(&a->chain);
	X509_free(a->ca);
	EVP_PKEY_free(a->ca_key);
	SSL_CTX_free(a->ctx);
	roam_memzero(a->kmig, sizeof(a->kmig));
}
