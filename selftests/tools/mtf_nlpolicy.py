#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Send raw MTF_CMD_FILTER_ADD requests that mtfctl would refuse to build,
and print what the kernel answers, one line per case: "CASE: ERROR
EXTACK", or "CASE: ok " (an accepted filter is deleted again).  Used by
mtf_unmarked.sh to check the filter policy (ranges from the uapi
limits, reply-only attributes, IIF against SLOTS), and by mtf_filter.sh
for the origin (cookie lengths, a bulk message failing whole, the
FILTER_FLUSH selector).  When the kernel's extack carries a length range
for the rejected attribute (NLMSGERR_ATTR_POLICY), the line ends with
"[attr TYPE length MIN..MAX]", TYPE that of the attribute at the error
offset (NLMSGERR_ATTR_OFFS).

  mtf_nlpolicy.py CASE...    CASE: a name from CASES below
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_CAPPED, NLM_F_ACK_TLVS = 1, 4, 0x100, 0x200
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY = 1, 2, 4
NL_POLICY_TYPE_ATTR_MIN_LENGTH, NL_POLICY_TYPE_ATTR_MAX_LENGTH = 6, 7
NLA_F_NESTED = 0x8000

# include/uapi/linux/mtf.h
MTF_CMD_FILTER_ADD = 10
MTF_CMD_FILTER_DEL = 11
MTF_CMD_FILTER_GET = 12
MTF_CMD_FILTER_FLUSH = 13
NLM_F_DUMP = 0x300
MTF_A_FILTER = 12
(A_SLOTS, A_SRC4, A_SRC_PLEN, A_DST4, A_ACTION, A_RATE_PPS, A_RATE_BPS,
 A_TIMEOUT_MS, A_EXPIRES_MS, A_HITS, A_BYTES, A_DROPS, A_IIF, A_COOKIE,
 A_OWNER) = range(2, 17)
COOKIE_MAX = 32
MTF_A_SLOT = 1
SLOT_A_ADDR4, SLOT_A_MARK = 1, 3
RATE_PPS_MAX = 1000000000
TIMEOUT_MS_MAX = 86400000


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def u8(t, v): return attr(t, struct.pack("=B", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def u64(t, v): return attr(t, struct.pack("=Q", v))
def be32(t, a): return attr(t, socket.inet_aton(a))
def nest(t, *a): return attr(t | NLA_F_NESTED, b"".join(a))


DST = be32(A_DST4, "10.0.3.1")
SLOTS = nest(A_SLOTS, nest(MTF_A_SLOT, be32(SLOT_A_ADDR4, "10.0.1.254"),
                           be32(SLOT_A_MARK, "0.0.0.1")))
RL = u8(A_ACTION, 2)
CASES = {
    "pps-max": [u32(A_IIF, 1), DST, RL, u64(A_RATE_PPS, RATE_PPS_MAX),
                u32(A_TIMEOUT_MS, 0)],
    "pps-over": [u32(A_IIF, 1), DST, RL, u64(A_RATE_PPS, RATE_PPS_MAX + 1)],
    "timeout-max": [u32(A_IIF, 1), DST, u32(A_TIMEOUT_MS, TIMEOUT_MS_MAX),
                    be32(A_SRC4, "10.9.0.0"), u8(A_SRC_PLEN, 16)],
    "timeout-over": [u32(A_IIF, 1), DST, u32(A_TIMEOUT_MS, TIMEOUT_MS_MAX + 1)],
    "iif-0": [u32(A_IIF, 0), DST],
    "iif-and-slots": [u32(A_IIF, 1), SLOTS, DST],
    "neither": [DST],
    "reply-only": [u32(A_IIF, 1), DST, u64(A_HITS, 5)],
    "no-dev": [u32(A_IIF, 4242), DST],
    # Origin.  The cookie bytes are 0, 1, 2, ...
    "cookie-32": [u32(A_IIF, 1), DST, attr(A_COOKIE, bytes(range(32))),
                  u32(A_OWNER, 1)],
    "cookie-33": [u32(A_IIF, 1), DST, attr(A_COOKIE, bytes(range(33)))],
    "cookie-0": [u32(A_IIF, 1), DST, attr(A_COOKIE, b"")],
    # Two entries, the second bad: policy fails the message, neither
    # is installed.
    "cookie-33-second": [[u32(A_IIF, 1), DST, attr(A_COOKIE, b"\1")],
                         [u32(A_IIF, 1), be32(A_DST4, "10.0.3.2"),
                          attr(A_COOKIE, bytes(range(33)))]],
    "owner-u16": [u32(A_IIF, 1), DST, attr(A_OWNER, b"\1\0")],
    # FILTER_FLUSH selects by owner only: a key attribute is refused,
    # not ignored (which would flush everything).
    "flush-by-dst": (MTF_CMD_FILTER_FLUSH, [[DST]]),
    "flush-by-owner-cookie": (MTF_CMD_FILTER_FLUSH,
                              [[u32(A_OWNER, 1), attr(A_COOKIE, b"\1")]]),
    "flush-empty-selector": (MTF_CMD_FILTER_FLUSH, [[]]),
    "dump-empty-selector": (MTF_CMD_FILTER_GET, [[]]),
}


def talk(s, ftype, cmd, attrs, flags=NLM_F_REQUEST | NLM_F_ACK):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    req = struct.pack("=IHHII", 16 + len(body), ftype, flags, 1, 0) + body
    s.send(req)
    data = s.recv(65536)
    ln, typ, fl, _, _ = struct.unpack_from("=IHHII", data)
    if typ != NLMSG_ERROR:
        return 0, "", data
    err, = struct.unpack_from("=i", data, 16)
    off = 20 + (16 if fl & NLM_F_CAPPED else
                struct.unpack_from("=I", data, 20)[0])
    msg, where, lens = "", None, {}
    while fl & NLM_F_ACK_TLVS and off + 4 <= ln:
        n, t = struct.unpack_from("=HH", data, off)
        t &= 0x7fff
        if t == NLMSGERR_ATTR_MSG:
            msg = data[off + 4:off + n].rstrip(b"\0").decode()
        elif t == NLMSGERR_ATTR_OFFS:
            where, = struct.unpack_from("=I", data, off + 4)
        elif t == NLMSGERR_ATTR_POLICY:
            lens = policy_lengths(data[off + 4:off + n])
        off += (n + 3) & ~3
    if len(lens) == 2:
        typ = "?"
        if where is not None and where + 4 <= len(req):
            typ = struct.unpack_from("=H", req, where + 2)[0] & 0x7fff
        msg += " [attr %s length %d..%d]" % (typ, lens[0], lens[1])
    return -err, msg, data


def policy_lengths(nest):
    """The MIN_LENGTH and MAX_LENGTH of an NLMSGERR_ATTR_POLICY, if any."""
    got, off = {}, 0
    while off + 4 <= len(nest):
        n, t = struct.unpack_from("=HH", nest, off)
        if t in (NL_POLICY_TYPE_ATTR_MIN_LENGTH,
                 NL_POLICY_TYPE_ATTR_MAX_LENGTH) and n >= 8:
            got[t - NL_POLICY_TYPE_ATTR_MIN_LENGTH], = \
                struct.unpack_from("=I", nest, off + 4)
        off += (n + 3) & ~3
    return [got[i] for i in sorted(got)] if len(got) == 2 else {}


def family(s):
    _, _, data = talk(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                      attr(CTRL_ATTR_FAMILY_NAME, b"mtf\0"), NLM_F_REQUEST)
    off = 20
    while off + 4 <= len(data):
        n, t = struct.unpack_from("=HH", data, off)
        if t == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", data, off + 4)[0]
        off += (n + 3) & ~3
    sys.exit("no mtf family")


def main():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    fid = family(s)
    for name in sys.argv[1:]:
        # A list of attributes: one entry to add; a list of lists: several
        # in one message; (command, entries): another command.
        cmd, entries = MTF_CMD_FILTER_ADD, CASES[name]
        if isinstance(entries, tuple):
            cmd, entries = entries
        elif not isinstance(entries[0], list):
            entries = [entries]
        req = b"".join(nest(MTF_A_FILTER, *a) for a in entries)
        flags = NLM_F_REQUEST | NLM_F_ACK
        if cmd == MTF_CMD_FILTER_GET:
            flags |= NLM_F_DUMP     # expected to fail in .start
        err, msg, _ = talk(s, fid, cmd, req, flags)
        print("%s: %s %s" % (name, os.strerror(err) if err else "ok", msg))
        if not err and cmd == MTF_CMD_FILTER_ADD:
            talk(s, fid, MTF_CMD_FILTER_DEL, req)


main()
