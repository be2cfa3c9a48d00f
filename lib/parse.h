/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one integer parser for argv, config files, state files and admin
 * lines.  Strict, as ip(8)'s: the whole word or nothing; no blanks, no
 * sign, no trailing junk, no silent wrap (strtoul() accepts all four).
 * Decimal; hexadecimal after "0x"/"0X" only with PARSE_HEX.
 * Return 0, -EINVAL (not a number of this form) or -ERANGE (a number,
 * but outside [min, max]); *out is only written on success.
 */
#ifndef MTF_PARSE_H
#define MTF_PARSE_H

#include <stdint.h>

enum {
	PARSE_HEX = 1 << 0,	/* also "0x1f" */
	PARSE_CANON = 1 << 1,	/* one spelling per value: no leading 0 */
};

int parse_uint(const char *s, unsigned int flags, uint64_t min, uint64_t max,
	       uint64_t *out);
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_u16(const char *s, uint16_t min, uint16_t max, uint16_t *out);
int parse_u8(const char *s, uint8_t min, uint8_t max, uint8_t *out);

/*
 * A number followed by something else ("10mbit"): the leading decimal
 * digits (at least one) into *out, *end after them.  -ERANGE past
 * UINT64_MAX.
 */
int parse_u64_prefix(const char *s, const char **end, uint64_t *out);

#endif
