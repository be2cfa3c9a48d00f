// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: MTF control messages as they arrive over UDP, from anyone.
 * What the parser accepts must encode again, to bytes that parse to the
 * same message; the nonce must be computable on it without a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[MTF_CTL_KEY_LEN] = { 1, 2, 3 };
	uint8_t out[MTF_CTL_MAX], nonce[MTF_CTL_NONCE_LEN];
	struct mtf_ctl_msg m, m2;
	const char *why;
	uint8_t *buf;
	int len;

	/* An exact copy: a read past the datagram is caught by ASan. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (mtf_ctl_parse(buf, size, &m, &why)) {
		if (!why)
			__builtin_trap();
		free(buf);
		return 0;
	}
	len = mtf_ctl_encode(&m, out, sizeof(out));
	if (len < 0 || mtf_ctl_parse(out, (size_t)len, &m2, &why) ||
	    m2.type != m.type || m2.present != m.present || m2.id != m.id ||
	    m2.flow.nslots != m.flow.nslots)
		__builtin_trap();
	if (m.present & MTF_CTL_BIT(MTF_CTL_A_ADDR) &&
	    m.present & MTF_CTL_BIT(MTF_CTL_A_EXPIRY_MS))
		(void)mtf_ctl_nonce(key, &m, nonce);
	(void)mtf_ctl_nonce_ok(key, &m);
	free(buf);
	return 0;
}
