/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MTFD_RAPKT_H
#define MTFD_RAPKT_H

#include <stddef.h>
#include <stdint.h>

struct mtfd_ra {
	uint32_t saddr;		/* network order */
	size_t off, len;	/* the control message inside the packet */
};

/* 0 if @pkt is a whole UDP datagram to @port (through an MTF header). */
int mtfd_ra_payload(const uint8_t *pkt, size_t n, uint16_t port,
		    struct mtfd_ra *ra);

#endif
