// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: arbitrary bytes as what follows the IPv4 header of a packet
 * with protocol MTF_IPPROTO, through the module's own parser
 * (kmod/common/mtf_pathhdr.h).  The first input byte's low bit says whether the
 * IPv4 packet is a fragment; the rest is the buffer, exactly as long as
 * the input, so ASan catches any read past it.  Accepted headers must
 * satisfy the wire format's invariants.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/common/mtf_pathhdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mtf_ph ph;
	uint8_t *buf;
	bool frag;
	int ret;

	if (!size)
		return 0;
	frag = data[0] & 1;
	size--;
	/* A copy of exactly @size bytes: reading one more is a bug. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size);
	ret = mtf_ph_parse(buf, size, frag, &ph);
	if (ret == 0) {
		if (frag || ph.size < 1 || ph.size > MTF_MAX_SLOTS ||
		    ph.ptr > ph.size || ph.len > size ||
		    ph.len != MTF_HDR_LEN(ph.size, mtf_ph_v6(&ph)) ||
		    ph.len != mtf_ph_claimed_len(buf) ||
		    ph.nexthdr != buf[0] || (ph.flags & ~MTF_HDR_F_V6))
			__builtin_trap();
	} else if (ret != MTF_STAT_DROP_TRUNCATED &&
		   ret != MTF_STAT_DROP_BAD_SIZE &&
		   ret != MTF_STAT_DROP_BAD_PTR &&
		   ret != MTF_STAT_DROP_BAD_VERSION &&
		   ret != MTF_STAT_DROP_NESTED &&
		   ret != MTF_STAT_DROP_FRAGMENT) {
		__builtin_trap();
	}
	free(buf);
	return 0;
}
