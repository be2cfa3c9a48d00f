/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The authd-local certificate authority: ECDSA P-256 keys and X.509 v3
 * certificates made with OpenSSL's APIs.  A client's name is the CN of
 * its certificate.
 */
#ifndef ROAM_PKI_H
#define ROAM_PKI_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define ROAM_NAME_MAX	64

/* [A-Za-z0-9_.-]{1,64}, not starting with '.' or '-': safe as a file name. */
bool roam_name_valid(const char *name);

EVP_PKEY *roam_pki_keygen(void);

/* Self-signed CA certificate. */
X509 *roam_pki_make_ca(EVP_PKEY *key, const char *cn, int days);

/*
 * Certificate for `cn` signed by the CA: a client certificate (clientAuth)
 * or, with `server`, a server certificate whose subjectAltName is `san`
 * (a comma-separated list like "DNS:localhost,IP:127.0.0.1").
 */
X509 *roam_pki_issue(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *key,
		     const char *cn, bool server, const char *san, int days);

/* PEM in a malloc'ed buffer (free it with roam_file_free). 0 or -errno. */
int roam_pki_key_pem(EVP_PKEY *key, char **pem, size_t *len);
int roam_pki_cert_pem(X509 *cert, char **pem, size_t *len);

EVP_PKEY *roam_pki_key_from_pem(const char *pem, size_t len);
X509 *roam_pki_cert_from_pem(const char *pem, size_t len);

/* The CN of a certificate into buf; 0 or -EINVAL. */
int roam_pki_cn(X509 *cert, char *buf, size_t len);

/* Days until @cert expires (negative: expired); INT_MIN if unreadable. */
int roam_pki_days_left(X509 *cert);
/* Do two certificates carry the same subjectAltName extension? */
bool roam_pki_same_san(X509 *a, X509 *b);

#endif
