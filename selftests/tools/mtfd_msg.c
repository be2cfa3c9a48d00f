// SPDX-License-Identifier: GPL-2.0
/*
 * mtfd_msg: send one crafted MTF control message (mtfd selftests: an
 * off-path node, forged, replayed, truncated and wrong-version messages).
 *
 *   mtfd_msg -d DST -t TYPE [-i ID] [-D FLOWDST] [-S SRC/PLEN]
 *            [-p ADDR:MARK]... [-a ADDR] [-A block|ratelimit] [-R PPS]
 *            [-u MS] [-e EXPIRY_OFFSET_MS] [-k SECRETFILE -K PERIOD_MS]
 *            [-N] [-V VERSION] [-T BYTES] [-c COUNT] [-I] [-r]
 *
 *   -t  type: filter_req, hs_request, hs_reply, warning, stop_req, ...
 *   -e  EXPIRY_MS = now + offset (negative: already expired)
 *   -k  compute a valid nonce with the secret (as the gateway would, key
 *       period -K); -N: a random nonce instead
 *   -V  version byte; -T truncate to BYTES; -c send COUNT copies
 *   -I  each copy another flow: slot 0's mark and the id count up
 *   -r  print the encoded bytes as hex instead of sending
 * Exit 0 when sent, 1 on error, 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../daemons/mtfd/addr.h"
#include "../../daemons/mtfd/msg.h"

static const char *const types[] = {
	[MTF_CTL_FILTER_REQ] = "filter_req", [MTF_CTL_FILTER_ACK] = "filter_ack",
	[MTF_CTL_HS_REQUEST] = "hs_request", [MTF_CTL_HS_NONCE] = "hs_nonce",
	[MTF_CTL_HS_REPLY] = "hs_reply", [MTF_CTL_HS_CONFIRM] = "hs_confirm",
	[MTF_CTL_STOP_REQ] = "stop_req", [MTF_CTL_STOP_ACK] = "stop_ack",
	[MTF_CTL_WARNING] = "warning", [MTF_CTL_RL_UPDATE] = "rl_update",
	[MTF_CTL_CANCEL] = "cancel",
};

static void usage(void)
{
	fprintf(stderr, "usage: mtfd_msg -d DST -t TYPE [options] (see the source)\n");
	exit(2);
}

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct mtf_ctl_msg m = { .id = 1 };
	struct mtf_ctl_addr dst = { 0 };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(MTF_CTL_PORT) };
	const char *secret = NULL;
	uint64_t period_ms = 60000;
	uint8_t buf[MTF_CTL_MAX], sec[256];
	long trunc = -1, count = 1;
	int c, n, version = -1, fd;
	bool random_nonce = false, raw = false, vary = false;
	struct mtfd_prefix p;
	char *colon;

	while ((c = getopt(argc, argv, "d:t:i:D:S:p:a:A:R:u:e:k:K:NV:T:c:Ir")) != -1) {
		switch (c) {
		case 'd':
			if (mtfd_addr_parse(optarg, &dst) || dst.family != 4)
				usage();
			break;
		case 't':
			for (unsigned int i = 1; i < sizeof(types) / sizeof(types[0]); i++)
				if (!strcmp(optarg, types[i]))
					m.type = (uint8_t)i;
			if (!m.type)
				usage();
			break;
		case 'i':
			m.id = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'D':
			if (mtfd_addr_parse(optarg, &m.flow.dst))
				usage();
			m.present |= MTF_CTL_BIT(MTF_CTL_A_FLOW);
			break;
		case 'S':
			if (mtfd_prefix_parse(optarg, &p))
				usage();
			m.flow.has_src = true;
			m.flow.src = p.addr;
			m.flow.src_plen = p.plen;
			break;
		case 'p':
			colon = strrchr(optarg, ':');
			if (!colon || m.flow.nslots >= MTF_CTL_SLOTS_MAX)
				usage();
			*colon = '\0';
			if (mtfd_addr_parse(optarg, &m.flow.slots[m.flow.nslots].addr))
				usage();
			m.flow.slots[m.flow.nslots++].mark = (uint32_t)strtoul(colon + 1, NULL, 0);
			break;
		case 'a':
			if (mtfd_addr_parse(optarg, &m.addr))
				usage();
			m.present |= MTF_CTL_BIT(MTF_CTL_A_ADDR);
			break;
		case 'A':
			m.action = strcmp(optarg, "ratelimit") ? MTF_CTL_BLOCK : MTF_CTL_RATELIMIT;
			m.present |= MTF_CTL_BIT(MTF_CTL_A_ACTION);
			break;
		case 'R':
			m.rate_pps = strtoull(optarg, NULL, 0);
			m.present |= MTF_CTL_BIT(MTF_CTL_A_RATE_PPS);
			break;
		case 'u':
			m.duration_ms = (uint32_t)strtoul(optarg, NULL, 0);
			m.present |= MTF_CTL_BIT(MTF_CTL_A_DURATION_MS);
			break;
		case 'e':
			m.expiry_ms = wall_ms() + (uint64_t)strtoll(optarg, NULL, 0);
			m.present |= MTF_CTL_BIT(MTF_CTL_A_EXPIRY_MS);
			break;
		case 'k':
			secret = optarg;
			break;
		case 'K':
			period_ms = strtoull(optarg, NULL, 0);
			break;
		case 'N':
			random_nonce = true;
			break;
		case 'V':
			version = atoi(optarg);
			break;
		case 'T':
			trunc = atol(optarg);
			break;
		case 'c':
			count = atol(optarg);
			break;
		case 'r':
			raw = true;
			break;
		case 'I':
			vary = true;
			break;
		default:
			usage();
		}
	}
	if (!m.type || (!dst.family && !raw) || !period_ms)
		usage();
	if (secret || random_nonce) {
		m.present |= MTF_CTL_BIT(MTF_CTL_A_NONCE);
		for (unsigned int i = 0; i < MTF_CTL_NONCE_LEN; i++)
			m.nonce[i] = (uint8_t)rand();
	}
	if (secret) {
		uint8_t key[MTF_CTL_KEY_LEN];
		FILE *f = fopen(secret, "r");
		size_t len;

		if (!f) {
			perror(secret);
			return 1;
		}
		len = fread(sec, 1, sizeof(sec), f);
		fclose(f);
		if (mtf_ctl_key(sec, len, wall_ms() / period_ms, key) ||
		    mtf_ctl_nonce(key, &m, m.nonce)) {
			fprintf(stderr, "mtfd_msg: cannot compute the nonce\n");
			return 1;
		}
	}
	n = mtf_ctl_encode(&m, buf, sizeof(buf));
	if (n < 0) {
		fprintf(stderr, "mtfd_msg: cannot encode: %s\n", strerror(-n));
		return 1;
	}
	if (version >= 0)
		buf[0] = (uint8_t)version;
	if (trunc >= 0 && trunc < n)
		n = (int)trunc;
	if (raw) {
		for (int i = 0; i < n; i++)
			printf("%02x", buf[i]);
		printf("\n");
		return 0;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	memcpy(&sin.sin_addr, dst.addr, 4);
	for (long i = 0; i < count; i++) {
		if (vary && i) {
			m.id++;
			m.flow.slots[0].mark++;
			n = mtf_ctl_encode(&m, buf, sizeof(buf));
		}
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			perror("sendto");
			return 1;
		}
	}
	return 0;
}
