/* SPDX-License-Identifier: GPL-2.0 */
/*
 * authd's admin interface: a UNIX stream socket (mode 0600) taking one
 * request line per connection and answering "ok" or "error: MESSAGE",
 * then any data, then closing.  Requests:
 *
 *   client add NAME       -> ok, then PEM: private key, certificate, CA
 *   client add NAME csr B64 -> ok, then PEM: certificate, CA, for the
 *                            public key of the request (DER, base64): the
 *                            client made its key and keeps it
 *   client renew NAME     -> ok, then PEM as for add: a new key and
 *                            certificate; the old certificate no longer
 *                            subscribes (sessions open now stay)
 *   client revoke NAME    -> ok
 *   client list           -> ok, then "NAME active|revoked" lines
 *   threat low|high       -> ok (an operator's level, until changed)
 *   threat high LEASE_MS  -> ok: high for LEASE_MS unless renewed (a
 *                            roamd under attack); the level falls back
 *                            to low when every lease has run out
 *   status                -> ok, then "key value" lines
 *   watch revocations     -> ok, then records, one a line; the connection
 *                            stays open (roamd's direct path to its gate):
 *       revoked NAME [ADDR:PORT...]  a revoked client, with the addresses
 *                                    authd last saw it at (at most
 *                                    ROAM_ADMIN_REV_ADDRS)
 *       synced                       every client revoked so far has been
 *                                    listed; what follows is new
 *                            authd drops a watcher that does not read
 *                            (its buffer is bounded) and refuses more
 *                            than it allows ("error: too many ...")
 *
 * The functions below are what roamctl (tools/) and authd-admin call;
 * they return 0 or -errno and put a one-line reason in err.
 */
#ifndef ROAM_ADMIN_H
#define ROAM_ADMIN_H

#include <stddef.h>

#include "pki.h"
#include "schedule.h"

#define ROAM_ADMIN_SOCK		"/run/roam/authd.sock"
#define ROAM_ADMIN_LINE_MAX	2048
/* "client add NAME csr BASE64": a DER certificate request, base64. */
#define ROAM_ADMIN_CSR_MAX	1600
#define ROAM_ADMIN_REPLY_MAX	(16 << 20)
#define ROAM_ADMIN_LEASE_MAX_MS	86400000u
#define ROAM_ADMIN_TIMEOUT_S	5

enum roam_admin_cmd {
	ROAM_ADMIN_CLIENT_ADD = 1,
	ROAM_ADMIN_CLIENT_REVOKE,
	ROAM_ADMIN_CLIENT_LIST,
	ROAM_ADMIN_THREAT,
	ROAM_ADMIN_STATUS,
	ROAM_ADMIN_CLIENT_RENEW,
	ROAM_ADMIN_WATCH_REVOKED,
};

struct roam_admin_req {
	int cmd;
	char name[65];
	int level;
	unsigned int lease_ms;	/* threat high LEASE_MS; 0: none */
	char csr[ROAM_ADMIN_CSR_MAX + 1];	/* client add NAME csr B64 */
};

/* Server side: parse one request line (no newline). 0 or -EINVAL + why. */
int roam_admin_parse(const char *line, size_t len, struct roam_admin_req *r,
		     const char **why);

/* One record of "watch revocations". */
#define ROAM_ADMIN_REV_ADDRS	16

enum roam_admin_rev_kind {
	ROAM_ADMIN_REV_REVOKED = 1,
	ROAM_ADMIN_REV_SYNCED,
};

struct roam_admin_rev {
	int kind;
	char name[ROAM_NAME_MAX + 1];
	unsigned int naddrs;
	struct roam_addr addrs[ROAM_ADMIN_REV_ADDRS];
};

/*
 * Parse one record (no newline; bytes from authd, so checked like any
 * input): 0 or -EINVAL + why.  Unknown record words are -ENOENT, for the
 * caller to skip: newer authds may add records.
 */
int roam_admin_rev_parse(const char *line, size_t len, struct roam_admin_rev *rv,
			 const char **why);
/* The line, newline included; its length, or -ENOSPC. */
int roam_admin_rev_format(const struct roam_admin_rev *rv, char *buf, size_t len);

/* Send one request line, read the whole reply (malloc'ed, NUL-terminated). */
int roam_admin_call(const char *sock, const char *line, char **reply,
		    size_t *len, char *err, size_t errlen);

/*
 * Provision NAME and write DIR/NAME.key (0600), DIR/NAME.crt and
 * DIR/ca.crt (0644).  Refuses to overwrite an existing NAME.key.
 */
int roam_admin_client_add(const char *sock, const char *name, const char *dir,
			  char *err, size_t errlen);
/*
 * Enrol by certificate request: DIR/NAME.csr (PEM, made by the client
 * with its own key) in, DIR/NAME.crt and DIR/ca.crt out.  authd never
 * sees the private key.
 */
int roam_admin_client_enrol(const char *sock, const char *name, const char *dir,
			    char *err, size_t errlen);
/* The same for "client renew": replaces DIR/NAME.key and NAME.crt. */
int roam_admin_client_renew(const char *sock, const char *name, const char *dir,
			    char *err, size_t errlen);
int roam_admin_client_revoke(const char *sock, const char *name,
			     char *err, size_t errlen);
int roam_admin_threat(const char *sock, int level, char *err, size_t errlen);
/* threat high LEASE_MS (1..ROAM_ADMIN_LEASE_MAX_MS). */
int roam_admin_threat_lease(const char *sock, unsigned int lease_ms, char *err,
			    size_t errlen);

/* "client list" / "status": the data lines after "ok" (caller frees). */
int roam_admin_client_list(const char *sock, char **lines, char *err,
			   size_t errlen);
int roam_admin_status(const char *sock, char **lines, char *err, size_t errlen);

#endif
