#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed AH (next header 51) to a KAME host with an AH SA of a 96-bit
ICV (hmac-sha1, aes-xcbc-mac: 24 bytes of AH) and a replay window, for
selftests/ipsec/ah.sh: COUNT packets from a raw IPv6 socket, each a pure
function of the seed and its index, in six kinds:

  short    the header cut short: 0 to 11 bytes (zero-length included)
  nosa     an SPI no SA has
  plen     the SA's SPI with a payload length that is not the SA's:
           too small (0-3), too large, or the ICV size of another
           algorithm (128, 192, 256 bits)
  trunc    the right payload length, the packet shorter than it says
  nexthdr  the right shape with Hop-by-Hop (0) as AH's next header
  icv      the right shape and a random ICV, sequence number 0 or not

The receiver must drop every one with exactly one ipsec6 counter; the
script prints how many each counter must have moved by:

  ah_fuzz.py SRC DST SPI COUNT [SEED [esn]]
  -> "in_inval N in_nosa N in_authfail N in_replay N"

With "esn" the SA has extended sequence numbers and nothing received
yet, its window's top set just below 2^32 (setkey -seq 0xfffffffd):
every low half then infers a high half (1 below the window, 0 in or
above it) for which nothing was seen, so a low half of 0, a replay
without ESN, is a 64-bit number above 0 whose ICV fails.
"""
import random
import socket
import struct
import sys

AH_LEN = 24		# 12 bytes of header, 12 of ICV
PLEN = AH_LEN // 4 - 2


def rbytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def packet(rng, spi, kind, esn=False):
    """the packet of kind, and the counter its drop moves"""
    nh = rng.choice([58, 17, 41, 59, 50, 51])
    seq = rng.choice([1, 2, rng.getrandbits(32), 0xffffffff])
    body = rbytes(rng, rng.randrange(64))
    if kind == "short":
        hdr = struct.pack("!BBHII", nh, PLEN, 0, spi, seq)
        return hdr[:rng.randrange(12)], "in_inval"
    if kind == "nosa":
        other = rng.choice([0, 1, 255, 256, 0xffffffff, rng.getrandbits(32)])
        if other == spi:
            other ^= 1
        pkt = struct.pack("!BBHII", nh, PLEN, 0, other, seq)
        return pkt + rbytes(rng, 12) + body, "in_nosa"
    if kind == "plen":
        plen = rng.choice([0, 1, 2, 3, 5, 6, 8, 10, 255, rng.randrange(256)])
        if plen == PLEN:
            plen = 0
        pkt = struct.pack("!BBHII", nh, plen, 0, spi, seq)
        return pkt + rbytes(rng, (plen + 2) * 4) + body, "in_inval"
    if kind == "trunc":
        pkt = struct.pack("!BBHII", nh, PLEN, 0, spi, seq)
        return pkt + rbytes(rng, rng.randrange(AH_LEN - 12)), "in_inval"
    if kind == "nexthdr":
        pkt = struct.pack("!BBHII", 0, PLEN, 0, spi, seq)
        return pkt + rbytes(rng, 12) + body, "in_inval"
    seq = rng.choice([0, seq])
    pkt = struct.pack("!BBHII", nh, PLEN, 0, spi, seq)
    return pkt + rbytes(rng, 12) + body, \
        "in_replay" if seq == 0 and not esn else "in_authfail"


def main():
    src, dst, spi, count = sys.argv[1:5]
    seed = int(sys.argv[5], 0) if len(sys.argv) > 5 else 0x6168
    esn = len(sys.argv) > 6 and sys.argv[6] == "esn"
    spi = int(spi, 0)
    kinds = ["short", "nosa", "plen", "trunc", "nexthdr", "icv"]
    want = {"in_inval": 0, "in_nosa": 0, "in_authfail": 0, "in_replay": 0}
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 51)
    s.bind((src, 0))
    for i in range(int(count)):
        rng = random.Random(seed * 1000003 + i)
        pkt, ctr = packet(rng, spi, kinds[i % len(kinds)], esn)
        s.sendto(pkt, (dst, 0))
        want[ctr] += 1
    print(" ".join("%s %d" % kv for kv in want.items()))


if __name__ == "__main__":
    main()
