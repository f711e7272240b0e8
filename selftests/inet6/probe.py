#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Crafted IPv6 packets from the native namespace to the KAME host, and the
# ICMPv6 answers seen on the wire. Each probe carries its own flow label;
# an error message quotes the offending packet, flow label included, which
# ties every answer to its probe. Prints one JSON object:
#   { probe: [ {"type": T, "code": C, "ptr": P, "quote_ok": bool}, ... ],
#     "_delta": { probe: { counter: growth } } }
# "len" (the answer's IPv6 length) is added for the probes that ask, and
# "_delta" holds the growth of the KAME counters a probe names, taken
# around it (with KAME_NS set to the KAME namespace), after the knobs it
# sets for its duration (then put back).
# Usage: probe.py IFACE SRC_MAC DST_MAC SRC DST [PROBE...|@extra]
# Without a name, the probes of the base set; "@extra" runs the others.
import json
import os
from socket import AF_INET6, inet_ntop, inet_pton
import socket
import subprocess
import sys
import time

from scapy.all import AsyncSniffer, Ether, IPv6, Raw, conf, sendp
from scapy.utils6 import in6_getnsma, in6_getnsmac
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6EchoReply,
                                ICMPv6EchoRequest, ICMPv6MLDone,
                                ICMPv6MLQuery, ICMPv6MLReport,
                                ICMPv6MLReport2, ICMPv6ND_NA, ICMPv6ND_NS,
                                ICMPv6ND_RA, ICMPv6ND_RS, ICMPv6ND_Redirect,
                                ICMPv6PacketTooBig, ICMPv6ParamProblem,
                                ICMPv6TimeExceeded, ICMPv6Unknown,
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
EXTRA = {}	# name -> options of a probe of the extra set


def probe(name, fl, frames):
    PROBES[name] = (fl, frames if isinstance(frames, list) else [frames])


def xprobe(name, fl, frames, **opts):
    """A probe of the extra set. opts: knobs {name: value} for its
    duration, stats [counters], wait (seconds after it), want_len, ref
    (the packet its errors quote, when frames[0] is raw bytes), match (a
    function telling an informational answer to it)."""
    probe(name, fl, frames)
    EXTRA[name] = opts


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

# The extra set (exthdr_frag.sh test_extra).
L2R = Ether(src=smac, dst=dmac, type=0x86dd)
L2ALL = Ether(src=smac, dst="33:33:00:00:00:01")
IP6 = "net.inet6.ip6."


def nolen(pkt):
    """The packet's bytes with payload length 0 (jumbo rules)."""
    b = bytearray(bytes(pkt))
    b[4:6] = b"\0\0"
    return bytes(b)


def opt(t):
    return IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=t, optdata=b"ab")])


def frag(fl, ident, off, m, data):
    return L2 / ip(fl) / IPv6ExtHdrFragment(id=ident, m=m, offset=off, nh=58) / Raw(data)


def quoted(p):
    return IPv6(src=dst, dst=src, nh=59)


# the unspecified source: only DAD NS (and RS) get through
xprobe("unspec_echo", 20, L2 / IPv6(src="::", dst=dst, fl=20) / echo("u"),
       stats=["ip6s_badscope", "icp6s_inhist_echo", "icp6s_outhist_echoreply"])
xprobe("unspec_unknown_nh", 21, L2 / IPv6(src="::", dst=dst, fl=21, nh=253) / Raw(b"x" * 8),
       stats=["ip6s_badscope", "ip6s_noproto", "icp6s_error"])
SNM = in6_getnsma(inet_pton(AF_INET6, dst))
xprobe("unspec_dad_ns", 22,
       Ether(src=smac, dst=in6_getnsmac(SNM)) /
       IPv6(src="::", dst=inet_ntop(AF_INET6, SNM), hlim=255, fl=22) / ICMPv6ND_NS(tgt=dst),
       stats=["ip6s_badscope", "icp6s_inhist_ns"],
       match=lambda p: ICMPv6ND_NA in p and p[ICMPv6ND_NA].tgt == dst and p[IPv6].dst == "ff02::1")
xprobe("unspec_rs", 23, L2ALL / IPv6(src="::", dst="ff02::1", hlim=255, fl=23) / ICMPv6ND_RS(),
       stats=["ip6s_badscope", "icp6s_inhist_routersol", "icp6s_badrs"])
xprobe("mcast_src", 24, L2 / IPv6(src="ff02::1", dst=dst, fl=24, nh=253) / Raw(b"x" * 8),
       stats=["ip6s_badscope", "ip6s_noproto", "icp6s_error"])
# header chain rules
chain = ip(25)
for _ in range(60):
    chain = chain / IPv6ExtHdrDestOpt()
xprobe("nest60_unlimited", 25, L2 / chain / echo("N"), knobs={IP6 + "hdrnestlimit": 0},
       stats=["ip6s_toomanyhdr"])
xprobe("hbh_not_first", 26, L2 / ip(26) / IPv6ExtHdrDestOpt() / IPv6ExtHdrHopByHop() / echo("b"))
# jumbo payload (RFC 2675): a jumbogram does not fit a veth frame, so the
# jumbo + fragment header rule cannot be reached from the wire
pkt = nolen(ip(27) / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)]) / echo("0"))
xprobe("plen0_no_jumbo", 27, L2R / Raw(pkt), ref=pkt)
pkt = nolen(ip(28) / IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=1000)]) / echo("J"))
xprobe("jumbo_small", 28, L2R / Raw(pkt), ref=pkt)
pkt = nolen(ip(29, nh=0)) + bytes([58, 1, 0, 0, 0xc2, 4, 0, 1, 0x11, 0x70,
                                   1, 4, 0, 0, 0, 0]) + bytes(ICMPv6EchoRequest(cksum=0))
xprobe("jumbo_misaligned", 29, L2R / Raw(pkt), ref=pkt)
pkt = nolen(ip(30) / IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=70000)]) /
            IPv6ExtHdrFragment(id=0xa0, m=1, nh=58) / echo("k"))
xprobe("jumbo_frag_short", 30, L2R / Raw(pkt), ref=pkt, stats=["ip6s_tooshort", "ip6s_badfrags"])
# unknown options: 01 skip silently, 11 error to unicast only, 10 always
xprobe("dstopt_unknown_01", 31, L2 / ip(31) / opt(0x5e) / echo("p"),
       stats=["ip6s_badoptions", "icp6s_error"])
xprobe("dstopt_unknown_11", 32, L2 / ip(32) / opt(0xde) / echo("q"))
xprobe("dstopt_unknown_11_mcast", 33,
       L2ALL / IPv6(src=src, dst="ff02::1", fl=33) / opt(0xde) / echo("t"),
       stats=["ip6s_badoptions", "icp6s_error"])
xprobe("dstopt_unknown_10_mcast", 34,
       L2ALL / IPv6(src=src, dst="ff02::1", fl=34) / opt(0x9e) / echo("v"))
# errors: at most 1280 bytes; none about an error or a redirect
xprobe("quote_1280", 35, L2 / ip(35, nh=253) / Raw(b"Q" * 1360), want_len=True)
xprobe("err_about_error", 36, L2 / ip(36) / opt(0x9e) / ICMPv6DestUnreach() / quoted(36),
       stats=["ip6s_badoptions", "icp6s_canterror", "icp6s_outhist_param_prob"])
xprobe("err_about_redirect", 37,
       L2 / ip(37) / opt(0x9e) / ICMPv6ND_Redirect(tgt="fe80::1", dst="2001:db8::77"),
       stats=["ip6s_badoptions", "icp6s_canterror", "icp6s_outhist_param_prob"])
# nor about one whose header chain, walked by its lengths, ends in an
# ICMPv6 header past the end of the packet: it may be an error (RFC 4443
# 2.4 e.1; BSD's icmp6_error and Linux do not answer either)
xprobe("err_icmp6_type_cut", 61,
       L2 / ip(61) / IPv6ExtHdrDestOpt(nh=60, options=[HBHOptUnknown(otype=0x9e, optdata=b"ab")]) /
       Raw(bytes([58, 10, 1, 4, 0, 0, 0, 0])),
       stats=["ip6s_badoptions", "icp6s_canterror", "icp6s_outhist_param_prob"])
# an error about a frame with link padding quotes the packet only
pkt = bytes(ip(38) / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x9e, optdata=b"ab")]) /
            echo("h"))
xprobe("hbh_padded", 38, L2R / Raw(pkt + b"\xee" * 24), ref=pkt, want_len=True)
# reassembly: 65535 bytes at most, and the three limits
xprobe("frag_beyond_64k", 39,
       L2 / ip(39) / IPv6ExtHdrFragment(id=0xd1, m=1, offset=8190, nh=58) / Raw(b"x" * 16))
xprobe("frag_beyond_64k_unfrag", 40,
       L2 / ip(40) / IPv6ExtHdrDestOpt() / IPv6ExtHdrFragment(id=0xd2, m=0, offset=8190, nh=58) /
       Raw(b"x" * 8))
FSTATS = ["ip6s_fragments", "ip6s_fragoverflow", "ip6s_fragtimeout"]
# non-first fragments: no Time Exceeded when they time out (fragttl 2)
xprobe("frag_maxfragpackets", 41, [frag(41, 0xa1 + i, 1, 1, b"\0" * 8) for i in range(3)],
       knobs={IP6 + "maxfragpackets": 2}, stats=FSTATS, wait=3.5)
xprobe("frag_maxfrags", 42, [frag(42, 0xb1, 1, 1, b"\0" * 8), frag(42, 0xb1, 2, 1, b"\0" * 8),
                             frag(42, 0xb2, 1, 1, b"\0" * 8)],
       knobs={IP6 + "maxfrags": 2}, stats=FSTATS, wait=3.5)
xprobe("frag_maxfragsperpacket", 43, [frag(43, 0xc1, i, 1, b"\0" * 8) for i in (1, 2, 3)],
       knobs={IP6 + "maxfragsperpacket": 2}, stats=FSTATS, wait=3.5)
big = ip(44) / IPv6ExtHdrFragment(id=0xc9, m=1, offset=0) / \
    ICMPv6EchoRequest(id=0x4b41, seq=3, data=b"F" * 64)
raw = bytes(big[IPv6ExtHdrFragment].payload)
xprobe("frag_after_limits", 44, [frag(44, 0xc9, 0, 1, raw[:40]), frag(44, 0xc9, 5, 0, raw[40:])],
       stats=["ip6s_reassembled"],
       match=lambda p: ICMPv6EchoReply in p and p[ICMPv6EchoReply].seq == 3)
# reassembly completes only on contiguous data from offset 0 to the end:
# a far fragment then a last one that ends before it, twenty times (once
# the remote overflow of a 56-byte datagram written at the far offset:
# 64000 bytes, and 128 to 2432 to reach the red zones of nearby objects)
FAR = [8000] + [16 * i for i in range(1, 20)]
xprobe("frag_far_early_last", 46,
       [f for i, o in enumerate(FAR) for f in (frag(46, 0xf00 + i, o, 1, b"A" * 16),
                                               frag(46, 0xf00 + i, 2, 0, b""))],
       stats=["ip6s_fragdropped", "ip6s_reassembled", "ip6s_fragtimeout"])
xprobe("frag_beyond_end", 47, [frag(47, 0xf20, 2, 0, b"B" * 8), frag(47, 0xf20, 8, 1, b"B" * 8)],
       stats=["ip6s_fragdropped", "ip6s_fragtimeout"])
xprobe("frag_last_before_queued", 48,
       [frag(48, 0xf21, 8, 1, b"C" * 8), frag(48, 0xf21, 2, 0, b"C" * 8)],
       stats=["ip6s_fragdropped", "ip6s_fragtimeout"], wait=2.5)
xprobe("frag_zero_len_more", 49, frag(49, 0xf22, 1, 1, b""),
       stats=["ip6s_fragdropped", "ip6s_fragtimeout"], wait=2.5)


def dstopt(nh, size):
    """A destination options header of size bytes, filled with options
    of type 0x1e (unknown, skip) and a Pad1 or PadN at the end."""
    body, left = b"", size - 2
    while left:
        n = min(left, 257)
        if left - n == 1:
            n -= 2
        body += bytes([0x1e, n - 2]) + b"\0" * (n - 2) if n > 1 else b"\0"
        left -= n
    return bytes([nh, size // 8 - 1]) + body


def outer_frags(fl, ident, payload):
    """The frames of a datagram whose fragmentable part is payload (the
    first header a destination options one), 1448 bytes a fragment."""
    out = []
    for off in range(0, len(payload), 1448):
        m = int(off + 1448 < len(payload))
        out.append(L2 / ip(fl) / IPv6ExtHdrFragment(id=ident, m=m, offset=off // 8, nh=60) /
                   Raw(payload[off:off + 1448]))
    return out


# RFC 7112: a first fragment that does not hold the whole header chain
# (a 2048-byte destination options header, then the echo request) is
# dropped with a Parameter Problem code 3; the rest of the datagram times
# out silently. (Before this check, 31 such headers put an inner Fragment
# header at offset 65536 of a reassembled datagram, beyond the 16 bits
# reassembly kept offsets in; no datagram can bring one there now.)
whole = bytes(IPv6(src=src, dst=dst) / ICMPv6EchoRequest(id=0x4b41, seq=4, data=b"W" * 8))[40:]
xprobe("frag_chain_incomplete", 50, outer_frags(50, 0xf31, dstopt(58, 2048) + whole),
       stats=["ip6s_badfrags", "ip6s_fragtimeout", "ip6s_reassembled"], wait=2.5)
# multicast of the interface-local and the reserved scope never comes
# from a link (RFC 4291 2.7), even to a group the node has joined
xprobe("mcast_ifacelocal_dst", 51, L2ALL / IPv6(src=src, dst="ff01::1", fl=51) / echo("Y"),
       stats=["ip6s_badscope", "ip6s_notmember", "icp6s_inhist_echo"])
xprobe("mcast_scope0_dst", 52, L2ALL / IPv6(src=src, dst="ff00::1", fl=52) / echo("Z"),
       stats=["ip6s_badscope", "ip6s_notmember", "icp6s_inhist_echo"])
# an unknown option of type 11 in a link-layer multicast frame gets no
# answer even to a unicast destination (RFC 4443 2.4 e.3)
xprobe("dstopt_unknown_11_llmcast", 54, L2ALL / ip(54) / opt(0xde) / echo("M"),
       stats=["ip6s_badoptions", "icp6s_error"])
# an option that runs past the end of its header: dropped silently and
# counted in ip6s_toosmall (KAME's dest6_input), no Parameter Problem
xprobe("dstopt_overrun", 53,
       L2 / ip(53, nh=60) / Raw(bytes([58, 0, 0x1e, 20, 0, 0, 0, 0])) / echo("O"),
       stats=["ip6s_toosmall", "ip6s_badoptions", "icp6s_error"])
# the work one options header may cause is bounded (RFC 8504 5.3): more
# than maxopts (8) options that are not padding, or a run of more than
# maxoptpad (7) bytes of padding, and the packet is dropped silently


def opts_hdr(nopts, pad):
    """A destination options header before an ICMPv6 message: nopts
    options of type 0x1e (unknown, skip) and, after the first, a PadN of
    pad bytes; Pad1s to the 8-byte boundary."""
    body = bytes([0x1e, 0])
    if pad:
        body += bytes([1, pad - 2]) + b"\0" * (pad - 2)
    body += bytes([0x1e, 0]) * (nopts - 1)
    body += b"\0" * (-(2 + len(body)) % 8)
    return bytes([58, (2 + len(body)) // 8 - 1]) + body


# name, flow label, options, padding bytes, echo tag, knobs
for name, fl, nopts, pad, tag, knobs in [
        ("dstopt_8_opts", 55, 8, 0, "5", {}),
        ("dstopt_9_opts", 56, 9, 0, "6", {}),
        ("dstopt_9_opts_any", 57, 9, 0, "7", {IP6 + "maxopts": 0}),
        ("dstopt_pad7", 58, 2, 7, "8", {}),
        ("dstopt_pad8", 59, 2, 8, "9", {}),
        ("dstopt_pad8_allowed", 60, 2, 8, "1", {IP6 + "maxoptpad": 8})]:
    xprobe(name, fl, L2 / ip(fl, nh=60) / Raw(opts_hdr(nopts, pad)) / echo(tag),
           knobs=knobs, stats=["ip6s_badoptions", "icp6s_inhist_echo"])
# the input histogram: one message of each type
HIST = [("echo", L2 / ip(45) / echo("e")),	# first: its reply is matched
        ("unreach", L2 / ip(45) / ICMPv6DestUnreach() / quoted(45)),
        ("packet_too_big", L2 / ip(45) / ICMPv6PacketTooBig(mtu=1280) / quoted(45)),
        ("time_exceed", L2 / ip(45) / ICMPv6TimeExceeded() / quoted(45)),
        ("param_prob", L2 / ip(45) / ICMPv6ParamProblem() / quoted(45)),
        ("echoreply", L2 / ip(45) / ICMPv6EchoReply(id=0x7777)),
        ("mldquery", L2ALL / IPv6(src=src, dst="ff02::1", hlim=1) / ICMPv6MLQuery()),
        ("mldreport", L2ALL / IPv6(src=src, dst="ff02::1", hlim=1) / ICMPv6MLReport(mladdr="ff02::1")),
        ("mlddone", L2ALL / IPv6(src=src, dst="ff02::1", hlim=1) / ICMPv6MLDone(mladdr="ff02::1")),
        ("mldv2report", L2ALL / IPv6(src=src, dst="ff02::1", hlim=1) / ICMPv6MLReport2()),
        ("routersol", L2ALL / IPv6(src=src, dst="ff02::1", hlim=255) / ICMPv6ND_RS()),
        ("routeradv", L2ALL / IPv6(src=src, dst="ff02::1", hlim=255) / ICMPv6ND_RA()),
        ("ns", L2 / IPv6(src=src, dst=dst, hlim=255) / ICMPv6ND_NS(tgt=dst)),
        ("na", L2 / IPv6(src=src, dst=dst, hlim=255) / ICMPv6ND_NA(tgt=src, R=0, S=0, O=0)),
        ("redirect", L2 / IPv6(src=src, dst=dst, hlim=255) /
         ICMPv6ND_Redirect(tgt="fe80::1", dst="2001:db8::77")),
        ("other", L2 / ip(45) / ICMPv6Unknown(type=200, msgbody=b"x" * 8)),
        ("other", L2 / ip(45) / ICMPv6Unknown(type=100, msgbody=b"x" * 44))]
xprobe("hist_in", 45, [f for _, f in HIST],
       stats=sorted({"icp6s_inhist_" + n for n, _ in HIST} | {"icp6s_inhist_error"}), wait=1)


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


def kame(*args):
    return subprocess.run(["kame", "-n", os.environ["KAME_NS"]] + list(args),
                          check=True, capture_output=True, text=True).stdout


def counters():
    st = json.loads(kame("-j", "stats"))[0]
    return {**st["ip6"], **st["icmp6"]}


def knob(name, value=None):
    if value is None:
        return json.loads(kame("-j", "sysctl", name))[0]["value"]
    kame("sysctl", name, str(value))
    return value


def packet_bytes(name):
    """The IPv6 packet of a probe's first frame, without link padding."""
    opts = EXTRA.get(name, {})
    if "ref" in opts:
        return opts["ref"]
    b = bytes(PROBES[name][1][0][IPv6])
    plen = (b[4] << 8) | b[5]
    return b[:40 + plen] if plen else b


def chosen(name):
    if wanted:
        return name in wanted or (name in EXTRA and "@extra" in wanted)
    return name not in EXTRA


results = {name: [] for name in PROBES if chosen(name)}
deltas = {}
sent = {}
sn = AsyncSniffer(iface=iface, store=True,
                  lfilter=lambda p: IPv6 in p and p[IPv6].src != src and p[IPv6].nh in (58, 44))
sn.start()
time.sleep(1)
for name in results:
    fl, frames = PROBES[name]
    opts = EXTRA.get(name, {})
    if name == "burst":
        # after the fragment timeout's error, in a rate-limit window of its own
        time.sleep(3)
    saved = {k: knob(k) for k in opts.get("knobs", {})}
    for k, v in opts.get("knobs", {}).items():
        knob(k, v)
    before = counters() if "stats" in opts else None
    sent[fl] = packet_bytes(name)
    if name == "burst":
        # built first, then sent back to back: the 40 frames arrive within
        # one or two rate-limit windows however slow scapy is (sendp()
        # builds each as it goes, seconds under emulation)
        raw = [bytes(f) for f in frames]
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
            s.bind((iface, 0))
            for b in raw:
                s.send(b)
    else:
        sendp(frames, iface=iface)
    time.sleep(opts.get("wait", 0.3))
    if before is not None:
        after = counters()
        deltas[name] = {c: after[c] - before[c] for c in opts["stats"]}
    for k, v in saved.items():
        knob(k, v)
time.sleep(float(os.environ.get("PROBE_WAIT", "4")))
sn.stop()

by_fl = {PROBES[n][0]: n for n in results}
for p in sn.results:
    icmp = p[IPv6].payload
    for n in results:
        if "match" in EXTRA.get(n, {}) and EXTRA[n]["match"](p):
            results[n].append({"type": icmp.type})
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
    if EXTRA.get(by_fl[fl], {}).get("want_len"):
        d["len"] = 40 + p[IPv6].plen
    results[by_fl[fl]].append(d)
if deltas:
    results["_delta"] = deltas
print(json.dumps(results, sort_keys=True))
