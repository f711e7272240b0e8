#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send protocol-41 packets crafted byte by byte (no scapy: its import
takes 10-20 s under emulation) from a raw IPv4 socket (IP_HDRINCL: any
outer source; the kernel fills in the header checksum and the
identification). Each "SPEC" is one packet:

  stf_send4.py DST SPEC...

  SPEC = OUTER_SRC,INNER_SRC,INNER_DST[,tos=N][,tclass=N][,v4inside]

The inner packet is an ICMPv6 echo request (hop limit 64) with traffic
class tclass, the outer header has TOS tos; v4inside puts an IPv4 header
inside instead.
"""
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def echo6(src, dst, tclass, seq):
    src = socket.inet_pton(socket.AF_INET6, src)
    dst = socket.inet_pton(socket.AF_INET6, dst)
    icmp = struct.pack("!BBHHH", 128, 0, 0, 0x5354, seq) + b"stf-test"
    pseudo = src + dst + struct.pack("!IxxxB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    first = (6 << 28) | (tclass << 20)
    return struct.pack("!IHBB", first, len(icmp), 58, 64) + src + dst + icmp


def ip4(src, dst, proto, tos, payload):
    return struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 0, 0,
                       64, proto, 0, socket.inet_aton(src),
                       socket.inet_aton(dst)) + payload


def main():
    dst = sys.argv[1]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for seq, spec in enumerate(sys.argv[2:], 1):
        f = spec.split(",")
        osrc, isrc, idst = f[:3]
        opts = dict(o.split("=") if "=" in o else (o, "1") for o in f[3:])
        if "v4inside" in opts:
            inner = ip4(dst, osrc, 17, 0, b"\0" * 28)
        else:
            inner = echo6(isrc, idst, int(opts.get("tclass", "0"), 0), seq)
        s.sendto(ip4(osrc, dst, 41, int(opts.get("tos", "0"), 0), inner),
                 (dst, 0))


if __name__ == "__main__":
    main()
