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
 * MTF_CMD_CONFIG_GET (doit) / MTF_CMD_CONFIG_SET (doit, admin)
 *	MTF_A_CONFIG: nest of enum mtf_cfg_attr.  SET changes only the
 *	attributes present.
 *
 * Opt-in: loading the module changes nothing in a namespace.  Its packet
 * path (netfilter hooks) is registered when the namespace gets its first
 * interface role (MTF_CMD_DEV_SET) or MTF_CFG_A_ENABLE 1, and removed
 * when neither is left.  Without it, packets of protocol MTF_IPPROTO go
 * through the namespace untouched, as any other protocol.
 *
 * MTF_CMD_DEV_GET (doit with MTF_A_DEV/MTF_DEV_A_IFINDEX, or dump)
 * MTF_CMD_DEV_SET (doit, admin)
 *	MTF_A_DEV: nest of enum mtf_dev_attr: the roles of one interface.
 *
 * MTF_CMD_KEY_ROTATE (doit, admin)
 *	Optional MTF_A_KEY (MTF_KEY_LEN bytes; random when absent).  The
 *	previous key stays valid for the configured grace period.
 *
 * MTF_CMD_MARK_GET (doit, admin)
 *	Request: MTF_A_DST4.  Reply: MTF_A_MARK (current key), and
 *	MTF_A_MARK_PREV while the previous key is in its grace period.
 *
 * MTF_CMD_PATH_GET (dump) / MTF_CMD_PATH_FLUSH (doit, admin)
 *	One MTF_A_PATH nest (enum mtf_path_attr) per accounted path or path
 *	suffix.
 *
 * MTF_CMD_FILTER_ADD / MTF_CMD_FILTER_DEL (doit, admin)
 *	One or more MTF_A_FILTER nests (enum mtf_filter_attr) in one
 *	message (bulk).  Processing stops at the first invalid entry; the
 *	extack names it, and entries before it stay applied.  ADD of an
 *	existing key fails with EEXIST unless the request carries the
 *	MTF_A_REPLACE flag.  (Not NLM_F_REPLACE: generic netlink rejects
 *	nlmsg flags other than REQUEST/ACK/ECHO for families with strict
 *	validation, as this one is.)  Malformed attributes fail the whole
 *	message before any entry is applied (policy validation).
 *	A filter is keyed by a path suffix (MTF_FILTER_A_SLOTS) or, for
 *	traffic forwarded without a path header (fragments, packets too
 *	big for the header, traffic from non-MTF neighbours), by the
 *	ingress interface (MTF_FILTER_A_IIF, an "unmarked" filter); then
 *	source prefix and destination.
 *	FILTER_DEL looks only at the key attributes.
 * MTF_CMD_FILTER_GET (dump) / MTF_CMD_FILTER_FLUSH (doit, admin)
 *	A dump that spans a change of the filter set (add, delete,
 *	expiry, resize) is flagged NLM_F_DUMP_INTR: entries may be
 *	missing or repeated; dump again.  Both take an optional
 *	MTF_A_FILTER nest holding only MTF_FILTER_A_OWNER: then they dump
 *	(flush) only the filters of that owner, 0 selecting the filters
 *	installed without one.  Without the nest, all of them; a nest
 *	without MTF_FILTER_A_OWNER, or with any other attribute, is
 *	refused (EINVAL).
 *
 * Origin of a filter: MTF_FILTER_A_OWNER and MTF_FILTER_A_COOKIE, given
 * with FILTER_ADD, are kept with the filter and returned by FILTER_GET;
 * the kernel never interprets them (as tc actions' cookie or nftables'
 * userdata).  An owner is who installed it (MTF_OWNER_MTFD for mtfd,
 * 0 = none, the operator's filters), so that a daemon can resync with
 * a dump of its own filters, and withdraw them with a flush of its own
 * without touching anyone else's; the cookie is whatever that owner
 * needs to know the filter by (which request, which peer).  A filter
 * replaced (FILTER_ADD with MTF_A_REPLACE) takes the origin of the
 * replacing entry, whole: one without MTF_FILTER_A_COOKIE clears the
 * cookie, one without MTF_FILTER_A_OWNER leaves the filter with no owner
 * (owner 0).  A key rotation that re-keys a filter keeps its origin.
 *
 * MTF_CMD_EVENT_PATH_RATE (multicast on MTF_GENL_MCGRP_EVENTS)
 *	An MTF_A_PATH nest for a path whose rate crossed the configured
 *	threshold (once per crossing, re-armed when the rate falls below
 *	half of it).  Sent whether anyone listens or not: a listener that
 *	starts, or lost events (ENOBUFS), finds the paths already above
 *	the threshold in MTF_CMD_PATH_GET (MTF_PATH_A_RATE_PPS).
 *
 * MTF_A_STATS is a nest of u64 counters indexed by enum mtf_stat; a
 * counter the tool does not know is printed by number.
 *
 * Paths are lists of MTF_A_SLOT nests (enum mtf_slot_attr), oldest router
 * first, as they appear in the path header.  A path *suffix* of length k
 * is the last k slots.
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
 * Documentation/mtf-protocol.md.
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
	MTF_CMD_CONFIG_GET,
	MTF_CMD_CONFIG_SET,
	MTF_CMD_DEV_GET,
	MTF_CMD_DEV_SET,
	MTF_CMD_KEY_ROTATE,
	MTF_CMD_MARK_GET,
	MTF_CMD_PATH_GET,
	MTF_CMD_PATH_FLUSH,
	MTF_CMD_FILTER_ADD,
	MTF_CMD_FILTER_DEL,
	MTF_CMD_FILTER_GET,
	MTF_CMD_FILTER_FLUSH,
	MTF_CMD_EVENT_PATH_RATE,

	__MTF_CMD_MAX
};
#define MTF_CMD_MAX (__MTF_CMD_MAX - 1)

enum mtf_attr {
	MTF_A_UNSPEC,
	MTF_A_PAD,
	MTF_A_VERSION,		/* string: module version */
	MTF_A_NETNS_COOKIE,	/* u64: identifies the namespace replied for */
	MTF_A_STATS,		/* nest: enum mtf_stat */
	MTF_A_CONFIG,		/* nest: enum mtf_cfg_attr */
	MTF_A_DEV,		/* nest: enum mtf_dev_attr */
	MTF_A_KEY,		/* binary, MTF_KEY_LEN bytes */
	MTF_A_DST4,		/* be32: IPv4 destination */
	MTF_A_MARK,		/* be32 */
	MTF_A_MARK_PREV,	/* be32 */
	MTF_A_PATH,		/* nest: enum mtf_path_attr */
	MTF_A_FILTER,		/* nest: enum mtf_filter_attr; repeated */
	MTF_A_REPLACE,		/* flag: FILTER_ADD replaces existing keys */

	__MTF_A_MAX
};
#define MTF_A_MAX (__MTF_A_MAX - 1)

#define MTF_KEY_LEN		16	/* siphash key */

/* Per-namespace configuration. */
enum mtf_cfg_attr {
	MTF_CFG_A_UNSPEC,
	MTF_CFG_A_ROUTER_ADDR4,	/* be32: address written in our slots;
				 * 0 = the ingress interface's address */
	MTF_CFG_A_SLOTS,	/* u8: slots pre-allocated on insert, 1..15 */
	MTF_CFG_A_KEY_GRACE_MS,	/* u32: previous key valid this long */
	MTF_CFG_A_SUFFIX_LEN,	/* u8: path suffix accounted, 0..15 (0: off) */
	MTF_CFG_A_PATH_MAX,	/* u32: accounted paths limit */
	MTF_CFG_A_PATH_RATE_THRESH,	/* u32: pps; 0 = no events */
	MTF_CFG_A_FILTER_MAX,	/* u32: filters limit */
	MTF_CFG_A_FILTER_TIMEOUT_MS,	/* u32: default lifetime (Ttmp) */
	MTF_CFG_A_PATHS,	/* u32, read-only: paths accounted now */
	MTF_CFG_A_FILTERS,	/* u32, read-only: filters installed now */
	MTF_CFG_A_KEY_ID,	/* u32, read-only: rotations so far */
	MTF_CFG_A_ACCOUNT_LOCAL,	/* u8, 0..1: account paths of packets
					 * delivered to this host (default 0;
					 * also done for those arriving on an
					 * interface with MTF_DEV_F_ACCOUNT) */
	MTF_CFG_A_PATH_NEW_RATE,	/* u32, 1..2^24: new path entries per
					 * second (token bucket) */
	MTF_CFG_A_PATH_NEW_BURST,	/* u32, 1..2^24: bucket depth */
	MTF_CFG_A_ENABLE,	/* u8, 0..1: run MTF in this namespace even
				 * without interface roles (default 0) */
	MTF_CFG_A_HOOKS,	/* u8, read-only: 1 while the netfilter hooks
				 * are registered (ENABLE or any role) */

	__MTF_CFG_A_MAX
};
#define MTF_CFG_A_MAX (__MTF_CFG_A_MAX - 1)

/* Roles of one interface (MTF_DEV_A_FLAGS bits). */
#define MTF_DEV_F_BORDER_INGRESS	0x1	/* packets arriving here are
						 * marked (insert or next slot) */
#define MTF_DEV_F_STRIP_EGRESS		0x2	/* remove the path header from
						 * packets leaving here */
#define MTF_DEV_F_ACCOUNT		0x4	/* account paths arriving here,
						 * forwarded or delivered */
#define MTF_DEV_F_ALL			0x7

enum mtf_dev_attr {
	MTF_DEV_A_UNSPEC,
	MTF_DEV_A_IFINDEX,	/* u32 */
	MTF_DEV_A_IFNAME,	/* string, reply only */
	MTF_DEV_A_FLAGS,	/* u32: MTF_DEV_F_* to set */
	MTF_DEV_A_FLAGS_MASK,	/* u32: which bits of FLAGS apply (SET) */

	__MTF_DEV_A_MAX
};
#define MTF_DEV_A_MAX (__MTF_DEV_A_MAX - 1)

enum mtf_slot_attr {
	MTF_SLOT_A_UNSPEC,
	MTF_SLOT_A_ADDR4,	/* be32 */
	MTF_SLOT_A_ADDR6,	/* binary, 16 bytes (reserved for IPv6) */
	MTF_SLOT_A_MARK,	/* be32 */

	__MTF_SLOT_A_MAX
};
#define MTF_SLOT_A_MAX (__MTF_SLOT_A_MAX - 1)

/* Slot lists: a nest holding MTF_A_SLOT-typed nests in path order. */
#define MTF_A_SLOT		1

enum mtf_path_attr {
	MTF_PATH_A_UNSPEC,
	MTF_PATH_A_PAD,
	MTF_PATH_A_SLOTS,	/* nest of MTF_A_SLOT nests */
	MTF_PATH_A_SUFFIX,	/* u8: 1 if this entry is a suffix aggregate */
	MTF_PATH_A_PACKETS,	/* u64 */
	MTF_PATH_A_BYTES,	/* u64 */
	MTF_PATH_A_RATE_PPS,	/* u64: EWMA, packets per second */
	MTF_PATH_A_RATE_BPS,	/* u64: EWMA, bits per second */
	MTF_PATH_A_FIRST_MS,	/* u64: ms since first seen */
	MTF_PATH_A_LAST_MS,	/* u64: ms since last seen */
	MTF_PATH_A_DST4,	/* be32: destination of the last packet */

	__MTF_PATH_A_MAX
};
#define MTF_PATH_A_MAX (__MTF_PATH_A_MAX - 1)

enum mtf_filter_action {
	MTF_FILTER_DROP = 1,
	MTF_FILTER_RATELIMIT = 2,
};

/*
 * Limits of the filter attributes, enforced by the kernel's policies and
 * checked by the tools alike.  The token bucket counts nanoseconds per
 * packet, hence at most 10^9 packets/s; a lifetime (per filter, or the
 * configured default) is at most one day.
 */
#define MTF_FILTER_RATE_PPS_MAX		1000000000ULL
#define MTF_FILTER_TIMEOUT_MS_MAX	86400000U
/* MTF_FILTER_A_COOKIE: 1 to this many bytes. */
#define MTF_FILTER_COOKIE_MAX		32

/* Well-known MTF_FILTER_A_OWNER values; others are free for other agents. */
#define MTF_OWNER_NONE		0	/* the operator's (mtfctl) filters */
#define MTF_OWNER_MTFD		1	/* installed by mtfd */

enum mtf_filter_attr {
	MTF_FILTER_A_UNSPEC,
	MTF_FILTER_A_PAD,
	MTF_FILTER_A_SLOTS,	/* nest of MTF_A_SLOT nests: path suffix,
				 * 1..MTF_MAX_SLOTS, matched with marks;
				 * absent with MTF_FILTER_A_IIF */
	MTF_FILTER_A_SRC4,	/* be32; absent: any source ("*") */
	MTF_FILTER_A_SRC_PLEN,	/* u8, 0..32 (default 32 with SRC4) */
	MTF_FILTER_A_DST4,	/* be32; required */
	MTF_FILTER_A_ACTION,	/* u8: enum mtf_filter_action */
	MTF_FILTER_A_RATE_PPS,	/* u64: RATELIMIT packets/s (0: no limit),
				 * at most MTF_FILTER_RATE_PPS_MAX */
	MTF_FILTER_A_RATE_BPS,	/* u64: RATELIMIT bits/s (0: no limit) */
	MTF_FILTER_A_TIMEOUT_MS,	/* u32: lifetime, at most
					 * MTF_FILTER_TIMEOUT_MS_MAX;
					 * 0: permanent; absent: the
					 * configured default */
	MTF_FILTER_A_EXPIRES_MS,	/* u64, reply: ms left (0: permanent) */
	MTF_FILTER_A_HITS,	/* u64, reply: packets matched */
	MTF_FILTER_A_BYTES,	/* u64, reply: bytes matched */
	MTF_FILTER_A_DROPS,	/* u64, reply: packets dropped */
	MTF_FILTER_A_IIF,	/* u32 ifindex, >= 1: an unmarked filter
				 * (suffix length 0): matches packets this
				 * router forwards without a path header
				 * that arrived on this interface.  Goes
				 * instead of MTF_FILTER_A_SLOTS. */
	MTF_FILTER_A_COOKIE,	/* binary, 1..MTF_FILTER_COOKIE_MAX bytes:
				 * opaque to the kernel, returned as given;
				 * absent: none */
	MTF_FILTER_A_OWNER,	/* u32: who installed the filter,
				 * MTF_OWNER_*; absent or 0: none.  Also
				 * the selector of FILTER_GET/FLUSH. */

	__MTF_FILTER_A_MAX
};
#define MTF_FILTER_A_MAX (__MTF_FILTER_A_MAX - 1)

/* Counters of one namespace, all u64. */
enum mtf_stat {
	MTF_STAT_UNSPEC,
	MTF_STAT_PAD,
	MTF_STAT_FWD_PACKETS,		/* IPv4 packets seen in FORWARD */
	MTF_STAT_FWD_BYTES,
	MTF_STAT_LOCAL_IN_PACKETS,	/* IPv4 packets seen in LOCAL_IN */
	MTF_STAT_LOCAL_IN_BYTES,
	MTF_STAT_HDR_INSERTED,		/* path headers inserted */
	MTF_STAT_SLOT_WRITTEN,		/* slots written (incl. inserts) */
	MTF_STAT_STRIPPED_EGRESS,	/* headers removed on egress */
	MTF_STAT_STRIPPED_LOCAL,	/* headers removed before delivery */
	MTF_STAT_HEADROOM_EXPAND,	/* inserts that reallocated the head */
	MTF_STAT_INSERT_TAIL,		/* inserts that moved the transport
					 * bytes into tailroom instead */
	MTF_STAT_GSO_SEGMENTED,		/* GSO packets segmented to mark */
	MTF_STAT_PMTU_SENT,		/* ICMP frag-needed sent (DF set) */
	MTF_STAT_TOO_BIG_UNMARKED,	/* no DF, no room: sent unmarked */
	MTF_STAT_FRAG_UNMARKED,		/* fragments forwarded unmarked */
	MTF_STAT_DROP_FULL,		/* no empty slot left */
	MTF_STAT_DROP_TRUNCATED,	/* shorter than the header claims */
	MTF_STAT_DROP_BAD_SIZE,		/* size 0 or > MTF_MAX_SLOTS */
	MTF_STAT_DROP_BAD_PTR,		/* pointer > size */
	MTF_STAT_DROP_BAD_VERSION,	/* unknown version or flags */
	MTF_STAT_DROP_FRAGMENT,		/* path header in a fragment */
	MTF_STAT_DROP_NOMEM,		/* allocation failed growing a packet */
	MTF_STAT_FILTER_MATCHED,	/* packets matching a filter */
	MTF_STAT_FILTER_DROPPED,	/* dropped by a drop filter */
	MTF_STAT_FILTER_RATELIMITED,	/* dropped by a rate limit */
	MTF_STAT_FILTER_EXPIRED,	/* filters removed by lifetime */
	MTF_STAT_FILTER_FULL,		/* adds refused: limit reached */
	MTF_STAT_PATH_NEW,		/* path entries created */
	MTF_STAT_PATH_EVICTED,		/* removed by the idle GC */
	MTF_STAT_PATH_FULL,		/* not accounted: path_max reached
					 * with nothing to replace, or no
					 * memory */
	MTF_STAT_PATH_EVENTS,		/* rate threshold events sent */
	MTF_STAT_RESERVED_33,		/* unused (was pre_routing_up, a state:
					 * see MTF_CFG_A_HOOKS); always 0 */
	MTF_STAT_DROP_NESTED,		/* path header inside a path header */
	MTF_STAT_FILTER_REKEYED,	/* filters given our new key's marks */
	MTF_STAT_PATH_REPLACED,		/* entries evicted (CLOCK) to make
					 * room for a new path */
	MTF_STAT_PATH_RATELIMITED,	/* new paths not accounted: creation
					 * rate (path_new_rate) */
	MTF_STAT_PATH_GLOBAL_FULL,	/* new paths not accounted: all
					 * namespaces at path_max_total and
					 * none of ours to replace */
	MTF_STAT_ICMP_QUOTE_STRIPPED,	/* forwarded ICMP errors whose quote
					 * lost its path header */
	MTF_STAT_ICMP_QUOTE_BAD,	/* ICMP errors quoting protocol 253
					 * left as they were: malformed
					 * quote or ICMP checksum, RFC 4884
					 * extensions */

	__MTF_STAT_MAX
};
#define MTF_STAT_MAX (__MTF_STAT_MAX - 1)

#endif /* _UAPI_LINUX_MTF_H */
