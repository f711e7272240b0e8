#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ESP in tunnel mode with well-formed, authentic outer packets around
malformed inner ones, for selftests/ipsec/tunnel.sh: the decapsulation
(KAME's ipsec6_tunnel_input()) and the input of the inner packet are
what is fuzzed. The SA is null encryption with hmac-sha1-96, so that the
ICV can be computed here. COUNT packets from a raw IPv6 socket to DST,
each a pure function of the seed and its index, sequence numbers from
SEQ0 up; an inner packet is one of:

  - a good ICMPv6 echo request from INNER_SRC to INNER_DST (answered),
  - an IPv6 header with one field wrong (version, payload length too
    short or too long, a multicast or unspecified source, another
    destination, an interface-local multicast one, hop limit 0),
  - the first 0 to 39 bytes of a header, or random bytes,
  - a header chain (Hop-by-Hop, Destination Options, Fragment) with
    random lengths and contents,
  - an ESP packet of the same SA inside, nested 1 to 6 deep,
  - anything else after a next header other than IPv6 in the trailer.

With SPI 0 the packets are plain IPv6 in IPv6 (next header 41, no ESP;
KEY and SEQ0 unused): what an IPComp tunnel's peer sends when it did not
compress, so the decapsulation of an IPComp tunnel's inbound policy is
what is fuzzed, with the inner packets above and IPv6 in IPv6 nested 1
to 6 deep.

  esp_tunnel_fuzz.py SRC DST SPI KEY INNER_SRC INNER_DST SEQ0 COUNT [SEED]
"""
import hashlib
import hmac
import random
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


def ip6(src, dst, nh, payload, plen=None, ver=6, hlim=64):
    plen = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", ver << 28, plen & 0xffff, nh, hlim,
                       src, dst) + payload


def echo(src, dst, ident, data):
    body = struct.pack("!BBHHH", 128, 0, 0, ident, 1) + data
    pseudo = src + dst + struct.pack("!I3xB", len(body), 58)
    c = csum(pseudo + body)
    return ip6(src, dst, 58, body[:2] + struct.pack("!H", c) + body[4:])


def esp(spi, seq, key, inner, nh):
    # null encryption: 4-byte alignment of payload, pad length, next header
    pad = (-(len(inner) + 2)) % 4
    body = struct.pack("!II", spi, seq) + inner + bytes(range(1, pad + 1)) \
        + struct.pack("!BB", pad, nh)
    return body + hmac.new(key, body, hashlib.sha1).digest()[:12]


def bad_header(rng, src, dst):
    good = echo(src, dst, rng.getrandbits(16), b"x" * rng.randrange(40))
    kind = rng.randrange(8)
    if kind == 0:
        return ip6(src, dst, 58, good[40:], ver=rng.choice([0, 4, 5, 7, 15]))
    if kind == 1:
        return ip6(src, dst, 58, good[40:], plen=len(good) - 40
                   + rng.choice([-8, -1, 1, 8, 1000, 65535]))
    if kind == 2:
        return ip6(rng.choice([socket.inet_pton(socket.AF_INET6, "ff02::1"),
                               bytes(16)]), dst, 58, good[40:])
    if kind == 3:
        return ip6(src, socket.inet_pton(socket.AF_INET6, rng.choice(
            ["2001:db8:c::1", "ff01::1", "ff02::1", "::1", "fe80::1"])),
            58, good[40:])
    if kind == 4:
        return ip6(src, dst, 58, good[40:], hlim=0)
    if kind == 5:
        return good[:rng.randrange(40)]
    if kind == 6:
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(120)))
    return ip6(src, dst, rng.randrange(256),
               bytes(rng.getrandbits(8) for _ in range(rng.randrange(64))))


def chain(rng, src, dst):
    hdrs = b""
    nhs = []
    for _ in range(rng.randrange(1, 5)):
        t = rng.choice([0, 60, 44])
        if t == 44:
            h = bytes(rng.getrandbits(8) for _ in range(7))
        else:
            n = rng.randrange(3)
            h = bytes([n]) + bytes(rng.getrandbits(8) for _ in range(6 + n * 8))
        nhs.append(t)
        hdrs += b"\0" + h
    last = rng.choice([58, 17, 59, rng.randrange(256)])
    out = bytearray(hdrs + bytes(rng.getrandbits(8)
                                 for _ in range(rng.randrange(40))))
    # each header's next header names the one after it
    off = 0
    for i, t in enumerate(nhs):
        out[off] = nhs[i + 1] if i + 1 < len(nhs) else last
        off += 8 if t == 44 else (out[off + 1] + 1) * 8
        if off >= len(out):
            break
    return ip6(src, dst, nhs[0], bytes(out))


def packet(rng, args, seq):
    src, dst, spi, key, isrc, idst = args
    kind = rng.randrange(6)
    nh = 41
    if kind == 0:
        inner = echo(isrc, idst, rng.getrandbits(16), b"f" * rng.randrange(64))
    elif kind == 1:
        inner = bad_header(rng, isrc, idst)
    elif kind == 2:
        inner = chain(rng, isrc, idst)
    elif kind == 3:
        # nested: ESP of the same SA inside the tunnel, 1 to 6 deep
        inner = echo(isrc, idst, 7, b"n")
        for _ in range(rng.randrange(1, 7)):
            inner = ip6(src, dst, 50, esp(spi, seq, key, inner, 41))
    elif kind == 4:
        inner = echo(isrc, idst, 9, b"t")
        nh = rng.choice([4, 59, 58, 17, 0, rng.randrange(256)])
    else:
        inner = bad_header(rng, isrc, idst)
    return esp(spi, seq, key, inner, nh)


def plain(rng, args):
    src, dst, _, _, isrc, idst = args
    kind = rng.randrange(5)
    if kind == 0:
        return echo(isrc, idst, rng.getrandbits(16), b"p" * rng.randrange(64))
    if kind == 2:
        return chain(rng, isrc, idst)
    if kind == 3:
        inner = echo(isrc, idst, 11, b"n")
        for _ in range(rng.randrange(1, 7)):
            inner = ip6(src, dst, 41, inner)
        return inner
    return bad_header(rng, isrc, idst)


def main():
    a = sys.argv[1:]
    pton = lambda x: socket.inet_pton(socket.AF_INET6, x)
    args = (pton(a[0]), pton(a[1]), int(a[2], 0), bytes.fromhex(a[3][2:]),
            pton(a[4]), pton(a[5]))
    seq0, count = int(a[6], 0), int(a[7])
    seed = int(a[8], 0) if len(a) > 8 else 0x74756e
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 50 if args[2] else 41)
    s.bind((a[0], 0))
    for i in range(count):
        rng = random.Random(seed * 1000003 + i)
        if args[2]:
            s.sendto(packet(rng, args, seq0 + i), (a[1], 0))
        else:
            s.sendto(plain(rng, args), (a[1], 0))


if __name__ == "__main__":
    main()
