#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed and replayed ESP for esp.sh, crafted byte by byte (no scapy:
its import takes 10-20 s under emulation):

  esp_send.py malformed SRC DST SPI     four packets of next header 50 on
                                        a raw IPv6 socket: cut short (4
                                        bytes), an unknown SPI, SPI with a
                                        length no cipher block makes, SPI
                                        with a good length and garbage
  esp_send.py replay IFACE PCAP         every frame of the capture sent
                                        again as it is (AF_PACKET)
  esp_send.py ptb IFACE SMAC DMAC SRC DST udp|icmp6
                                        an ICMPv6 Packet Too Big (MTU 1280)
                                        in clear from SRC to DST, quoting a
                                        UDP datagram (ports 5000 to 6000) or
                                        an echo request DST sent to SRC
"""
import os
import socket
import struct
import sys


def malformed(src, dst, spi):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 50)
    s.bind((src, 0))
    spi = int(spi, 0)
    esp = struct.pack("!II", spi, 1)
    for pkt in (esp[:4],
                struct.pack("!II", 0x7777, 1) + bytes(40),
                esp + bytes(8 + 13 + 16),
                esp + os.urandom(8 + 16 + 16)):
        s.sendto(pkt, (dst, 0))


def replay(iface, path):
    data = open(path, "rb").read()
    off = 24
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        s.send(data[off + 16:off + 16 + incl])
        off += 16 + incl


def csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def ptb(iface, smac, dmac, src, dst, quoted):
    s6 = socket.inet_pton(socket.AF_INET6, src)
    d6 = socket.inet_pton(socket.AF_INET6, dst)
    if quoted == "udp":
        qpl, qnh = struct.pack("!HHHH", 5000, 6000, 16, 0) + bytes(8), 17
    else:
        qpl, qnh = struct.pack("!BBHHH", 128, 0, 0, 1, 1) + bytes(8), 58
    quote = struct.pack("!IHBB", 0x60000000, len(qpl), qnh, 64) + d6 + s6
    icmp = struct.pack("!BBHI", 2, 0, 0, 1280) + quote + qpl
    pseudo = s6 + d6 + struct.pack("!I", len(icmp)) + bytes([0, 0, 0, 58])
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp)) + icmp[4:]
    ip6 = struct.pack("!IHBB", 0x60000000, len(icmp), 58, 255) + s6 + d6
    eth = bytes.fromhex(dmac.replace(":", "")) + \
        bytes.fromhex(smac.replace(":", "")) + b"\x86\xdd"
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(eth + ip6 + icmp)


if __name__ == "__main__":
    if sys.argv[1] == "malformed":
        malformed(*sys.argv[2:5])
    elif sys.argv[1] == "ptb":
        ptb(*sys.argv[2:8])
    else:
        replay(*sys.argv[2:4])
