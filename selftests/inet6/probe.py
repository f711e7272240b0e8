#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Crafted IPv6 packets from the native namespace to the KAME host, and the
# ICMPv6 answers seen on the wire. Each probe carries its own flow label;
# an error message quotes the offending packet, flow label included, which
# ties every answer to its probe. Prints one JSON object:
#   { probe: [ {"type": T, "code": C, "ptr": P, "quote_ok": bool}, ... ] }
# Usage: probe.py IFACE SRC_MAC DST_MAC SRC DST [PROBE...]
import json
import sys
import time

from scapy.all import AsyncSniffer, Ether, IPv6, Raw, conf, sendp
from scapy.layers.inet6 import (ICMPv6EchoReply, ICMPv6EchoRequest,
                                IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                                IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                                HBHOptUnknown, Jumbo, PadN)

conf.verb = 0
iface, smac, dmac, src, dst = sys.argv[1:6]
wanted = set(sys.argv[6:])
L2 = Ether(src=smac, dst=dmac)


def ip(fl, **kw):
    return IPv6(src=src, dst=dst, fl=fl, **kw)


def echo(tag):
    return ICMPv6EchoRequest(id=0x4b41, seq=1, data=tag.encode() * 8)


# name -> (flow label, list of frames)
PROBES = {}


def probe(name, fl, frames):
    PROBES[name] = (fl, frames if isinstance(frames, list) else [frames])


probe("unknown_nh", 1, L2 / ip(1, nh=253) / Raw(b"x" * 16))
probe("unknown_nh_after_dstopt", 2,
      L2 / ip(2) / IPv6ExtHdrDestOpt(nh=253) / Raw(b"x" * 16))
probe("dstopt_unknown_10", 3,
      L2 / ip(3) / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x9e, optdata=b"ab")]) / echo("d"))
probe("dstopt_unknown_00", 4,
      L2 / ip(4) / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x1e, optdata=b"ab")]) / echo("s"))
probe("rh0_segleft", 5,
      L2 / ip(5) / IPv6ExtHdrRouting(type=0, segleft=1, addresses=["2001:db8::99"]) / echo("r"))
probe("rh0_segleft0", 6,
      L2 / ip(6) / IPv6ExtHdrRouting(type=0, segleft=0, addresses=[]) / echo("z"))
probe("jumbo_with_plen", 7,
      L2 / ip(7) / IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=70000)]) / echo("j"))
chain = ip(8)
for _ in range(60):
    chain = chain / IPv6ExtHdrDestOpt()
probe("nest60", 8, L2 / chain / echo("n"))
big = ip(9) / IPv6ExtHdrFragment(id=0x99, m=1, offset=0) / \
    ICMPv6EchoRequest(id=0x4b41, seq=2, data=b"o" * 120)
raw = bytes(big[IPv6ExtHdrFragment].payload)
f1 = L2 / ip(9) / IPv6ExtHdrFragment(id=0x99, m=1, offset=0, nh=58) / Raw(raw[:48])
f2 = L2 / ip(9) / IPv6ExtHdrFragment(id=0x99, m=0, offset=4, nh=58) / Raw(raw[32:])
probe("overlap", 9, [f1, f2])
first = L2 / ip(10) / IPv6ExtHdrFragment(id=0x9a, m=1, offset=0, nh=58) / Raw(raw[:48])
probe("frag_timeout", 10, first)
probe("atomic", 11, L2 / ip(11) / IPv6ExtHdrFragment(id=0x9b, m=0, offset=0) / echo("a"))
probe("mcast_unknown_nh", 12,
      L2 / IPv6(src=src, dst="ff02::1", fl=12, nh=253) / Raw(b"x" * 16))
probe("badlen_frag", 13,
      L2 / ip(13) / IPv6ExtHdrFragment(id=0x9c, m=1, offset=0, nh=58) / Raw(raw[:45]))
probe("burst", 14, [L2 / ip(14, nh=253) / Raw(b"%03d" % i) for i in range(40)])


def describe(p):
    out = {}
    if ICMPv6EchoReply in p:
        out["type"] = 129
        return out
    icmp = p[IPv6].payload
    out["type"] = icmp.type
    out["code"] = icmp.code
    out["ptr"] = getattr(icmp, "ptr", None)
    return out


results = {name: [] for name in PROBES if not wanted or name in wanted}
sent = {}
sn = AsyncSniffer(iface=iface, store=True,
                  lfilter=lambda p: IPv6 in p and p[IPv6].src != src and p[IPv6].nh in (58, 44))
sn.start()
time.sleep(1)
for name in results:
    fl, frames = PROBES[name]
    if name == "burst":
        # after the fragment timeout's error, in a rate-limit window of its own
        time.sleep(3)
    sent[fl] = bytes(frames[0][IPv6])
    sendp(frames, iface=iface)
    time.sleep(0.3)
time.sleep(float(__import__("os").environ.get("PROBE_WAIT", "4")))
sn.stop()

by_fl = {PROBES[n][0]: n for n in results}
for p in sn.results:
    icmp = p[IPv6].payload
    if ICMPv6EchoReply in p:
        tag = bytes(p[ICMPv6EchoReply].data)[:1].decode(errors="replace")
        for n in results:
            fl, frames = PROBES[n]
            if ICMPv6EchoRequest in frames[0] and \
               bytes(frames[0][ICMPv6EchoRequest].data)[:1].decode() == tag:
                results[n].append({"type": 129})
        continue
    if icmp.type >= 128:
        continue
    quoted = bytes(icmp.payload)
    if len(quoted) < 40:
        continue
    fl = ((quoted[1] & 0x0f) << 16) | (quoted[2] << 8) | quoted[3]
    if fl not in by_fl:
        continue
    d = describe(p)
    ref = sent[fl]
    d["quote_ok"] = quoted == ref[:len(quoted)] and len(quoted) == min(len(ref), 1232)
    results[by_fl[fl]].append(d)
print(json.dumps(results, sort_keys=True))
