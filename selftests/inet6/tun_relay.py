#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The wire between two tun devices in two network namespaces: every
packet read from one is written to the other, unchanged, until SIGTERM;
then prints "relayed A2B B2A" (packets each way).

    tun_relay.py NETNS_A DEV_A NETNS_B DEV_B
"""
import ctypes
import fcntl
import os
import select
import signal
import struct
import sys

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
libc = ctypes.CDLL(None, use_errno=True)


def tun_in(netns, dev):
    """Open DEV, an existing tun device of NETNS, from inside NETNS."""
    ns = os.open(f"/run/netns/{netns}", os.O_RDONLY)
    if libc.setns(ns, CLONE_NEWNET) != 0:
        sys.exit(f"Error: setns {netns}: {os.strerror(ctypes.get_errno())}")
    os.close(ns)
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF,
                struct.pack("16sH", dev.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    a = tun_in(sys.argv[1], sys.argv[2])
    b = tun_in(sys.argv[3], sys.argv[4])
    peer, count = {a: b, b: a}, {a: 0, b: 0}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print("ready", flush=True)
    while not stop:
        try:
            ready, _, _ = select.select([a, b], [], [], 0.2)
        except InterruptedError:
            continue
        for fd in ready:
            os.write(peer[fd], os.read(fd, 65535))
            count[fd] += 1
    print(f"relayed {count[a]} {count[b]}", flush=True)


if __name__ == "__main__":
    main()
