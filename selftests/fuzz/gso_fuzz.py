#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merged receive buffers (what GRO or a peer's GSO/TSO hands the KAME
input) written to an existing tap device with a virtio-net header, for
selftests/inet6/gro.sh: the tap delivers each buffer to the input whole,
with the header's gso_type and gso_size, so the stack's splitter
(kmod/core/ip6_gro.c) sees trains nobody checked. COUNT frames, each a
pure function of the seed and its index, in these kinds:

  tcp      a TCP train to DST: 0-40 bytes of TCP options, a payload of
           1-6 segments of a random size (the last shorter or not)
  tcpext   the same behind a Destination Options header
  tcpbad   a TCP header whose data offset is below 5 or past the packet,
           or a packet cut inside its headers
  udp      a UDP train (gso_type UDP_L4)
  other    another next header under a TCP or UDP gso_type
  mss0     a train whose gso_size is 0
  plain    no gso_type: a single packet of one of the kinds above

The kernel refuses some headers at the write (EINVAL: gso_size 0, 6.1
knows no UDP_L4, checksum offsets past the packet): those frames never
reach the input; and it takes a header's gso_size only for a payload
longer than it. Prints how many frames the tap took, and how many of
them reached the input as trains:

  gso_fuzz.py NETNS TAP SRC DST DSTMAC COUNT [SEED]
  -> "written N trains N refused N"
"""
import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tundev  # noqa: E402

GSO_TCPV6, GSO_UDP_L4 = 4, 5
NEEDS_CSUM = 1
KINDS = os.environ.get("GSO_KINDS", "tcp tcp tcpext tcpbad udp other mss0 plain").split()


def rbytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def tcp_hdr(rng, doff=None):
    opts = rbytes(rng, 4 * rng.randrange(11))
    if doff is None:
        doff = 5 + len(opts) // 4
    flags = rng.getrandbits(8) | 0x10		# ACK and anything
    return struct.pack("!HHIIBBHHH", rng.randrange(1024, 65536), 7301,
                       rng.getrandbits(32), rng.getrandbits(32), doff << 4,
                       flags, 65535, 0, 0) + opts


def frame(rng, kind, src, dst):
    """(virtio-net header fields, IPv6 packet) of kind"""
    mss = rng.randrange(1, 1400)
    gso = GSO_TCPV6
    nh = 6
    ext = b""
    if kind in ("tcp", "tcpext", "tcpbad", "mss0", "plain"):
        l4 = tcp_hdr(rng, rng.choice([0, 1, 4, 15]) if kind == "tcpbad"
                     else None)
    elif kind == "udp":
        gso, nh = GSO_UDP_L4, 17
        l4 = struct.pack("!HHHH", 7302, 7302, 0, 0)
    else:
        gso, nh = rng.choice([GSO_TCPV6, GSO_UDP_L4]), rng.choice([58, 59, 50])
        l4 = rbytes(rng, rng.randrange(8, 40))
    if kind == "tcpext":
        ext, nh = bytes([6, 0, 1, 4, 0, 0, 0, 0]), 60
    segs = rng.randrange(1, 7)
    pay = rbytes(rng, mss * (segs - 1) + rng.randrange(1, mss + 1))
    ip6 = struct.pack("!IHBB", 0x60000000, len(ext + l4 + pay), nh, 64) + \
        socket.inet_pton(socket.AF_INET6, src) + \
        socket.inet_pton(socket.AF_INET6, dst)
    pkt = ip6 + ext + l4 + pay
    if kind == "tcpbad" and rng.randrange(2):
        pkt = pkt[:rng.randrange(30, 40 + len(l4))]
    if kind == "mss0":
        mss = 0
    if kind == "plain":
        gso, mss = 0, 0
    thoff = 14 + 40 + len(ext)
    csum_off = 16 if gso == GSO_TCPV6 else 6
    return (NEEDS_CSUM, gso, thoff + len(l4), mss, thoff, csum_off), pkt


def is_train(vh, pkt):
    """Whether the tap hands pkt over as a merged buffer: the kernel
    takes a header's gso_size only when the payload past the transport
    header's fixed part (20 bytes of TCP, 8 of UDP) is longer."""
    _, gso, _, mss, csum_start, _ = vh
    thlen = 20 if gso == GSO_TCPV6 else 8
    return gso != 0 and 14 + len(pkt) - (csum_start + thlen) > mss


def main():
    netns, tap, src, dst, mac = sys.argv[1:6]
    count = int(sys.argv[6])
    seed = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    fd = tundev.open_in(netns, tap, tundev.IFF_TAP | tundev.IFF_NO_PI |
                        tundev.IFF_VNET_HDR)
    eth = bytes.fromhex(mac.replace(":", "")) + \
        bytes.fromhex("02aabbccddee") + b"\x86\xdd"
    written = trains = refused = 0
    for i in range(count):
        rng = random.Random(seed * 1000003 + i)
        vh, pkt = frame(rng, rng.choice(KINDS), src, dst)
        try:
            os.write(fd, struct.pack("<BBHHHH", *vh) + eth + pkt)
        except OSError:
            refused += 1
            continue
        written += 1
        trains += is_train(vh, pkt)
    print(f"written {written} trains {trains} refused {refused}", flush=True)


if __name__ == "__main__":
    main()
