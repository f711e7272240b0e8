#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Random ESP (next header 50) to a KAME host with an ESP SA, for
selftests/ipsec/esp.sh: COUNT packets from a raw IPv6 socket, each a pure
function of the seed and its index. A third carries the SA's SPI with a
random sequence number and random bytes of a random length (cut short,
not a block multiple, or the right shape with a wrong ICV), a third an
SPI no SA has, a third the SPI with a length at the edges of the checks
(0 to 8 + 8 + 4 + 16 bytes, or a block multiple). The receiver must drop
every one with exactly one of its ipsec6 counters.

  esp_fuzz.py SRC DST SPI COUNT [SEED]
"""
import random
import socket
import struct
import sys


def packet(rng, spi):
    kind = rng.randrange(3)
    if kind == 1:
        spi = rng.choice([0, 1, 255, 256, 0xffffffff, rng.getrandbits(32)])
        if spi == int(sys.argv[3], 0):
            spi ^= 1
    seq = rng.choice([0, 1, rng.getrandbits(32), 0xffffffff])
    body = bytes(rng.getrandbits(8) for _ in range(rng.randrange(200)))
    pkt = struct.pack("!II", spi, seq) + body
    if kind == 2:	# lengths at the edges of the checks, header included
        pkt = pkt[:rng.choice([0, 1, 4, 7, 8, 12, 16, 20, 24, 36, 40, 52])]
    return pkt


def main():
    src, dst, spi, count = sys.argv[1:5]
    seed = int(sys.argv[5], 0) if len(sys.argv) > 5 else 0x657370
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 50)
    s.bind((src, 0))
    for i in range(int(count)):
        rng = random.Random(seed * 1000003 + i)
        s.sendto(packet(rng, int(spi, 0)), (dst, 0))


if __name__ == "__main__":
    main()
