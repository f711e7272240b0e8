#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send IPv4 tunnel packets crafted byte by byte (no scapy: its import
takes 10-20 s under emulation), from a raw IPv4 socket (IP_HDRINCL; the
kernel fills in the header checksum and the identification):

  gif_send4.py SRC DST CASE [COUNT]

CASE is one of
  echo6:TOS:TCLASS   protocol 41, outer TOS, inner ICMPv6 echo request
                     from 2001:db8:6::2 to 2001:db8:6::1 with TCLASS
  v4in41             protocol 41 with an IPv4 header inside
  v6in4              protocol 4 with an IPv6 header inside
  short41            protocol 41 with 20 bytes of an IPv6 header
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


def echo6(tclass, seq):
    src = socket.inet_pton(socket.AF_INET6, "2001:db8:6::2")
    dst = socket.inet_pton(socket.AF_INET6, "2001:db8:6::1")
    icmp = struct.pack("!BBHHH", 128, 0, 0, 0x4b41, seq) + b"gif-ecn!"
    pseudo = src + dst + struct.pack("!IxxxB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    first = (6 << 28) | (tclass << 20)
    return struct.pack("!IHBB", first, len(icmp), 58, 64) + src + dst + icmp


def ip4(src, dst, proto, tos, payload):
    return struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 0, 0,
                       64, proto, 0, socket.inet_aton(src),
                       socket.inet_aton(dst)) + payload


def main():
    src, dst, case = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for i in range(count):
        if case.startswith("echo6:"):
            _, tos, tclass = case.split(":")
            pkt = ip4(src, dst, 41, int(tos, 0), echo6(int(tclass, 0), i + 1))
        elif case == "v4in41":
            pkt = ip4(src, dst, 41, 0, ip4(dst, src, 17, 0, b"\0" * 28))
        elif case == "v6in4":
            pkt = ip4(src, dst, 4, 0, echo6(0, i + 1))
        elif case == "short41":
            pkt = ip4(src, dst, 41, 0, echo6(0, i + 1)[:20])
        else:
            sys.exit("Error: unknown case " + case)
        s.sendto(pkt, (dst, 0))
    print("sent %d %s" % (count, case))


if __name__ == "__main__":
    main()
