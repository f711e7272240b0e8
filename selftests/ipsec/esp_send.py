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


if __name__ == "__main__":
    if sys.argv[1] == "malformed":
        malformed(*sys.argv[2:5])
    else:
        replay(*sys.argv[2:4])
