#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Random IPComp (next header 108) to a KAME host with an IPComp SA, for
selftests/ipsec/ipcomp.sh: COUNT packets from a raw IPv6 socket, each a
pure function of the seed and its index. A quarter carry the SA's CPI
and a deflate stream of compressible data with random bytes changed,
cut or appended; a quarter a CPI no SA has; a quarter the CPI with a
length at the edges (no header, part of one, a header and a few bytes);
a quarter decompression bombs (streams of 60000 to 1 MiB of one repeated
byte). The next header inside is random among those the
core has and some it has not. The receiver must count every one in
exactly one of in_success, in_inval, in_nosa, in_compfail, in_nomem.

  ipcomp_fuzz.py SRC DST CPI COUNT [SEED]
"""
import random
import socket
import struct
import sys
import zlib

BOMBS = {}
NEXT = [59, 17, 58, 6, 41, 60, 43, 44, 108, 0, 255]


def deflate(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def mutate(rng, z):
    z = bytearray(z)
    for _ in range(rng.randrange(4)):
        op = rng.randrange(3)
        if op == 0 and z:
            z[rng.randrange(len(z))] = rng.getrandbits(8)
        elif op == 1 and z:
            del z[rng.randrange(len(z)):]
        else:
            z += bytes(rng.getrandbits(8) for _ in range(rng.randrange(8)))
    return bytes(z)


def packet(rng, cpi):
    kind = rng.randrange(4)
    nh = rng.choice(NEXT)
    if kind == 1:
        cpi = rng.choice([0, 1, 2, 255, 256, 0xffff, rng.getrandbits(16)])
        if cpi == int(sys.argv[3], 0):
            cpi ^= 1
    if kind == 3:
        key = (rng.choice([0, 0x41, 0xff]),
               rng.choice([60000, 65535, 65536, 100000, 1 << 20]))
        if key not in BOMBS:
            BOMBS[key] = deflate(bytes([key[0]]) * key[1], 9)
        body = BOMBS[key]
    else:
        words = [bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 9)))
                 for _ in range(8)]
        data = b"".join(rng.choice(words) for _ in range(rng.randrange(400)))
        body = mutate(rng, deflate(data, rng.randrange(10)))
    pkt = struct.pack("!BBH", nh, rng.getrandbits(8), cpi) + body
    if kind == 2:
        pkt = pkt[:rng.choice([0, 1, 2, 3, 4, 5, 6, 8])]
    return pkt[:1400]


def main():
    src, dst, cpi, count = sys.argv[1:5]
    seed = int(sys.argv[5], 0) if len(sys.argv) > 5 else 0x6970636f
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 108)
    s.bind((src, 0))
    for i in range(int(count)):
        rng = random.Random(seed * 1000003 + i)
        s.sendto(packet(rng, int(cpi, 0)), (dst, 0))


if __name__ == "__main__":
    main()
