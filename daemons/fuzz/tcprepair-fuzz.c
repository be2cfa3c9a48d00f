// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the TCP_REPAIR state blob (lib/tcprepair.c), the
 * bytes a new server takes from the old one: whatever decodes must
 * encode again, and that encoding must decode to the same state.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcprepair.h"

static int same(const struct tcpr_state *a, const struct tcpr_state *b)
{
	return !memcmp(&a->local, &b->local, sizeof(a->local)) &&
		!memcmp(&a->peer, &b->peer, sizeof(a->peer)) &&
		a->snd_una == b->snd_una && a->sndq_len == b->sndq_len &&
		a->unsent == b->unsent && a->rcv_seq == b->rcv_seq &&
		a->rcvq_len == b->rcvq_len && a->mss == b->mss &&
		a->timestamp == b->timestamp &&
		!memcmp(&a->win, &b->win, sizeof(a->win)) && a->opts == b->opts &&
		a->snd_wscale == b->snd_wscale && a->rcv_wscale == b->rcv_wscale &&
		a->sndbuf == b->sndbuf && a->rcvbuf == b->rcvbuf &&
		a->nodelay == b->nodelay &&
		(!a->sndq_len || !memcmp(a->sndq, b->sndq, a->sndq_len)) &&
		(!a->rcvq_len || !memcmp(a->rcvq, b->rcvq, a->rcvq_len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcpr_state st, st2;
	const char *why;
	uint8_t *buf;
	size_t len;
	int n;

	if (tcpr_decode(data, size, &st, &why))
		return 0;
	len = tcpr_encoded_len(&st);
	/* Only unknown optional fields make the input longer. */
	if (len > size)
		abort();
	buf = malloc(len);
	if (!buf)
		abort();
	n = tcpr_encode(&st, buf, len);
	if (n < 0 || (size_t)n != len || tcpr_decode(buf, len, &st2, &why) ||
	    !same(&st, &st2))
		abort();
	free(buf);
	tcpr_state_free(&st);
	tcpr_state_free(&st2);
	return 0;
}
