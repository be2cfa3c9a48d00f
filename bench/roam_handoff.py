#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of bench/roam_handoff.sh (not a test; run inside the VM).

  sniff IFACE PORT OUT     record every TCP segment with payload from
                           source port PORT on IFACE (packet socket, so
                           before roam.ko's translation): "t_ms src len"
                           lines in OUT, until SIGTERM
  gaps SNIFF SCHEDULE T0 T1
                           per move inside [T0, T1] (schedule epochs whose
                           server changes): the client-observed gap, last
                           data segment from the old server -> first from
                           the new one (ms); JSON on stdout
  conns SCHEDULE ROAMCTL N FILE_SHA256 FILE_LEN OUT ADDR=NS...
                           N connections to the active server inside one
                           epoch whose successor is another server, their
                           requests sent, data not read; one roam; the
                           time until roam.ko counted N CONFIRMED at the
                           new server and N verified MIGRATE at the
                           client; CPU of both roamds and file servers
                           (/proc/PID/stat) and of the whole VM
                           (/proc/stat); then every connection read to
                           the end and checked.  JSON in OUT.
"""
import hashlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def ms():
    return time.time() * 1000


def sniff(iface, port, out):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    s.bind((iface, 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    port = int(port)
    lines = []
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    s.settimeout(0.2)
    while not stop:
        try:
            pkt = s.recv(128)
        except (socket.timeout, InterruptedError):
            continue
        t = ms()
        if len(pkt) < 40 or pkt[9] != 6:
            continue
        ihl = (pkt[0] & 15) * 4
        tot = struct.unpack("!H", pkt[2:4])[0]
        sport = struct.unpack("!H", pkt[ihl:ihl + 2])[0]
        doff = (pkt[ihl + 12] >> 4) * 4
        if sport != port:
            continue
        lines.append("%.3f %s %d" % (t, socket.inet_ntoa(pkt[12:16]), tot - ihl - doff))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def gaps(sniff_file, sched, t0, t1):
    t0, t1 = float(t0), float(t1)
    pk, allpk = [], []
    for line in open(sniff_file):
        p = line.split()
        if len(p) == 3:
            allpk.append((float(p[0]), p[1]))
            if int(p[2]) > 0:
                pk.append((float(p[0]), p[1]))
    eps = [json.loads(l) for l in open(sched)]
    res = []
    for a, b in zip(eps, eps[1:]):
        T = b["start_ms"]
        old, new = a["addr"].split(":")[0], b["addr"].split(":")[0]
        if old == new or not t0 + 200 < T < t1 - 200:
            continue
        first_new = next((t for t, s in pk if s == new and t >= T - 500), None)
        if first_new is None:
            continue
        last_old = max((t for t, s in pk if s == old and t < first_new), default=None)
        # The new server's first segment of any kind: the window probe.
        probe = next((t for t, s in allpk if s == new and t >= T - 500), None)
        late_old = sum(1 for t, s in pk if s == old and probe < t < probe + 3000)
        if last_old is None:
            continue
        res.append({"roam_ms": T, "gap_ms": round(first_new - last_old, 1),
                    "first_new_after_roam_ms": round(first_new - T, 1),
                    "probe_after_roam_ms": round(probe - T, 1),
                    "old_data_after_probe": late_old})
    inter = sorted(b[0] - a[0] for a, b in zip(pk, pk[1:]))
    base = {"segments": len(pk),
            "interarrival_median_ms": round(inter[len(inter) // 2], 2) if inter else None,
            "interarrival_p99_ms": round(inter[int(len(inter) * 0.99)], 2) if inter else None}
    print(json.dumps({"moves": res, "baseline": base}))


def stat_of(pid):
    """utime+stime, cutime+cstime of pid in ticks, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            v = f.read().rsplit(")", 1)[1].split()
        return int(v[11]) + int(v[12]), int(v[13]) + int(v[14])
    except (OSError, ValueError):
        return None


def child_of(pid):
    """roamd's service (the file server), or None."""
    try:
        out = subprocess.check_output(["pgrep", "-P", str(pid)], text=True).split()
    except subprocess.CalledProcessError:
        return None
    for p in out:
        try:
            if open("/proc/%s/comm" % p).read().strip() == "roam-fileserver":
                return int(p)
        except OSError:
            pass
    return None


def vm_cpu():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)   # busy (no idle, iowait), total


def counter(roamctl, ns, name):
    cmd = [roamctl, "-j", "status"]
    if ns:
        cmd = ["ip", "netns", "exec", ns] + cmd
    return json.loads(subprocess.check_output(cmd))["stats"][name]


def roamd_pid(ns):
    out = subprocess.check_output(["ip", "netns", "pids", ns], text=True).split()
    for p in out:
        try:
            if open("/proc/%s/comm" % p).read().strip() == "roamd":
                return int(p)
        except OSError:
            pass
    return None


def conns(sched, roamctl, n, want, flen, out, *maps):
    n, flen = int(n), int(flen)
    nsof = dict(m.split("=", 1) for m in maps)
    eps = [json.loads(l) for l in open(sched)]
    r = {"n": n}
    for attempt in range(4):
        i = next(k for k, e in enumerate(eps)
                 if e["start_ms"] > ms() + 500 and eps[k + 1]["addr"] != e["addr"])
        E, F, G = eps[i], eps[i + 1], eps[i + 2]
        time.sleep(max(0, E["start_ms"] + 300 - ms()) / 1000)
        host, port = E["addr"].rsplit(":", 1)
        t_open = ms()
        socks = []
        ok = True
        # In chunks: the file server's listen backlog is 128.
        for base in range(0, n, 100):
            chunk = []
            for k in range(base, min(n, base + 100)):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.setblocking(False)
                s.connect_ex((host, int(port)))
                chunk.append(s)
            for s in chunk:
                select.select([], [s], [], 5)
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    ok = False
                s.setblocking(True)
                s.sendall(b"GET c 0\n")
            socks += chunk
        r["open_ms"] = round(ms() - t_open)
        if ok and ms() < F["start_ms"] - 700:
            break
        print("attempt %d: %d connections not ready %d ms before the roam (opening took %d ms)%s" %
              (attempt, n, F["start_ms"] - ms(), r["open_ms"], "" if ok else "; connect errors"),
              file=sys.stderr)
        for s in socks:
            s.close()
    else:
        sys.exit("the connections were never ready before a roam")
    time.sleep(0.3)     # let the server fill the windows
    inq = 0
    for s in socks:
        inq += struct.unpack("i", __import__("fcntl").ioctl(s.fileno(), 0x541B, b"\0" * 4))[0]
    old_ns, new_ns = nsof[host], nsof[F["addr"].rsplit(":", 1)[0]]
    rd = {"old": roamd_pid(old_ns), "new": roamd_pid(new_ns)}
    r.update({"old": host, "new": F["addr"], "epoch_ms": G["start_ms"] - F["start_ms"],
              "client_rcvq_bytes": inq,
              "queued_at_server_bytes": n * (flen + 100) - inq})
    v0 = counter(roamctl, None, "mig_verified")
    c0 = counter(roamctl, new_ns, "mig_confirmed")
    time.sleep(max(0, F["start_ms"] - 150 - ms()) / 1000)
    fs = {"old": child_of(rd["old"]), "new": child_of(rd["new"])}
    cpu0 = {k: stat_of(p) for k, p in rd.items()}
    fcpu0 = {k: (stat_of(p) if p else None) for k, p in fs.items()}
    vm0 = vm_cpu()
    t_v = t_c = None
    trace = []
    while ms() < G["start_ms"] - 300:
        dv = counter(roamctl, None, "mig_verified") - v0
        dc = counter(roamctl, new_ns, "mig_confirmed") - c0
        t = ms() - F["start_ms"]
        trace.append((round(t), dv, dc))
        if t_v is None and dv >= n:
            t_v = t
        if t_c is None and dc >= n:
            t_c = t
            break
        time.sleep(0.2)
    vm1 = vm_cpu()
    cpu1 = {k: stat_of(p) for k, p in rd.items()}
    if not fs["new"]:
        fs["new"] = child_of(rd["new"])
    fcpu1 = {k: (stat_of(p) if p else None) for k, p in fs.items()}
    # When the count reached its final value (all, or as many as moved).
    last = next(t for t, v, c in trace if c == trace[-1][2])
    r.update({"verified_all_ms": t_v and round(t_v), "confirmed_all_ms": t_c and round(t_c),
              "confirmed_final_at_ms": last,
              "verified": trace[-1][1], "confirmed": trace[-1][2], "trace": trace[::5] + trace[-1:]})
    tick = 1000 // HZ
    r["cpu_ms"] = {
        "roamd_old": (cpu1["old"][0] - cpu0["old"][0]) * tick,
        "roamd_new": (cpu1["new"][0] - cpu0["new"][0]) * tick,
    }
    if fcpu1["new"]:
        r["cpu_ms"]["fileserver_new"] = (fcpu1["new"][0] - (fcpu0["new"] or (0, 0))[0]) * tick
    # The old file server stops at the end of the transition window:
    # its CPU lands in roamd's children's time once reaped.
    time.sleep(max(0, F["start_ms"] + 1500 - ms()) / 1000)
    if fs["old"] and fcpu0["old"] and stat_of(fs["old"]) is None:
        c = stat_of(rd["old"])
        r["cpu_ms"]["fileserver_old_until_exit"] = (c[1] - cpu0["old"][1] - fcpu0["old"][0]) * tick
    r["vm_busy_ms"] = (vm1[0] - vm0[0]) * tick
    r["vm_total_ms"] = (vm1[1] - vm0[1]) * tick
    # Read them all at once (one by one, each would wait for its own
    # round trips): until EOF, or 60 s for all.
    good = 0
    t_read = ms()
    data = {s.fileno(): [s, b""] for s in socks}
    for s in socks:
        s.setblocking(False)
    ep = select.epoll()
    for fd in data:
        ep.register(fd, select.EPOLLIN)
    while data and ms() < t_read + 60000:
        for fd, _ in ep.poll(1):
            s, buf = data[fd]
            try:
                d = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                d = b""
            if d:
                data[fd][1] = buf + d
                continue
            ep.unregister(fd)
            _, _, body = buf.partition(b"\n")
            good += hashlib.sha256(body).hexdigest() == want
            s.close()
            del data[fd]
    r["unfinished"] = len(data)
    r["byte_exact"] = good
    r["read_ms"] = round(ms() - t_read)
    with open(out, "w") as f:
        json.dump(r, f)
    print(json.dumps({k: v for k, v in r.items() if k != "trace"}))


if __name__ == "__main__":
    {"sniff": sniff, "gaps": gaps, "conns": conns}[sys.argv[1]](*sys.argv[2:])
