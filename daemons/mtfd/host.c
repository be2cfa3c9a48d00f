// SPDX-License-Identifier: GPL-2.0
/*
 * The host role: a stop request from our own gateway, about traffic we
 * send, becomes an nftables egress rule for Tlong (a set element with a
 * timeout: the kernel removes it, nothing to remember here), then a
 * STOP_ACK.  Through libnftables, in table "ip mtfd" that mtfd owns.
 */
#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "log.h"

static const char setup[] =
	"add table ip mtfd\n"
	"add chain ip mtfd egress { type filter hook output priority 0; policy accept; }\n"
	"add set ip mtfd stop { type ipv4_addr; flags timeout; size 65536; }\n"
	"flush chain ip mtfd egress\n"
	"add rule ip mtfd egress ip daddr @stop counter drop\n";

static int nft(struct mtfd *d, const char *cmd)
{
	const char *out;
	int ret;

	ret = nft_run_cmd_from_buffer(d->nft, cmd);
	out = nft_ctx_get_error_buffer(d->nft);
	if (ret)
		log_err("nftables: %s", out && *out ? out : "failed");
	return ret ? -EIO : 0;
}

int host_init(struct mtfd *d)
{
	d->nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!d->nft)
		return -ENOMEM;
	nft_ctx_buffer_output(d->nft);
	nft_ctx_buffer_error(d->nft);
	return nft(d, setup);
}

void host_fini(struct mtfd *d)
{
	if (!d->nft)
		return;
	if (d->cfg.withdraw_on_exit)
		nft(d, "delete table ip mtfd\n");
	nft_ctx_free(d->nft);
	d->nft = NULL;
}

void host_rx(struct mtfd *d, const struct mtf_ctl_addr *from,
	     const struct mtf_ctl_msg *m)
{
	char cmd[160], dst[64];
	struct mtf_ctl_msg r;
	uint16_t status = MTF_CTL_OK;

	/* Only our gateway, only about what we send. */
	if (!mtfd_addr_eq(from, &d->cfg.host_gw) || !m->flow.has_src ||
	    !mtfd_addr_eq(&m->flow.src, &d->cfg.self) || m->flow.dst.family != 4) {
		d->stats[ST_HOST_REFUSED]++;
		status = MTF_CTL_NOT_YOURS;
	} else if (!d->cfg.comply) {
		d->stats[ST_HOST_REFUSED]++;
		status = MTF_CTL_REFUSED;
	} else {
		snprintf(cmd, sizeof(cmd),
			 "add element ip mtfd stop { %s timeout %ums }\n",
			 mtfd_addr_str(&m->flow.dst, dst, sizeof(dst)),
			 m->duration_ms ? m->duration_ms : d->cfg.tlong_ms);
		if (nft(d, cmd)) {
			status = MTF_CTL_BUSY;
		} else {
			d->stats[ST_HOST_STOPS]++;
			log_info("stop request from the gateway: no traffic to %s for %u ms",
				 dst, m->duration_ms);
		}
	}
	if (!mtfd_addr_eq(from, &d->cfg.host_gw))
		return;		/* no answer to strangers */
	mtfd_msg_init(&r, MTF_CTL_STOP_ACK, m->id);
	r.flow = m->flow;
	r.status = status;
	r.present = B(FLOW) | B(STATUS);
	mtfd_send(d, from, &r, false);
}
