// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "pki.h"
#include "secfile.h"

bool roam_name_valid(const char *name)
{
	size_t n = strnlen(name, ROAM_NAME_MAX + 1);

	if (!n || n > ROAM_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t k = 0; k < n; k++) {
		char c = name[k];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

EVP_PKEY *roam_pki_keygen(void)
{
	return EVP_EC_gen("P-256");
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -EINVAL;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -EINVAL;
}

/* Version 3, random 127-bit serial, validity, subject CN, public key. */
static X509 *new_cert(EVP_PKEY *key, const char *cn, int days)
{
	unsigned char serial[16];
	X509 *cert = X509_new();
	X509_NAME *name;
	BIGNUM *bn = NULL;
	bool ok = false;

	if (!cert || RAND_bytes(serial, sizeof(serial)) != 1)
		goto out;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	name = X509_get_subject_name(cert);
	ok = bn && X509_set_version(cert, X509_VERSION_3) &&
	     BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) &&
	     X509_gmtime_adj(X509_getm_notBefore(cert), -300) &&
	     X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)cn, -1, -1, 0) &&
	     X509_set_pubkey(cert, key);
out:
	BN_free(bn);
	if (!ok) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

X509 *roam_pki_make_ca(EVP_PKEY *key, const char *cn, int days)
{
	X509 *cert = new_cert(key, cn, days);

	if (!cert)
		return NULL;
	if (!X509_set_issuer_name(cert, X509_get_subject_name(cert)) ||
	    add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
	    add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign") ||
	    add_ext(cert, cert, NID_subject_key_identifier, "hash") ||
	    !X509_sign(cert, key, EVP_sha256())) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

X509 *roam_pki_issue(X509 *ca, EVP_PKEY *ca_key, EVP_PKEY *key,
		     const char *cn, bool server, const char *san, int days)
{
	X509 *cert = new_cert(key, cn, days);

	if (!cert)
		return NULL;
	if (!X509_set_issuer_name(cert, X509_get_subject_name(ca)) ||
	    add_ext(cert, ca, NID_basic_constraints, "critical,CA:FALSE") ||
	    add_ext(cert, ca, NID_key_usage, "critical,digitalSignature") ||
	    add_ext(cert, ca, NID_ext_key_usage, server ? "serverAuth" : "clientAuth") ||
	    add_ext(cert, ca, NID_authority_key_identifier, "keyid:always") ||
	    (server && san && add_ext(cert, ca, NID_subject_alt_name, san)) ||
	    !X509_sign(cert, ca_key, EVP_sha256())) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

static int bio_take(BIO *bio, char **pem, size_t *len)
{
	char *p;
	long n = BIO_get_mem_data(bio, &p);

	if (n <= 0)
		return -EINVAL;
	*pem = malloc((size_t)n + 1);
	if (!*pem)
		return -ENOMEM;
	memcpy(*pem, p, (size_t)n);
	(*pem)[n] = 0;
	*len = (size_t)n;
	return 0;
}

int roam_pki_key_pem(EVP_PKEY *key, char **pem, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	int ret = -EINVAL;

	if (bio && PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
		ret = bio_take(bio, pem, len);
	BIO_free(bio);
	return ret;
}

int roam_pki_cert_pem(X509 *cert, char **pem, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int ret = -EINVAL;

	if (bio && PEM_write_bio_X509(bio, cert))
		ret = bio_take(bio, pem, len);
	BIO_free(bio);
	return ret;
}

EVP_PKEY *roam_pki_key_from_pem(const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *key = NULL;

	if (bio)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return key;
}

X509 *roam_pki_cert_from_pem(const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	X509 *cert = NULL;

	if (bio)
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return cert;
}

int roam_pki_cn(X509 *cert, char *buf, size_t len)
{
	int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert),
					  NID_commonName, buf, (int)len);

	return n > 0 && (size_t)n < len ? 0 : -EINVAL;
}

int roam_pki_days_left(X509 *cert)
{
	int days = 0, secs = 0;

	if (!ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(cert)))
		return INT_MIN;
	return days;
}

static const ASN1_OCTET_STRING *san_of(X509 *cert)
{
	int i = X509_get_ext_by_NID(cert, NID_subject_alt_name, -1);

	return i < 0 ? NULL : X509_EXTENSION_get_data(X509_get_ext(cert, i));
}

bool roam_pki_same_san(X509 *a, X509 *b)
{
	const ASN1_OCTET_STRING *x = san_of(a), *y = san_of(b);

	if (!x || !y)
		return !x && !y;
	return !ASN1_OCTET_STRING_cmp(x, y);
}
