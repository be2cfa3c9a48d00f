// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsers and value formatters.  Parsers are strict, like ip's:
 * a whole word or nothing, no silent truncation, ranges checked here so
 * that a typo is a usage error rather than the kernel's EINVAL.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "hex.h"
#include "mtfctl.h"
#include "parse.h"
#include "util.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

int mtf_perr(struct mtf_perr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int mtfctl_usage(struct cli *cli, const struct mtf_perr *e)
{
	return cli_usage_error(cli, "%s", e->msg);
}

/* Dotted quad only: inet_pton() refuses "10.1" and "010.0.0.1" forms. */
int mtf_parse_ip4(const char *s, uint32_t *be, const char *what,
		  struct mtf_perr *e)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return mtf_perr(e, "invalid %s '%s': not an IPv4 address", what, s);
	*be = a.s_addr;
	return 0;
}

/* A.B.C.D[/LEN]; host bits must be clear, as ip route insists. */
int mtf_parse_prefix4(const char *s, uint32_t *be, uint8_t *plen,
		      struct mtf_perr *e)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	uint32_t len = 32, mask;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n >= sizeof(addr))
		return mtf_perr(e, "invalid prefix '%s'", s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (mtf_parse_ip4(addr, be, "prefix", e) < 0 ||
	    (slash && mtf_parse_u32(slash + 1, 0, 32, &len, "prefix length", e) < 0))
		return mtf_perr(e, "invalid prefix '%s': want A.B.C.D[/0-32]", s);
	mask = len ? htonl(~0u << (32 - len)) : 0;
	if (*be & ~mask)
		return mtf_perr(e, "invalid prefix '%s': host bits set", s);
	*plen = len;
	return 0;
}

/* Decimal only, no sign, no blanks (lib/parse.c). */
int mtf_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
		  const char *what, struct mtf_perr *e)
{
	if (parse_u32(s, min, max, v))
		return mtf_perr(e, "invalid %s '%s': want %u-%u", what, s, min, max);
	return 0;
}

/* 1 to 8 hex digits, "0x" optional: marks print as 0x%08x. */
int mtf_parse_mark(const char *s, uint32_t *be, struct mtf_perr *e)
{
	const char *p = s;
	uint32_t x = 0;
	int n, d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	/* One pass: a bulk file has a mark per slot, millions of them. */
	for (n = 0; p[n]; n++) {
		d = hexval(p[n]);
		if (d < 0 || n == 8)
			break;
		x = x << 4 | d;
	}
	if (n == 0 || p[n])
		return mtf_perr(e, "invalid mark '%s': want 1-8 hex digits", s);
	*be = htonl(x);
	return 0;
}

struct unit {
	const char *name;
	uint64_t mult;
};

/*
 * NUM[.FRAC][UNIT], the value times the unit's multiplier, exactly or
 * refused: "1.5mbit" is 1500000, "1.5bit" is an error.
 */
static int parse_scaled(const char *s, const struct unit *units,
			uint64_t *v)
{
	const char *p = s, *frac = NULL;
	uint64_t whole, f = 0, div = 1, mult = 0;

	if (parse_u64_prefix(s, &p, &whole) < 0)
		return -EINVAL;
	if (*p == '.') {
		frac = ++p;
		for (; isdigit((unsigned char)*p); p++) {
			if (div >= 1000000)	/* f * mult must not overflow */
				return -EINVAL;
			f = f * 10 + (*p - '0');
			div *= 10;
		}
		if (p == frac)
			return -EINVAL;
	}
	for (; units->name; units++)
		if (!strcasecmp(p, units->name)) {
			mult = units->mult;
			break;
		}
	if (!mult || (f * mult) % div || whole > UINT64_MAX / mult ||
	    whole * mult > UINT64_MAX - f * mult / div)
		return -EINVAL;
	*v = whole * mult + f * mult / div;
	return 0;
}

/* tc's units for bits; packets take SI prefixes only. */
static const struct unit bit_units[] = {
	{ "", 1 }, { "bit", 1 },
	{ "kbit", 1000ULL }, { "mbit", 1000000ULL }, { "gbit", 1000000000ULL },
	{ "tbit", 1000000000000ULL },
	{ "kibit", 1ULL << 10 }, { "mibit", 1ULL << 20 }, { "gibit", 1ULL << 30 },
	{ "tibit", 1ULL << 40 },
	{ NULL, 0 }
};

static const struct unit pkt_units[] = {
	{ "", 1 }, { "pps", 1 }, { "k", 1000 }, { "kpps", 1000 },
	{ "m", 1000000 }, { "mpps", 1000000 }, { "g", 1000000000 },
	{ NULL, 0 }
};

int mtf_parse_rate(const char *s, bool bits, uint64_t *v, struct mtf_perr *e)
{
	if (parse_scaled(s, bits ? bit_units : pkt_units, v) < 0 || !*v)
		return mtf_perr(e, bits ?
				"invalid bit rate '%s': want N[bit|kbit|mbit|gbit|tbit|kibit|...], > 0" :
				"invalid packet rate '%s': want N[k|m], > 0", s);
	return 0;
}

/* Milliseconds; a unit may say otherwise: "1500", "1.5s", "2m", "1h". */
int mtf_parse_ms(const char *s, uint32_t *ms, const char *what,
		 struct mtf_perr *e)
{
	static const struct unit units[] = {
		{ "", 1 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { NULL, 0 }
	};
	uint64_t v;

	if (parse_scaled(s, units, &v) < 0 || v > UINT32_MAX)
		return mtf_perr(e, "invalid %s '%s': want milliseconds, or N[ms|s|m|h] up to 49 days",
				what, s);
	*ms = v;
	return 0;
}

int mtf_parse_onoff(const char *s, bool *on, const char *what,
		    struct mtf_perr *e)
{
	if (!strcmp(s, "on"))
		*on = true;
	else if (!strcmp(s, "off"))
		*on = false;
	else
		return mtf_perr(e, "invalid value '%s' for %s: want on or off", s, what);
	return 0;
}

/* Exactly MTF_KEY_LEN bytes as hex; surrounding blanks (a file's
 * newline) are allowed. */
int mtf_parse_key(const char *s, uint8_t *key, struct mtf_perr *e)
{
	char digits[HEX_LEN(MTF_KEY_LEN)];
	size_t n;
	int ret;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	ret = n < sizeof(digits) ? 0 : -EINVAL;
	if (!ret) {
		memcpy(digits, s, n);
		digits[n] = '\0';
		ret = hex_decode(digits, key, MTF_KEY_LEN, 0);
		OPENSSL_cleanse(digits, sizeof(digits));
	}
	if (ret) {
		/* Do not echo it: it may be most of a secret. */
		OPENSSL_cleanse(key, MTF_KEY_LEN);
		return mtf_perr(e, "invalid key: want exactly %u hex digits",
				2 * MTF_KEY_LEN);
	}
	return 0;
}

/* A filter's cookie: 1 to MTF_FILTER_COOKIE_MAX bytes in hex, 0x optional. */
int mtf_parse_cookie(const char *s, uint8_t *cookie, uint8_t *len,
		     struct mtf_perr *e)
{
	const char *p = s;
	size_t n;

	if (p[0] == '0' && (p[1] | 0x20) == 'x')
		p += 2;
	n = strlen(p);
	if (!n || n % 2)
		return mtf_perr(e, "invalid cookie '%s': want an even number of hex digits", s);
	if (n / 2 > MTF_FILTER_COOKIE_MAX)
		return mtf_perr(e, "invalid cookie: %zu bytes, at most %u", n / 2,
				MTF_FILTER_COOKIE_MAX);
	if (hex_decode(p, cookie, n / 2, 0))
		return mtf_perr(e, "invalid cookie '%s': want hex digits", s);
	*len = (uint8_t)(n / 2);
	return 0;
}

const char *mtf_fmt_cookie(const uint8_t *cookie, unsigned int len, char *buf)
{
	if (len > MTF_FILTER_COOKIE_MAX)
		len = MTF_FILTER_COOKIE_MAX;
	if (hex_encode(cookie, len, buf, MTF_COOKIE_HEX))
		buf[0] = '\0';
	return buf;
}

const char *mtf_fmt_ip4(uint32_t be, char *buf)
{
	return inet_ntop(AF_INET, &be, buf, INET_ADDRSTRLEN);
}

/*
 * exact: the largest unit that divides v, so the text parses back to the
 * same value (filter show).  Otherwise three significant digits or so,
 * for measured rates (path show).
 */
const char *mtf_fmt_rate(uint64_t v, const char *unit, bool exact,
			 char *buf, size_t len)
{
	static const char prefix[] = "kmgt";
	uint64_t div = 1;
	int i = -1;

	while (i < 3 && v >= div * 1000 && (!exact || v % (div * 1000) == 0)) {
		div *= 1000;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu%s", (unsigned long long)v, unit);
	else if (exact || v % div == 0 || v / div >= 100)
		snprintf(buf, len, "%llu%c%s", (unsigned long long)(v / div),
			 prefix[i], unit);
	else
		snprintf(buf, len, "%.*f%c%s", v / div >= 10 ? 1 : 2,
			 (double)v / div, prefix[i], unit);
	return buf;
}

/* Ages and lifetimes: "850ms", "12.3s", "5m02s", "3h07m", "2d04h". */
const char *mtf_fmt_ms(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	else if (s < 60)
		snprintf(buf, len, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ms % 1000 / 100));
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60));
	else
		snprintf(buf, len, "%llud%02lluh", (unsigned long long)(s / 86400),
			 (unsigned long long)(s / 3600 % 24));
	return buf;
}
