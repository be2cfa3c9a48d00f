// SPDX-License-Identifier: GPL-2.0
/*
 * Hex on OpenSSL's codec (OPENSSL_buf2hexstr_ex / OPENSSL_hexstr2buf_ex
 * without a separator).  OpenSSL prints uppercase; the files and wire
 * formats here are lowercase (fileproto's SHA256, authd's chain seed).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "hex.h"

int hex_encode(const void *in, size_t len, char *out, size_t outlen)
{
	int ok;

	if (outlen < HEX_LEN(len))
		return -ENOSPC;
	ERR_set_mark();
	ok = OPENSSL_buf2hexstr_ex(out, outlen, NULL, in, len, '\0');
	ERR_pop_to_mark();
	if (!ok)
		return -ENOSPC;
	for (; *out; out++)
		*out = (char)tolower((unsigned char)*out);
	return 0;
}

int hex_decode(const char *s, void *out, size_t n, unsigned int flags)
{
	size_t got = 0;
	int ok;

	if (strlen(s) != 2 * n)
		return -EINVAL;
	if ((flags & HEX_LOWER) && strpbrk(s, "ABCDEF"))
		return -EINVAL;
	/* Errors go to OpenSSL's queue: ours, not the caller's to log. */
	ERR_set_mark();
	ok = OPENSSL_hexstr2buf_ex(out, n, &got, s, '\0');
	ERR_pop_to_mark();
	return ok && got == n ? 0 : -EINVAL;
}
