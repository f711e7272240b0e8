# SPDX-License-Identifier: GPL-2.0
"""What the Python helpers of the selftests share about tun/tap devices:
open an existing one of a network namespace from inside that namespace
(selftests/inet6/tun_relay.py, selftests/fuzz/gso_fuzz.py)."""
import ctypes
import fcntl
import os
import struct
import sys

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
IFF_VNET_HDR = 0x4000
_libc = ctypes.CDLL(None, use_errno=True)


def open_in(netns, dev, flags):
    """Enter NETNS, open DEV (an existing tun or tap device there, FLAGS
    as TUNSETIFF takes them) and return its file descriptor. The process
    stays in NETNS."""
    ns = os.open(f"/run/netns/{netns}", os.O_RDONLY)
    if _libc.setns(ns, CLONE_NEWNET) != 0:
        sys.exit(f"Error: setns {netns}: {os.strerror(ctypes.get_errno())}")
    os.close(ns)
    fd = os.open("/dev/net/tun", os.O_RDWR)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", dev.encode(), flags))
    except OSError as e:
        sys.exit(f"Error: {dev} in {netns}: {e.strerror}")
    return fd
