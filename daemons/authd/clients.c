// SPDX-License-Identifier: GPL-2.0
/*
 * Subscribed clients: a hash table by name, persisted in SQLite
 * (store.c).  A client's name is the CN of its certificate and the serial
 * number pins the one certificate currently valid for that name, so a
 * name that was revoked and added again does not revive the old one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "admin.h"
#include "authd.h"
#include "log.h"
#include "secfile.h"
#include "store.h"

#define CLIENT_DAYS	825

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 1099511628211ULL;
	return (size_t)h;
}

struct client *authd_client_find(struct authd *a, const char *name)
{
	struct client *c;

	if (!a->nbuckets)
		return NULL;
	for (c = a->buckets[hash(name) % a->nbuckets]; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

struct client *authd_client_add(struct authd *a, const char *name, const char *serial)
{
	struct client *c = authd_client_find(a, name);
	size_t b;

	if (!a->nbuckets) {
		a->nbuckets = 16384;
		a->buckets = calloc(a->nbuckets, sizeof(*a->buckets));
		if (!a->buckets) {
			a->nbuckets = 0;
			return NULL;
		}
	}
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		snprintf(c->name, sizeof(c->name), "%s", name);
		b = hash(name) % a->nbuckets;
		c->next = a->buckets[b];
		a->buckets[b] = c;
		a->nclients++;
	}
	snprintf(c->serial, sizeof(c->serial), "%s", serial);
	c->revoked = false;
	free(c->rev_addrs);
	c->rev_addrs = NULL;
	return c;
}

static int load_one(void *arg, const char *name, const char *serial, bool revoked,
		    uint32_t mig_id)
{
	struct authd *a = arg;
	struct client *c;

	if (!roam_name_valid(name)) {
		log_warn("clients.db: ignoring the invalid name '%s'", name);
		return 0;
	}
	c = authd_client_add(a, name, serial);
	if (!c)
		return -ENOMEM;
	c->revoked = revoked;
	c->mig_id = mig_id;
	return 0;
}

/* The journal of earlier versions, imported once into clients.db. */
static int import_journal(struct authd *a)
{
	char path[4096], done[4200], err[512], *data;
	unsigned int skipped;
	size_t len;
	int ret;

	snprintf(path, sizeof(path), "%s/clients", a->cfg.dir);
	ret = roam_file_read(path, false, &data, &len, err, sizeof(err));
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	ret = store_import_journal(a->store, data, len, &skipped);
	roam_file_free(data, len);
	if (ret)
		return ret;
	snprintf(done, sizeof(done), "%s/clients.imported", a->cfg.dir);
	if (rename(path, done))
		return -errno;
	log_info("imported %s into clients.db (%u malformed lines skipped); kept as %s",
		 path, skipped, done);
	return 0;
}

int authd_clients_load(struct authd *a)
{
	char err[512];
	int ret;

	ret = store_open(&a->store, a->cfg.dir, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	ret = import_journal(a);
	if (!ret)
		ret = store_each(a->store, load_one, a);
	if (!ret)
		log_info("%zu clients on record", a->nclients);
	return ret;
}

static int serial_hex(X509 *cert, char *buf, size_t len)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	int ret = hex && strlen(hex) < len ? 0 : -EINVAL;

	if (!ret)
		strcpy(buf, hex);
	OPENSSL_free(hex);
	BN_free(bn);
	return ret;
}

/* The reply to "client add": key, certificate and CA certificate, in PEM. */
/*
 * The public key of a certificate request (DER, base64) for NAME: its
 * signature must verify and its subject CN be NAME.  NULL and *why if not.
 */
static EVP_PKEY *csr_key(const char *b64, const char *name, const char **why)
{
	unsigned char der[ROAM_ADMIN_CSR_MAX];
	const unsigned char *p = der;
	size_t bl = strlen(b64);
	char cn[ROAM_NAME_MAX + 2] = "";
	X509_NAME_ENTRY *e;
	EVP_PKEY *key = NULL;
	X509_REQ *req;
	int n, i;

	*why = "malformed certificate request";
	n = EVP_DecodeBlock(der, (const unsigned char *)b64, (int)bl);
	if (n <= 0)
		return NULL;
	/* DecodeBlock counts the padding as zero bytes: trailing junk is fine for d2i. */
	req = d2i_X509_REQ(NULL, &p, n);
	if (!req)
		return NULL;
	key = X509_REQ_get_pubkey(req);
	if (!key || X509_REQ_verify(req, key) != 1) {
		*why = "the certificate request's signature does not verify";
		goto bad;
	}
	i = X509_NAME_get_index_by_NID(X509_REQ_get_subject_name(req), NID_commonName, -1);
	e = i < 0 ? NULL : X509_NAME_get_entry(X509_REQ_get_subject_name(req), i);
	if (!e || ASN1_STRING_length(X509_NAME_ENTRY_get_data(e)) > ROAM_NAME_MAX) {
		*why = "the certificate request has no usable CN";
		goto bad;
	}
	memcpy(cn, ASN1_STRING_get0_data(X509_NAME_ENTRY_get_data(e)),
	       (size_t)ASN1_STRING_length(X509_NAME_ENTRY_get_data(e)));
	if (strcmp(cn, name)) {
		*why = "the certificate request is for another name (CN)";
		goto bad;
	}
	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC &&
	    !(EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) >= 2048)) {
		*why = "the key must be EC or RSA of 2048 bits or more";
		goto bad;
	}
	X509_REQ_free(req);
	return key;
bad:
	EVP_PKEY_free(key);
	X509_REQ_free(req);
	return NULL;
}

int authd_client_issue(struct authd *a, const char *name, bool renew, const char *csr,
		       char **pem, size_t *len, const char **why)
{
	char serial[80], *k = NULL, *c = NULL, *ca = NULL;
	size_t kl = 0, cl = 0, cal = 0;
	struct client *cl_old = authd_client_find(a, name), *cl_new;
	EVP_PKEY *key = NULL;
	uint32_t id = 0;
	X509 *cert = NULL;
	int ret = -EINVAL;

	*pem = NULL;
	/*
	 * A renewal replaces the credential of an active client (expiry, a
	 * lost key): the new serial is the one on record, so the old
	 * certificate subscribes no more.
	 */
	if (renew && (!cl_old || cl_old->revoked)) {
		*why = cl_old ? "client revoked; add it again instead" : "no such client";
		return -ENOENT;
	}
	if (!renew && cl_old && !cl_old->revoked) {
		*why = "client exists; renew its credential or revoke it first";
		return -EEXIST;
	}
	if (!a->ca_key) {
		*why = "the CA key is offline (not in the state directory): no credential can be issued here";
		return -EPERM;
	}
	if (csr) {
		/* The client made its key: authd never holds it. */
		key = csr_key(csr, name, why);
		if (!key)
			return -EINVAL;
	} else {
		key = roam_pki_keygen();
	}
	*why = "cannot create the credential";
	if (key)
		cert = roam_pki_issue(a->ca, a->ca_key, key, name, false, NULL, CLIENT_DAYS);
	if (!cert || serial_hex(cert, serial, sizeof(serial)) ||
	    (!csr && roam_pki_key_pem(key, &k, &kl)) || roam_pki_cert_pem(cert, &c, &cl) ||
	    roam_pki_cert_pem(a->ca, &ca, &cal))
		goto out;
	*why = "cannot record the client";
	ret = store_add(a->store, name, serial);
	if (!ret)
		ret = store_mig_id(a->store, name, &id);
	if (ret)
		goto out;
	cl_new = authd_client_add(a, name, serial);
	if (!cl_new) {
		ret = -ENOMEM;
		goto out;
	}
	cl_new->mig_id = id;
	ret = -ENOMEM;
	*len = kl + cl + cal;
	*pem = malloc(*len + 1);
	if (!*pem)
		goto out;
	memcpy(*pem, k, kl);
	memcpy(*pem + kl, c, cl);
	memcpy(*pem + kl + cl, ca, cal);
	(*pem)[*len] = 0;
	*why = NULL;
	ret = 0;
	log_info("client %s %s (certificate serial %s%s)", name, renew ? "renewed" : "added", serial,
		 csr ? ", from its certificate request" : "");
out:
	if (ret && !*why)
		*why = "internal error";
	roam_file_free(k, kl);
	free(c);
	free(ca);
	X509_free(cert);
	EVP_PKEY_free(key);
	return ret;
}

int authd_client_revoke(struct authd *a, const char *name, const char **why)
{
	struct client *c = authd_client_find(a, name);
	char addrs[1024] = "";
	int ret;

	if (!c) {
		*why = "no such client";
		return -ENOENT;
	}
	if (c->revoked) {
		*why = "client already revoked";
		return -EALREADY;
	}
	ret = store_revoke(a->store, name);
	if (ret) {
		*why = "cannot record the revocation";
		return ret;
	}
	c->revoked = true;
	authd_close_client_sessions(a, name, addrs, sizeof(addrs));
	if (!addrs[0] && c->last_peer[0])
		snprintf(addrs, sizeof(addrs), "%s", c->last_peer);
	log_info("client %s revoked; sessions closed%s%s", name,
		 addrs[0] ? ", addresses " : "", addrs);
	/* For roamds that watch later (the catch-up list); NULL: none known. */
	free(c->rev_addrs);
	c->rev_addrs = addrs[0] ? strdup(addrs) : NULL;
	authd_gates_revoked(a, name, addrs);
	return 0;
}
