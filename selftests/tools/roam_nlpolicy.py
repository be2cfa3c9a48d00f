#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
Send raw roam requests of the live handoff (ROAM_CMD_MIG_SET, CONN_SET,
CONN_DEL, CONN_GET) that roamctl would not build, and print what the
kernel answers, one line per case: "CASE: ERROR EXTACK" or "CASE: ok ".
Used by roam_handoff.sh to check the policies: exact lengths, ranges,
read-only and misplaced attributes, unknown attributes (strict), the
mandatory key, the MIGRATING rule.  Values from include/uapi/linux/roam.h.

  roam_nlpolicy.py CASE...    CASE: a name from CASES below
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
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000

# include/uapi/linux/roam.h
CMD_MIG_SET, CMD_CONN_SET, CMD_CONN_DEL, CMD_CONN_GET = 11, 12, 13, 14
A_MIG, A_CONN = 7, 8
(M_CLIENT_ID, M_KEY, M_KEY_SET, M_POOL, M_ADDR4, M_PORTS, M_PORT,
 M_CLIENT_ENABLE, M_SERVER_ENABLE, M_SERVER_PORTS, M_CONN_MAX) = range(2, 13)
(C_LADDR4, C_LPORT, C_RADDR4, C_RPORT, C_STATE, C_CLIENT_ID, C_C_NONCE,
 C_S_NONCE, C_ORIG4, C_COUNTER, C_MIGRATE, C_CUR4) = range(2, 14)
MIGRATING, PENDING = 3, 5


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def u8(t, v): return attr(t, struct.pack("=B", v))
def u16(t, v): return attr(t, struct.pack("=H", v))
def be16(t, v): return attr(t, struct.pack(">H", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def be32(t, a): return attr(t, socket.inet_aton(a))
def nest(t, *a): return attr(t | NLA_F_NESTED, b"".join(a))


KEY = [be32(C_LADDR4, "10.9.0.1"), be16(C_LPORT, 80),
       be32(C_RADDR4, "10.9.1.1"), be16(C_RPORT, 40000)]
GOOD_MIGRATE = socket.inet_aton("10.9.0.9") + struct.pack(">I", 3) + bytes(12)

# name: (command, top-level attribute, its nested attributes)
CASES = {
    "mig-key-short": (CMD_MIG_SET, A_MIG, [attr(M_KEY, bytes(31))]),
    "mig-enable-2": (CMD_MIG_SET, A_MIG, [u8(M_CLIENT_ENABLE, 2)]),
    "mig-port-0": (CMD_MIG_SET, A_MIG, [nest(M_PORTS, u16(M_PORT, 0))]),
    "mig-key-set": (CMD_MIG_SET, A_MIG, [u8(M_KEY_SET, 1)]),
    "mig-addr-outside": (CMD_MIG_SET, A_MIG, [be32(M_ADDR4, "10.9.0.1")]),
    "mig-conn-max-0": (CMD_MIG_SET, A_MIG, [u32(M_CONN_MAX, 0)]),
    "mig-unknown": (CMD_MIG_SET, A_MIG, [u32(99, 1)]),
    "mig-pool-zero": (CMD_MIG_SET, A_MIG, [nest(M_POOL, be32(M_ADDR4, "0.0.0.0"))]),
    "conn-no-rport": (CMD_CONN_SET, A_CONN, KEY[:3]),
    "conn-state-client": (CMD_CONN_SET, A_CONN, KEY + [u8(C_STATE, PENDING)]),
    "conn-migrate-short": (CMD_CONN_SET, A_CONN, KEY + [attr(C_MIGRATE, bytes(19))]),
    "conn-nonce-long": (CMD_CONN_SET, A_CONN, KEY + [attr(C_C_NONCE, bytes(9))]),
    "conn-cur-readonly": (CMD_CONN_SET, A_CONN, KEY + [be32(C_CUR4, "10.9.0.2")]),
    "conn-migrating-no-bytes": (CMD_CONN_SET, A_CONN, KEY + [u8(C_STATE, MIGRATING)]),
    "conn-migrate-disagrees": (CMD_CONN_SET, A_CONN,
                               KEY + [u32(C_COUNTER, 4), attr(C_MIGRATE, GOOD_MIGRATE)]),
    "conn-del-absent": (CMD_CONN_DEL, A_CONN, KEY),
    "conn-del-extra": (CMD_CONN_DEL, A_CONN, KEY + [u8(C_STATE, 2)]),
    "conn-get-partial": (CMD_CONN_GET, A_CONN, KEY[:2]),
}


def talk(s, ftype, cmd, attrs, flags=NLM_F_REQUEST | NLM_F_ACK):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    req = struct.pack("=IHHII", 16 + len(body), ftype, flags, 1, 0) + body
    s.send(req)
    while True:
        data = s.recv(65536)
        ln, typ, fl, _, _ = struct.unpack_from("=IHHII", data)
        if typ == NLMSG_ERROR:
            break
        if not flags & NLM_F_DUMP or typ == 3:     # NLMSG_DONE
            return 0, "", data
    err, = struct.unpack_from("=i", data, 16)
    off = 20 + (16 if fl & NLM_F_CAPPED else
                struct.unpack_from("=I", data, 20)[0])
    msg = ""
    while fl & NLM_F_ACK_TLVS and off + 4 <= ln:
        n, t = struct.unpack_from("=HH", data, off)
        if t & 0x7fff == NLMSGERR_ATTR_MSG:
            msg = data[off + 4:off + n].rstrip(b"\0").decode()
        off += (n + 3) & ~3
    return -err, msg, data


def family(s):
    _, _, data = talk(s, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                      attr(CTRL_ATTR_FAMILY_NAME, b"roam\0"), NLM_F_REQUEST)
    off = 20
    while off + 4 <= len(data):
        n, t = struct.unpack_from("=HH", data, off)
        if t == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", data, off + 4)[0]
        off += (n + 3) & ~3
    sys.exit("no roam family")


def main():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    fid = family(s)
    for name in sys.argv[1:]:
        cmd, top, attrs = CASES[name]
        flags = NLM_F_REQUEST | NLM_F_ACK
        if cmd == CMD_CONN_GET:
            flags |= NLM_F_DUMP
        err, msg, _ = talk(s, fid, cmd, nest(top, *attrs), flags)
        print("%s: %s %s" % (name, os.strerror(err) if err else "ok", msg))


main()
