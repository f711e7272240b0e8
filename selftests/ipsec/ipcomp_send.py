#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The native side's helpers of ipcomp.sh, crafted byte by byte (no scapy:
its import takes 10-20 s under emulation):

  ipcomp_send.py echo PORT COUNT        a UDP echo server (prints "ready")
  ipcomp_send.py udp DST PORT SIZE zero|random
                                        one datagram of SIZE bytes, zeros
                                        or random ones; waits for the echo
                                        and prints "echo N bytes" (exit 1
                                        without one, or another payload)
  ipcomp_send.py malformed SRC DST CPI  whole IPv6 packets (IPPROTO_RAW),
                                        one of each: see MALFORMED
"""
import os
import random
import socket
import struct
import sys
import zlib


def deflate(data, wbits=-15):
    """Raw deflate (RFC 1951) of data, window 2^-wbits."""
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return c.compress(data) + c.flush()


def ipcomp(nh, cpi, body):
    return struct.pack("!BBH", nh, 0, cpi) + body


def ip6(src, dst, nh, payload):
    return (struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) +
            socket.inet_pton(socket.AF_INET6, src) +
            socket.inet_pton(socket.AF_INET6, dst) + payload)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def echo_request(src, dst):
    """An echo request whose data repeat 3000 bytes back: compressed with
    a 2^15 window, the stream refers farther back than Linux's own
    compressor (2^11) ever does."""
    r = random.Random(1)
    rnd = bytes(r.getrandbits(8) for _ in range(1000))
    body = struct.pack("!HH", 0x1234, 1) + rnd + bytes(2000) + rnd
    pseudo = (socket.inet_pton(socket.AF_INET6, src) +
              socket.inet_pton(socket.AF_INET6, dst) +
              struct.pack("!IxxxB", 8 + len(body), 58))
    c = csum(pseudo + struct.pack("!BBH", 128, 0, 0) + body)
    return struct.pack("!BBH", 128, 0, c) + body


# Destination Options header of 8 bytes (PadN) naming next header nh
def dstopts(nh):
    return struct.pack("!BBBB", nh, 0, 1, 4) + bytes(4)


def malformed(src, dst, cpi):
    """In order, with the counter each must move on the KAME host:
    cut short (in_inval), an unknown CPI (in_nosa), not deflate
    (in_compfail), a bomb of 200000 zeros (in_compfail), bytes after the
    stream's end (in_compfail), half a stream (in_compfail), IPComp in
    IPComp (in_inval), behind 8 bytes of destination options a stream of
    65528 bytes, one more than the IPv6 payload length can say
    (in_compfail), and of 65527, exactly what it can (in_success), an
    echo request compressed with a 2^15 window (in_success, answered)."""
    cpi = int(cpi, 0)
    other = 0x7777 if cpi != 0x7777 else 0x7778
    text = bytes(range(256)) * 4
    z = deflate(text)
    pkts = [
        (108, ipcomp(59, cpi, b"")[:3]),
        (108, ipcomp(59, other, z)),
        (108, ipcomp(59, cpi, b"\xff" * 16)),
        (108, ipcomp(59, cpi, deflate(bytes(200000)))),
        (108, ipcomp(59, cpi, z + b"xx")),
        (108, ipcomp(59, cpi, z[:len(z) // 2])),
        (108, ipcomp(108, cpi, z)),
        (60, dstopts(108) + ipcomp(59, cpi, deflate(bytes(65528)))),
        (60, dstopts(108) + ipcomp(59, cpi, deflate(bytes(65527)))),
        (108, ipcomp(58, cpi, deflate(echo_request(src, dst)))),
    ]
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for nh, payload in pkts:
        s.sendto(ip6(src, dst, nh, payload), (dst, 0))


def udp(dst, port, size, kind):
    data = bytes(int(size)) if kind == "zero" else os.urandom(int(size))
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(data, (dst, int(port)))
    try:
        got = s.recv(65536)
    except socket.timeout:
        print("no echo")
        return 1
    print("echo %d bytes%s" % (len(got), "" if got == data else " (differs)"))
    return 0 if got == data else 1


def echo(port, count):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", int(port)))
    print("ready", flush=True)
    for _ in range(int(count)):
        data, peer = s.recvfrom(65536)
        print("from %s %d bytes" % (peer[0], len(data)), flush=True)
        s.sendto(data, peer)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "echo":
        echo(*sys.argv[2:4])
    elif cmd == "udp":
        sys.exit(udp(*sys.argv[2:6]))
    else:
        malformed(*sys.argv[2:5])
