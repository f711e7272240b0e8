#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""AH packets for ah.sh, taken from a capture of the native host's own
(Linux's XFRM computed their ICVs) and sent again on a link from
AF_PACKET, as they are or with one field changed (no scapy: its import
takes 10-20 s under emulation):

  ah_send.py IFACE PCAP asis       the first frame as it was captured
  ah_send.py IFACE PCAP mutable    its hop limit, traffic class and flow
                                   label changed (fields AH's ICV takes
                                   as zeros: it still verifies)
  ah_send.py IFACE PCAP payload    the last byte of its payload flipped
                                   (the ICV covers it: it fails)
"""
import socket
import struct
import sys

ETH = 14	# the frame's Ethernet header, then IPv6


def first_frame(path):
    data = open(path, "rb").read()
    off = 24	# pcap file header, then record header and frame
    if off + 16 > len(data):
        sys.exit("Error: no frame in " + path)
    incl = struct.unpack("<I", data[off + 8:off + 12])[0]
    return bytearray(data[off + 16:off + 16 + incl])


def main():
    iface, path, how = sys.argv[1:4]
    f = first_frame(path)
    if how == "mutable":
        # version 6, traffic class 0xb8, flow label 0x12345; hop limit 3
        f[ETH:ETH + 4] = struct.pack("!I", 0x6b812345)
        f[ETH + 7] = 3
    elif how == "payload":
        f[-1] ^= 0x01
    elif how != "asis":
        sys.exit("Error: asis, mutable or payload, not " + how)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    s.send(bytes(f))


if __name__ == "__main__":
    main()
