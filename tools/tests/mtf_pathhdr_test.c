// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the path header parser (kmod/common/mtf_pathhdr.h), the
 * same code the module runs: one case per row of the malformed-header
 * table in Documentation/mtf-protocol.md, the document's own example,
 * and every length from 0 to one past the header for each size, so that
 * the boundary between TRUNCATED and accepted is exact.  Prints TAP.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../kmod/common/mtf_pathhdr.h"

struct tcase {
	const char *name;
	unsigned char b[32];
	size_t len;
	bool frag;
	int ret;
};

#define Z8 0, 0, 0, 0, 0, 0, 0, 0

static const struct tcase cases[] = {
	{ "empty buffer", { 0 }, 0, false, MTF_STAT_DROP_TRUNCATED },
	{ "3 bytes", { 17, 0x10, 0x11 }, 3, false, MTF_STAT_DROP_TRUNCATED },
	{ "size 1, slot missing", { 17, 0x10, 0x10, 0 }, 4, false,
	  MTF_STAT_DROP_TRUNCATED },
	{ "size 1, slot short by 1", { 17, 0x10, 0x10, 0, 1, 2, 3, 4, 5, 6, 7 },
	  11, false, MTF_STAT_DROP_TRUNCATED },
	{ "size 15 with 2 slots of bytes", { 17, 0x10, 0xf0, 0, Z8, Z8 }, 20,
	  false, MTF_STAT_DROP_TRUNCATED },
	{ "size 0", { 17, 0x10, 0x00, 0, Z8 }, 12, false,
	  MTF_STAT_DROP_BAD_SIZE },
	{ "pointer 2 > size 1", { 17, 0x10, 0x12, 0, Z8 }, 12, false,
	  MTF_STAT_DROP_BAD_PTR },
	{ "pointer 15 > size 14", { 6, 0x10, 0xef, 0 }, 4, false,
	  MTF_STAT_DROP_BAD_PTR },
	{ "version 0", { 17, 0x00, 0x11, 0, Z8 }, 12, false,
	  MTF_STAT_DROP_BAD_VERSION },
	{ "version 2", { 17, 0x20, 0x11, 0, Z8 }, 12, false,
	  MTF_STAT_DROP_BAD_VERSION },
	{ "unknown flag 0x2", { 17, 0x12, 0x11, 0, Z8 }, 12, false,
	  MTF_STAT_DROP_BAD_VERSION },
	{ "unknown flag 0x8", { 17, 0x18, 0x11, 0, Z8 }, 12, false,
	  MTF_STAT_DROP_BAD_VERSION },
	{ "valid header in a fragment", { 17, 0x10, 0x11, 0, Z8 }, 12, true,
	  MTF_STAT_DROP_FRAGMENT },
	{ "fragment with no bytes", { 0 }, 0, true, MTF_STAT_DROP_FRAGMENT },
	{ "size 1, empty", { 17, 0x10, 0x10, 0, Z8 }, 12, false, 0 },
	{ "size 1, full", { 6, 0x10, 0x11, 0xff, 10, 0, 1, 254, 1, 2, 3, 4 },
	  12, false, 0 },
	{ "size 1 followed by payload", { 6, 0x10, 0x11, 0, Z8, 0xde, 0xad },
	  14, false, 0 },
	{ "IPv6 slots, size 1, 20 bytes short",
	  { 17, 0x11, 0x10, 0, Z8, Z8 }, 20, false, MTF_STAT_DROP_TRUNCATED },
	{ "IPv6 slots, size 1", { 17, 0x11, 0x10, 0, Z8, Z8, 0, 0, 0, 0 }, 24,
	  false, 0 },
};

/* The example of Documentation/mtf-protocol.md, byte for byte. */
static void test_doc_example(void)
{
	static const unsigned char b[] = {
		0x11, 0x10, 0x32, 0x00, 0x0a, 0x00, 0x01, 0xfe,
		0x9c, 0x41, 0x07, 0xe2, 0x0a, 0x00, 0x03, 0xfe,
		0x51, 0xaa, 0x30, 0x0d, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
	};
	struct mtf_ph ph;
	int ret = mtf_ph_parse(b, sizeof(b), false, &ph);

	tap_ok(ret == 0 && ph.nexthdr == 17 && ph.size == 3 && ph.ptr == 2 &&
	       ph.flags == 0 && ph.len == 28 && !mtf_ph_v6(&ph),
	       "protocol document example: UDP, size 3, pointer 2, 28 bytes");
}

/*
 * For each size (and slot type), every length from 0 to the header's:
 * TRUNCATED below it, accepted from it on.  The buffer is allocated at
 * exactly that length so that a sanitizer build would catch an overread.
 */
static void test_lengths(bool v6)
{
	unsigned int size, len, bad = 0;

	for (size = 1; size <= MTF_MAX_SLOTS; size++) {
		unsigned int hl = MTF_HDR_LEN(size, v6);

		for (len = 0; len <= hl + 1; len++) {
			unsigned char *b = calloc(1, len ? len : 1);
			struct mtf_ph ph;
			int ret, want = len < hl ? MTF_STAT_DROP_TRUNCATED : 0;

			if (len > 0)
				b[0] = 6;
			if (len > 1)
				b[1] = mtf_ph_ver_flags(v6 ? MTF_HDR_F_V6 : 0);
			if (len > 2)
				b[2] = mtf_ph_size_ptr(size, size);
			ret = mtf_ph_parse(b, len, false, &ph);
			if (ret != want || (!ret && ph.len != hl)) {
				printf("# size %u len %u: got %d, want %d\n",
				       size, len, ret, want);
				bad++;
			}
			free(b);
		}
	}
	tap_ok(!bad, "%s slots: every size, every length around the header",
	       v6 ? "IPv6" : "IPv4");
}

static void test_claimed_len(void)
{
	static const unsigned char v4[4] = { 6, 0x10, 0xf0, 0 };
	static const unsigned char v6[4] = { 6, 0x11, 0x20, 0 };
	static const unsigned char zero[4] = { 6, 0x10, 0x00, 0 };

	tap_ok(mtf_ph_claimed_len(v4) == 124 && mtf_ph_claimed_len(v6) == 44 &&
	       mtf_ph_claimed_len(zero) == 0 && MTF_HDR_LEN_MAX == 304,
	       "claimed length: 124 for 15 IPv4 slots, 44 for 2 IPv6, 0 for size 0");
}

int main(void)
{
	unsigned int i;

	tap_plan(sizeof(cases) / sizeof(cases[0]) + 4);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		struct mtf_ph ph;
		int ret = mtf_ph_parse(c->b, c->len, c->frag, &ph);

		if (!tap_ok(ret == c->ret, "%s: %d", c->name, c->ret))
			printf("# got %d\n", ret);
	}
	test_doc_example();
	test_lengths(false);
	test_lengths(true);
	test_claimed_len();
	return tap_done();
}
