// SPDX-License-Identifier: GPL-2.0
/*
 * A packet taken from the forwarding path by the router-alert sockets:
 * IPv4 with options, maybe an MTF path header, UDP to the control port.
 * Pure byte parsing (fuzzed by mtfd-rapkt-fuzz).
 */
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <string.h>

#include "mtf_pathhdr.h"
#include "rapkt.h"

int mtfd_ra_payload(const uint8_t *pkt, size_t n, uint16_t port,
		    struct mtfd_ra *ra)
{
	struct iphdr iph;
	struct udphdr uh;
	size_t ihl, off, tot;
	uint8_t proto;

	if (n < sizeof(iph))
		return -1;
	memcpy(&iph, pkt, sizeof(iph));
	ihl = iph.ihl * 4u;
	tot = ntohs(iph.tot_len);
	if (iph.version != 4 || ihl < sizeof(iph) || tot > n || tot < ihl)
		return -1;
	/* A fragment is not a whole message: left to the kernel. */
	if (iph.frag_off & htons(IP_MF | IP_OFFMASK))
		return -1;
	off = ihl;
	proto = iph.protocol;
	if (proto == MTF_IPPROTO) {
		struct mtf_ph ph;

		if (mtf_ph_parse(pkt + off, tot - off, false, &ph))
			return -1;
		proto = ph.nexthdr;
		off += ph.len;
	}
	if (proto != IPPROTO_UDP || tot - off < sizeof(uh))
		return -1;
	memcpy(&uh, pkt + off, sizeof(uh));
	if (ntohs(uh.dest) != port || ntohs(uh.len) < sizeof(uh) ||
	    ntohs(uh.len) > tot - off)
		return -1;
	ra->saddr = iph.saddr;
	ra->off = off + sizeof(uh);
	ra->len = ntohs(uh.len) - sizeof(uh);
	return 0;
}
