#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The wire between two tun devices in two network namespaces: every
packet read from one is written to the other, unchanged, until SIGTERM;
then prints "relayed A2B B2A" (packets each way).

    tun_relay.py NETNS_A DEV_A NETNS_B DEV_B
"""
import os
import select
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tundev  # noqa: E402


def main():
    flags = tundev.IFF_TUN | tundev.IFF_NO_PI
    a = tundev.open_in(sys.argv[1], sys.argv[2], flags)
    b = tundev.open_in(sys.argv[3], sys.argv[4], flags)
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
