// SPDX-License-Identifier: GPL-2.0
/*
 * lib/hex.c and lib/parse.c: tables of {input, expected rc, value}.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "hex.h"
#include "parse.h"
#include "tap.h"
#include "util.h"

static const struct {
	const char *s;
	unsigned int flags;
	uint64_t min, max;
	int rc;
	uint64_t v;
} ucases[] = {
	{ "0", 0, 0, UINT64_MAX, 0, 0 },
	{ "42", 0, 0, UINT64_MAX, 0, 42 },
	{ "18446744073709551615", 0, 0, UINT64_MAX, 0, UINT64_MAX },
	{ "18446744073709551616", 0, 0, UINT64_MAX, -ERANGE, 0 },
	{ "99999999999999999999999", 0, 0, UINT64_MAX, -ERANGE, 0 },
	{ "", 0, 0, UINT64_MAX, -EINVAL, 0 },
	{ "-1", 0, 0, UINT64_MAX, -EINVAL, 0 },
	{ "+1", 0, 0, UINT64_MAX, -EINVAL, 0 },
	{ " 1", 0, 0, UINT64_MAX, -EINVAL, 0 },
	{ "1 ", 0, 0, UINT64_MAX, -EINVAL, 0 },
	{ "12abc", 0, 0, UINT64_MAX, -EINVAL, 0 },
	{ "0x10", 0, 0, UINT64_MAX, -EINVAL, 0 },
	{ "0x10", PARSE_HEX, 0, UINT64_MAX, 0, 16 },
	{ "0XfF", PARSE_HEX, 0, UINT64_MAX, 0, 255 },
	{ "ff", PARSE_HEX, 0, UINT64_MAX, -EINVAL, 0 },
	{ "0x", PARSE_HEX, 0, UINT64_MAX, -EINVAL, 0 },
	{ "0x1g", PARSE_HEX, 0, UINT64_MAX, -EINVAL, 0 },
	{ "0xffffffffffffffff", PARSE_HEX, 0, UINT64_MAX, 0, UINT64_MAX },
	{ "0x10000000000000000", PARSE_HEX, 0, UINT64_MAX, -ERANGE, 0 },
	{ "10", PARSE_HEX, 0, UINT64_MAX, 0, 10 },
	{ "5", 0, 10, 20, -ERANGE, 0 },
	{ "21", 0, 10, 20, -ERANGE, 0 },
	{ "20", 0, 10, 20, 0, 20 },
	{ "007", 0, 0, 100, 0, 7 },
	{ "007", PARSE_CANON, 0, 100, -EINVAL, 0 },
	{ "0", PARSE_CANON, 0, 100, 0, 0 },
};

static int test_uint(void)
{
	unsigned int i;
	int ok = 1;

	for (i = 0; i < ARRAY_SIZE(ucases); i++) {
		uint64_t v = 12345;
		int rc = parse_uint(ucases[i].s, ucases[i].flags, ucases[i].min,
				    ucases[i].max, &v);

		if (rc != ucases[i].rc ||
		    v != (rc ? 12345 : ucases[i].v)) {
			printf("# parse_uint(\"%s\", %u): rc %d value %llu\n",
			       ucases[i].s, ucases[i].flags, rc,
			       (unsigned long long)v);
			ok = 0;
		}
	}
	return ok;
}

static int test_narrow(void)
{
	uint32_t u32 = 0;
	uint16_t u16 = 0;
	uint8_t u8 = 0;

	return !parse_u32("4294967295", 0, UINT32_MAX, &u32) && u32 == UINT32_MAX &&
	       parse_u32("4294967296", 0, UINT32_MAX, &u32) == -ERANGE &&
	       !parse_u16("65535", 1, UINT16_MAX, &u16) && u16 == 65535 &&
	       parse_u16("0", 1, UINT16_MAX, &u16) == -ERANGE &&
	       parse_u16("65536", 0, UINT16_MAX, &u16) == -ERANGE &&
	       !parse_u8("255", 0, UINT8_MAX, &u8) && u8 == 255 &&
	       parse_u8("256", 0, UINT8_MAX, &u8) == -ERANGE &&
	       parse_u8("1x", 0, UINT8_MAX, &u8) == -EINVAL;
}

static int test_prefix(void)
{
	const char *end;
	uint64_t v = 0;

	return !parse_u64_prefix("10mbit", &end, &v) && v == 10 &&
	       !strcmp(end, "mbit") &&
	       !parse_u64_prefix("7", &end, &v) && v == 7 && !*end &&
	       parse_u64_prefix("mbit", &end, &v) == -EINVAL &&
	       parse_u64_prefix("-1", &end, &v) == -EINVAL &&
	       parse_u64_prefix("99999999999999999999k", &end, &v) == -ERANGE;
}

static int test_hex_encode(void)
{
	static const uint8_t in[] = { 0x00, 0x01, 0xab, 0xcd, 0xef, 0xff };
	char out[HEX_LEN(sizeof(in))], small[HEX_LEN(sizeof(in)) - 1];
	char empty[1] = "x";

	return !hex_encode(in, sizeof(in), out, sizeof(out)) &&
	       !strcmp(out, "0001abcdefff") &&
	       hex_encode(in, sizeof(in), small, sizeof(small)) == -ENOSPC &&
	       !hex_encode(in, 0, empty, sizeof(empty)) && !empty[0];
}

static int test_hex_decode(void)
{
	static const uint8_t want[] = { 0x00, 0x01, 0xab, 0xcd, 0xef, 0xff };
	uint8_t out[sizeof(want)];

	return !hex_decode("0001abcdefff", out, sizeof(out), 0) &&
	       !memcmp(out, want, sizeof(want)) &&
	       !hex_decode("0001ABCDEFFF", out, sizeof(out), 0) &&
	       !memcmp(out, want, sizeof(want)) &&
	       !hex_decode("0001abcdefff", out, sizeof(out), HEX_LOWER) &&
	       hex_decode("0001ABCDEFFF", out, sizeof(out), HEX_LOWER) == -EINVAL &&
	       hex_decode("0001abcdeff", out, sizeof(out), 0) == -EINVAL &&
	       hex_decode("0001abcdefff00", out, sizeof(out), 0) == -EINVAL &&
	       hex_decode("0001abcdefzz", out, sizeof(out), 0) == -EINVAL &&
	       hex_decode("0001abcd ef f", out, sizeof(out), 0) == -EINVAL &&
	       hex_decode(":001abcdefff", out, sizeof(out), 0) == -EINVAL &&
	       hex_decode("", out, 0, 0) == 0;
}

static int test_hex_roundtrip(void)
{
	uint8_t in[256], back[256];
	char h[HEX_LEN(256)];
	unsigned int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	return !hex_encode(in, sizeof(in), h, sizeof(h)) &&
	       strlen(h) == 512 &&
	       !hex_decode(h, back, sizeof(back), HEX_LOWER) &&
	       !memcmp(in, back, sizeof(in));
}

int main(void)
{
	tap_plan(6);
	tap_ok(test_uint(), "parse_uint: %u cases (decimal, 0x, range, junk)",
	       (unsigned int)ARRAY_SIZE(ucases));
	tap_ok(test_narrow(), "parse_u32/u16/u8: bounds of the type");
	tap_ok(test_prefix(), "parse_u64_prefix: a number before a unit");
	tap_ok(test_hex_encode(), "hex_encode: lowercase, buffer size checked");
	tap_ok(test_hex_decode(), "hex_decode: either case, HEX_LOWER, odd/long/junk refused");
	tap_ok(test_hex_roundtrip(), "hex: 256 bytes round trip");
	return tap_done();
}
