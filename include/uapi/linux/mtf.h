/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Multipath Traffic Filter (MTF): user API.
 *
 * This header is the single source of truth for the MTF generic netlink
 * family and for the on-wire path header.  Both the kernel module
 * (kmod/mtf) and userspace (tools/, daemons/) include it.
 *
 * Generic netlink
 * ---------------
 * Family MTF_GENL_NAME, version MTF_GENL_VERSION, one multicast group
 * MTF_GENL_MCGRP_EVENTS.  The family is per network namespace: every
 * request acts on, and every reply describes, the namespace of the
 * requesting socket.  Attributes are validated by strict per-command
 * policies; unknown attributes are rejected by the kernel, and userspace
 * ignores attributes it does not know so that newer kernels keep working
 * with older tools.  Commands that change state need CAP_NET_ADMIN in the
 * namespace's user namespace.
 *
 * MTF_CMD_STATUS_GET (doit)
 *	Request: no attributes.
 *	Reply:   MTF_A_VERSION, MTF_A_NETNS_COOKIE, MTF_A_STATS.
 *
 * MTF_A_STATS is a nest of u64 counters indexed by enum mtf_stat; a
 * counter the tool does not know is printed by number.
 *
 * Path header (wire format)
 * -------------------------
 * A shim between the IPv4 header and the transport header.  The IPv4
 * protocol field carries MTF_IPPROTO (RFC 3692 experimental value); the
 * original protocol moves to mtfh_nexthdr.  All fields are network order.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next header  |  Ver  | Flags |  Size |  Ptr  |   Reserved    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Slot 0 (router address, mark)                |
 *  ~                              ...                              ~
 *  |                  Slot Size-1                                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Ver is MTF_HDR_VERSION.  Size (1..MTF_MAX_SLOTS) is the number of slots
 * allocated by the first MTF router; Ptr (0..Size) is the next empty slot.
 * Flags: MTF_HDR_F_V6 selects IPv6 slots (struct mtf_slot6), otherwise
 * IPv4 slots (struct mtf_slot4).  Reserved is sent as zero and ignored.
 * A slot's mark is a keyed hash of the packet's destination address under
 * the secret of the router that wrote the slot.  Full byte layouts are in
 * Documentation/mtf-protocol.rst.
 */
#ifndef _UAPI_LINUX_MTF_H
#define _UAPI_LINUX_MTF_H

#include <linux/types.h>

#define MTF_GENL_NAME		"mtf"
#define MTF_GENL_VERSION	1
#define MTF_GENL_MCGRP_EVENTS	"events"

/* RFC 3692 experimental protocol number carried in the IPv4 header. */
#define MTF_IPPROTO		253
#define MTF_HDR_VERSION		1
#define MTF_MAX_SLOTS		15
#define MTF_HDR_F_V6		0x1

struct mtf_hdr {
	__u8	nexthdr;
	__u8	ver_flags;	/* version << 4 | flags */
	__u8	size_ptr;	/* size << 4 | pointer */
	__u8	reserved;
};

struct mtf_slot4 {
	__be32	addr;
	__be32	mark;
};

struct mtf_slot6 {
	__u8	addr[16];
	__be32	mark;
};

#define MTF_HDR_LEN(size, v6) \
	(sizeof(struct mtf_hdr) + (size) * ((v6) ? sizeof(struct mtf_slot6) \
						 : sizeof(struct mtf_slot4)))

enum mtf_cmd {
	MTF_CMD_UNSPEC,
	MTF_CMD_STATUS_GET,

	__MTF_CMD_MAX
};
#define MTF_CMD_MAX (__MTF_CMD_MAX - 1)

enum mtf_attr {
	MTF_A_UNSPEC,
	MTF_A_PAD,
	MTF_A_VERSION,		/* string: module version */
	MTF_A_NETNS_COOKIE,	/* u64: identifies the namespace replied for */
	MTF_A_STATS,		/* nest: enum mtf_stat */

	__MTF_A_MAX
};
#define MTF_A_MAX (__MTF_A_MAX - 1)

/* Counters of one namespace, all u64. */
enum mtf_stat {
	MTF_STAT_UNSPEC,
	MTF_STAT_PAD,
	MTF_STAT_FWD_PACKETS,		/* IPv4 packets seen in FORWARD */
	MTF_STAT_FWD_BYTES,
	MTF_STAT_LOCAL_IN_PACKETS,	/* IPv4 packets seen in LOCAL_IN */
	MTF_STAT_LOCAL_IN_BYTES,

	__MTF_STAT_MAX
};
#define MTF_STAT_MAX (__MTF_STAT_MAX - 1)

#endif /* _UAPI_LINUX_MTF_H */
