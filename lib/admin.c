// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "admin.h"
#include "parse.h"
#include "pki.h"
#include "schedule.h"
#include "secfile.h"

static int word(const char **p, const char *end, char *out, size_t cap)
{
	size_t n = 0;

	while (*p < end && **p == ' ')
		(*p)++;
	while (*p < end && **p != ' ') {
		if (n + 1 >= cap)
			return -EINVAL;
		out[n++] = *(*p)++;
	}
	out[n] = 0;
	return n ? 0 : -ENOENT;
}

int roam_admin_parse(const char *line, size_t len, struct roam_admin_req *r,
		     const char **why)
{
	const char *p = line, *end = line + len;
	char w[3][ROAM_NAME_MAX + 2];
	int n = 0;

	memset(r, 0, sizeof(*r));
	*why = "malformed request";
	if (len > ROAM_ADMIN_LINE_MAX || memchr(line, 0, len))
		return -EINVAL;
	while (n < 3 && !word(&p, end, w[n], sizeof(w[n])))
		n++;
	while (p < end && *p == ' ')
		p++;
	/* client add NAME csr B64: the one request with a long word. */
	if (n == 3 && !strcmp(w[0], "client") && !strcmp(w[1], "add") &&
	    end - p > 4 && !memcmp(p, "csr ", 4)) {
		size_t bl = (size_t)(end - p - 4);
		bool ok = bl && bl <= ROAM_ADMIN_CSR_MAX;

		/* The line is not NUL-terminated: no str* function on it. */
		for (size_t k = 0; ok && k < bl; k++)
			ok = isalnum((unsigned char)p[4 + k]) || p[4 + k] == '+' ||
			     p[4 + k] == '/' || p[4 + k] == '=';
		if (!ok) {
			*why = "malformed certificate request";
			return -EINVAL;
		}
		memcpy(r->csr, p + 4, bl);
		r->csr[bl] = '\0';
		p = end;
	}
	if (p != end || !n)
		return -EINVAL;
	*why = "unknown request";
	if (n == 1 && !strcmp(w[0], "status")) {
		r->cmd = ROAM_ADMIN_STATUS;
	} else if (n == 2 && !strcmp(w[0], "watch") && !strcmp(w[1], "revocations")) {
		r->cmd = ROAM_ADMIN_WATCH_REVOKED;
	} else if ((n == 2 || n == 3) && !strcmp(w[0], "threat")) {
		r->level = roam_threat_parse(w[1]);
		if (r->level < 0) {
			*why = "threat level must be low or high";
			return -EINVAL;
		}
		if (n == 3) {
			uint32_t v;

			if (r->level != ROAM_THREAT_HIGH ||
			    parse_u32(w[2], 1, ROAM_ADMIN_LEASE_MAX_MS, &v)) {
				*why = "a lease is for high, 1..86400000 ms";
				return -EINVAL;
			}
			r->lease_ms = v;
		}
		r->cmd = ROAM_ADMIN_THREAT;
	} else if (n == 2 && !strcmp(w[0], "client") && !strcmp(w[1], "list")) {
		r->cmd = ROAM_ADMIN_CLIENT_LIST;
	} else if (n == 3 && !strcmp(w[0], "client") &&
		   (!strcmp(w[1], "add") || !strcmp(w[1], "revoke") || !strcmp(w[1], "renew"))) {
		if (!roam_name_valid(w[2])) {
			*why = "client names are 1-64 of [A-Za-z0-9_.-], not starting with . or -";
			return -EINVAL;
		}
		strcpy(r->name, w[2]);
		r->cmd = w[1][0] == 'a' ? ROAM_ADMIN_CLIENT_ADD :
			 w[1][2] == 'n' ? ROAM_ADMIN_CLIENT_RENEW : ROAM_ADMIN_CLIENT_REVOKE;
	} else {
		return -EINVAL;
	}
	*why = NULL;
	return 0;
}

int roam_admin_rev_parse(const char *line, size_t len, struct roam_admin_rev *rv,
			 const char **why)
{
	const char *p = line, *end = line + len;
	/* A name or "[v6]:port", and a byte more to see one is too long. */
	char w[ROAM_NAME_MAX + 2];

	memset(rv, 0, sizeof(*rv));
	*why = "malformed record";
	if (len > ROAM_ADMIN_LINE_MAX || memchr(line, 0, len) || word(&p, end, w, sizeof(w)))
		return -EINVAL;
	if (!strcmp(w, "synced")) {
		rv->kind = ROAM_ADMIN_REV_SYNCED;
		return p == end ? 0 : -EINVAL;
	}
	if (strcmp(w, "revoked")) {
		*why = "unknown record";
		return -ENOENT;
	}
	rv->kind = ROAM_ADMIN_REV_REVOKED;
	if (word(&p, end, rv->name, sizeof(rv->name)) || !roam_name_valid(rv->name)) {
		*why = "bad client name";
		return -EINVAL;
	}
	for (;;) {
		int ret = word(&p, end, w, sizeof(w));

		if (ret == -ENOENT)
			break;
		if (ret || rv->naddrs == ROAM_ADMIN_REV_ADDRS ||
		    roam_addr_parse(w, &rv->addrs[rv->naddrs])) {
			*why = "bad or too many addresses";
			return -EINVAL;
		}
		rv->naddrs++;
	}
	*why = NULL;
	return 0;
}

int roam_admin_rev_format(const struct roam_admin_rev *rv, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN + 16];
	size_t off;
	int n;

	if (rv->kind == ROAM_ADMIN_REV_SYNCED)
		n = snprintf(buf, len, "synced\n");
	else
		n = snprintf(buf, len, "revoked %s", rv->name);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	off = (size_t)n;
	if (rv->kind == ROAM_ADMIN_REV_SYNCED)
		return (int)off;
	for (unsigned int i = 0; i < rv->naddrs && i < ROAM_ADMIN_REV_ADDRS; i++) {
		roam_addr_format(&rv->addrs[i], a, sizeof(a));
		n = snprintf(buf + off, len - off, " %s", a);
		if (n < 0 || (size_t)n >= len - off)
			return -ENOSPC;
		off += (size_t)n;
	}
	if (off + 2 > len || off + 1 > ROAM_ADMIN_LINE_MAX)
		return -ENOSPC;
	buf[off++] = '\n';
	buf[off] = 0;
	return (int)off;
}

int roam_admin_call(const char *sock, const char *line, char **reply,
		    size_t *len, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t cap = 4096, off = 0, ll = strlen(line);
	char *buf = NULL, *nb;
	ssize_t n;
	int fd, ret;

	*reply = NULL;
	if (strlen(sock) >= sizeof(sun.sun_path) || ll > ROAM_ADMIN_LINE_MAX) {
		snprintf(err, errlen, "socket path or request too long");
		return -EINVAL;
	}
	strcpy(sun.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* A stopped or wedged authd must not hang its callers. */
	if (fd >= 0) {
		struct timeval tv = { .tv_sec = ROAM_ADMIN_TIMEOUT_S };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		ret = -errno;
		snprintf(err, errlen, "cannot reach authd at %s: %s (is authd running?)",
			 sock, strerror(errno));
		goto out;
	}
	if (write(fd, line, ll) != (ssize_t)ll || write(fd, "\n", 1) != 1) {
		ret = -errno;
		snprintf(err, errlen, "writing to %s: %s", sock, strerror(errno));
		goto out;
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		if (off + 1 >= cap || !buf) {
			if (buf)
				cap *= 2;
			nb = cap <= ROAM_ADMIN_REPLY_MAX ? realloc(buf, cap) : NULL;
			if (!nb) {
				ret = -EMSGSIZE;
				snprintf(err, errlen, "reply from authd too large");
				goto out;
			}
			buf = nb;
		}
		n = read(fd, buf + off, cap - off - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ret = -ETIMEDOUT;
			snprintf(err, errlen, "authd at %s did not answer within %d s", sock,
				 ROAM_ADMIN_TIMEOUT_S);
			goto out;
		}
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "reading from %s: %s", sock, strerror(errno));
			goto out;
		}
		if (!n)
			break;
		off += (size_t)n;
	}
	buf[off] = 0;
	if (!strncmp(buf, "ok\n", 3)) {
		*reply = buf;
		*len = off;
		buf = NULL;
		ret = 0;
	} else {
		ret = -EPROTO;
		if (!strncmp(buf, "error: ", 7)) {
			ret = -EINVAL;
			buf[strcspn(buf, "\n")] = 0;
			snprintf(err, errlen, "authd: %s", buf + 7);
		} else {
			snprintf(err, errlen, "authd gave no answer");
		}
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int simple(const char *sock, const char *line, char *err, size_t errlen)
{
	char *reply;
	size_t len;
	int ret = roam_admin_call(sock, line, &reply, &len, err, errlen);

	free(reply);
	return ret;
}

static int data_lines(const char *sock, const char *line, char **lines,
		      char *err, size_t errlen)
{
	size_t len;
	int ret = roam_admin_call(sock, line, lines, &len, err, errlen);

	if (!ret)
		memmove(*lines, *lines + 3, len - 2);	/* drop "ok\n" */
	return ret;
}

int roam_admin_client_revoke(const char *sock, const char *name,
			     char *err, size_t errlen)
{
	char line[ROAM_ADMIN_LINE_MAX];

	snprintf(line, sizeof(line), "client revoke %s", name);
	return simple(sock, line, err, errlen);
}

int roam_admin_threat(const char *sock, int level, char *err, size_t errlen)
{
	char line[64];

	snprintf(line, sizeof(line), "threat %s", roam_threat_name(level));
	return simple(sock, line, err, errlen);
}

int roam_admin_threat_lease(const char *sock, unsigned int lease_ms, char *err,
			    size_t errlen)
{
	char line[64];

	snprintf(line, sizeof(line), "threat high %u", lease_ms);
	return simple(sock, line, err, errlen);
}

int roam_admin_client_list(const char *sock, char **lines, char *err, size_t errlen)
{
	return data_lines(sock, "client list", lines, err, errlen);
}

int roam_admin_status(const char *sock, char **lines, char *err, size_t errlen)
{
	return data_lines(sock, "status", lines, err, errlen);
}

static int write_pem(const char *dir, const char *name, const char *ext,
		     int mode, EVP_PKEY *key, X509 *cert)
{
	char path[4096];
	char *pem = NULL;
	size_t len;
	int ret;

	if (snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	ret = key ? roam_pki_key_pem(key, &pem, &len) : roam_pki_cert_pem(cert, &pem, &len);
	if (!ret)
		ret = roam_file_write(path, pem, len, mode);
	roam_file_free(pem, pem ? len : 0);
	return ret;
}

static int get_credential(const char *sock, const char *verb, const char *name,
			  const char *dir, char *err, size_t errlen)
{
	char line[ROAM_ADMIN_LINE_MAX], path[4096];
	EVP_PKEY *key = NULL;
	X509 *cert = NULL, *ca = NULL;
	char *reply = NULL;
	struct stat st;
	size_t len = 0;
	BIO *bio = NULL;
	int ret;

	if (!roam_name_valid(name)) {
		snprintf(err, errlen, "invalid client name '%s'", name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	if (!strcmp(verb, "add") && !lstat(path, &st)) {
		snprintf(err, errlen, "%s exists; not overwriting it", path);
		return -EEXIST;
	}
	snprintf(line, sizeof(line), "client %s %s", verb, name);
	ret = roam_admin_call(sock, line, &reply, &len, err, errlen);
	if (ret)
		return ret;
	/* The reply is three PEM blocks: key, certificate, CA certificate. */
	bio = BIO_new_mem_buf(reply + 3, (int)(len - 3));
	if (bio) {
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		ca = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	}
	ret = -EPROTO;
	if (!key || !cert || !ca) {
		snprintf(err, errlen, "authd sent a malformed credential");
		goto out;
	}
	ret = write_pem(dir, name, ".key", 0600, key, NULL);
	if (!ret)
		ret = write_pem(dir, name, ".crt", 0644, NULL, cert);
	if (!ret)
		ret = write_pem(dir, "ca", ".crt", 0644, NULL, ca);
	if (ret)
		snprintf(err, errlen, "writing credentials to %s: %s", dir, strerror(-ret));
out:
	BIO_free(bio);
	EVP_PKEY_free(key);
	X509_free(cert);
	X509_free(ca);
	roam_file_free(reply, len);
	return ret;
}

int roam_admin_client_add(const char *sock, const char *name, const char *dir,
			  char *err, size_t errlen)
{
	return get_credential(sock, "add", name, dir, err, errlen);
}

int roam_admin_client_enrol(const char *sock, const char *name, const char *dir,
			    char *err, size_t errlen)
{
	char line[ROAM_ADMIN_LINE_MAX], path[4096], *pem = NULL, *reply = NULL;
	unsigned char *der = NULL;
	size_t pl = 0, len = 0;
	X509 *cert = NULL, *ca = NULL;
	X509_REQ *req = NULL;
	BIO *bio = NULL;
	int dl, off, ret;

	if (!roam_name_valid(name)) {
		snprintf(err, errlen, "invalid client name '%s'", name);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s.csr", dir, name);
	ret = roam_file_read(path, false, &pem, &pl, err, errlen);
	if (ret)
		return ret;
	bio = BIO_new_mem_buf(pem, (int)pl);
	req = bio ? PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	bio = NULL;
	dl = req ? i2d_X509_REQ(req, &der) : -1;
	ret = -EINVAL;
	if (dl <= 0 || 4 * ((dl + 2) / 3) > ROAM_ADMIN_CSR_MAX) {
		snprintf(err, errlen, "%s: not a PEM certificate request of at most %d bytes",
			 path, ROAM_ADMIN_CSR_MAX * 3 / 4);
		goto out;
	}
	off = snprintf(line, sizeof(line), "client add %s csr ", name);
	EVP_EncodeBlock((unsigned char *)line + off, der, dl);
	ret = roam_admin_call(sock, line, &reply, &len, err, errlen);
	if (ret)
		goto out;
	/* The reply: the certificate, then the CA's; no key. */
	bio = BIO_new_mem_buf(reply + 3, (int)(len - 3));
	if (bio) {
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		ca = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	}
	ret = -EPROTO;
	if (!cert || !ca) {
		snprintf(err, errlen, "authd sent a malformed certificate");
		goto out;
	}
	ret = write_pem(dir, name, ".crt", 0644, NULL, cert);
	if (!ret)
		ret = write_pem(dir, "ca", ".crt", 0644, NULL, ca);
	if (ret)
		snprintf(err, errlen, "writing certificates to %s: %s", dir, strerror(-ret));
out:
	BIO_free(bio);
	X509_free(cert);
	X509_free(ca);
	X509_REQ_free(req);
	OPENSSL_free(der);
	roam_file_free(pem, pl);
	roam_file_free(reply, len);
	return ret;
}

int roam_admin_client_renew(const char *sock, const char *name, const char *dir,
			    char *err, size_t errlen)
{
	return get_credential(sock, "renew", name, dir, err, errlen);
}
