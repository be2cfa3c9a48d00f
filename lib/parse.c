// SPDX-License-Identifier: GPL-2.0
/* Integers from text: see parse.h. */
#include <errno.h>
#include <stdbool.h>

#include "parse.h"

static int digit(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		d = (c | 0x20) - 'a' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* Digits of base from s; *end after the last one.  -EINVAL if none. */
static int digits(const char *s, unsigned int base, const char **end,
		  uint64_t *out)
{
	bool over = false;
	uint64_t v = 0;
	const char *p;
	int d;

	for (p = s; (d = digit(*p, base)) >= 0; p++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			over = true;
		else
			v = v * base + (uint64_t)d;
	}
	*end = p;
	if (p == s)
		return -EINVAL;
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_uint(const char *s, unsigned int flags, uint64_t min, uint64_t max,
	       uint64_t *out)
{
	unsigned int base = 10;
	const char *end;
	uint64_t v = 0;
	int ret;

	if ((flags & PARSE_HEX) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	ret = digits(s, base, &end, &v);
	if (ret == -EINVAL || *end)
		return -EINVAL;
	if ((flags & PARSE_CANON) && s[0] == '0' && s[1])
		return -EINVAL;
	if (ret || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	return parse_uint(s, 0, min, max, out);
}

#define PARSE_NARROW(name, type)					\
int name(const char *s, type min, type max, type *out)			\
{									\
	uint64_t v;							\
	int ret = parse_uint(s, 0, min, max, &v);			\
									\
	if (!ret)							\
		*out = (type)v;						\
	return ret;							\
}

PARSE_NARROW(parse_u32, uint32_t)
PARSE_NARROW(parse_u16, uint16_t)
PARSE_NARROW(parse_u8, uint8_t)

int parse_u64_prefix(const char *s, const char **end, uint64_t *out)
{
	return digits(s, 10, end, out);
}
