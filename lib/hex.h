/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one hex codec (keys, seeds, digests), on OpenSSL's: bytes to
 * lowercase digits, and exactly 2 * n digits back to n bytes.
 */
#ifndef MTF_HEX_H
#define MTF_HEX_H

#include <stddef.h>

/* Room for the digits of n bytes and the NUL. */
#define HEX_LEN(n) (2 * (n) + 1)

enum {
	HEX_LOWER = 1 << 0,	/* decoding: refuse A-F (one spelling per value) */
};

/* 0, or -ENOSPC if outlen < HEX_LEN(len). */
int hex_encode(const void *in, size_t len, char *out, size_t outlen);
/*
 * 0, or -EINVAL: not exactly 2 * n hex digits (odd length, a non-digit,
 * a blank, uppercase with HEX_LOWER).  out may be partly written then.
 */
int hex_decode(const char *s, void *out, size_t n, unsigned int flags);

#endif
