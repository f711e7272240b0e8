#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build, once, the sanitizer kernel `make check-debug` boots: Debian's
# linux-source-6.1 with KASAN, KMEMLEAK, PROVE_LOCKING (lockdep, PROVE_RCU)
# and DEBUG_ATOMIC_SLEEP on top of virtme-ng's minimal configuration, with
# the crypto algorithms, the asynchronous wrappers (pcrypt and cryptd, as
# modules: the IPsec selftests load and unload them) and the XFRM peer
# the IPsec selftests use.
#   scripts/debug-kernel.sh DIR
# The tree goes to DIR/linux (bzImage, build tree for M= modules); a
# second run only rebuilds what changed (seconds). About 25 minutes of
# both CPUs of a 2-core machine from clean, 40 when the machine is shared.
# Prints the tree's path on its last line.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mkdir -p "$1" && cd "$1" && pwd)
tree=$dir/linux
log=$dir/build.log

if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	need=""
	for p in linux-source-6.1 flex bison libelf-dev dwarves rsync bc libssl-dev; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || need="$need $p"
	done
	if [ -n "$need" ]; then
		echo "debug-kernel: installing$need"
		# shellcheck disable=SC2086
		apt-get -q -o DPkg::Lock::Timeout=600 install -y \
			--no-install-recommends $need >/dev/null
	fi
fi
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [ -z "$tarball" ]; then
	echo "Error: no /usr/src/linux-source-6.1.tar.xz (apt-get install linux-source-6.1)" >&2
	exit 1
fi

if [ ! -f "$tree/Makefile" ]; then
	echo "debug-kernel: extracting $tarball"
	rm -rf "$dir/linux-source-6.1" "$tree"
	tar -C "$dir" -xJf "$tarball"
	mv "$dir/linux-source-6.1" "$tree"
fi

# Linux's padata (under pcrypt) nests a serial queue's lock inside a
# reorder list's, both of one lockdep class: lockdep reports recursive
# locking and switches itself off for the rest of the run. A class of
# their own for the serial queues' locks (a lockdep annotation only).
if ! grep -q padata_serial_lock_key "$tree/kernel/padata.c"; then
	echo "debug-kernel: annotating kernel/padata.c for lockdep"
	patch -s -d "$tree" -p1 <"$here/debug-kernel-padata.patch" || {
		echo "Error: scripts/debug-kernel-padata.patch does not apply to $tree" >&2
		exit 1
	}
fi

# The configuration: vng's own (virtio, 9p, overlayfs), then ours. Only
# written when the fragment changes, so that a cached tree is not rebuilt.
frag=$dir/debug.config
cat >"$frag.new" <<'EOF'
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
CONFIG_DEBUG_KMEMLEAK=y
# CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF is not set
# CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN is not set
CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE=65536
CONFIG_PROVE_LOCKING=y
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_DEBUG_LIST=y
CONFIG_DEBUG_INFO_NONE=y
# CONFIG_DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT is not set
# CONFIG_WERROR is not set
# CONFIG_DRM is not set
# CONFIG_SOUND is not set
# CONFIG_KVM is not set
CONFIG_NET=y
CONFIG_INET=y
CONFIG_IPV6=y
CONFIG_NET_NS=y
CONFIG_USER_NS=y
CONFIG_VETH=y
CONFIG_MACVLAN=y
CONFIG_NET_IPIP=y
CONFIG_IPV6_TUNNEL=y
CONFIG_DUMMY=y
CONFIG_TUN=y
CONFIG_BRIDGE=y
CONFIG_PACKET=y
CONFIG_UNIX=y
CONFIG_NET_SCHED=y
CONFIG_NET_CLS_ACT=y
CONFIG_NET_SCH_INGRESS=y
CONFIG_NET_CLS_BPF=y
CONFIG_NET_CLS_U32=y
CONFIG_NET_CLS_MATCHALL=y
CONFIG_NET_ACT_GACT=y
CONFIG_NET_SCH_NETEM=y
CONFIG_NET_SCH_TBF=y
CONFIG_NET_IPGRE_DEMUX=y
CONFIG_NET_IPGRE=y
CONFIG_IPV6_SIT=y
CONFIG_NETFILTER=y
CONFIG_CRYPTO=y
CONFIG_VIRTIO=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_CONSOLE=y
CONFIG_VIRTIO_NET=y
CONFIG_NET_9P=y
CONFIG_NET_9P_VIRTIO=y
CONFIG_9P_FS=y
CONFIG_9P_FS_POSIX_ACL=y
CONFIG_OVERLAY_FS=y
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_CRYPTO_AES=y
CONFIG_CRYPTO_GCM=y
CONFIG_CRYPTO_GHASH=y
CONFIG_CRYPTO_SEQIV=y
CONFIG_CRYPTO_ECHAINIV=y
CONFIG_CRYPTO_AUTHENC=y
CONFIG_CRYPTO_CBC=y
CONFIG_CRYPTO_CTR=y
CONFIG_CRYPTO_CHACHA20POLY1305=y
CONFIG_CRYPTO_HMAC=y
CONFIG_CRYPTO_XCBC=y
CONFIG_CRYPTO_MD5=y
CONFIG_CRYPTO_SHA1=y
CONFIG_CRYPTO_SHA256=y
CONFIG_CRYPTO_SHA512=y
CONFIG_CRYPTO_RMD160=y
CONFIG_CRYPTO_DES=y
CONFIG_CRYPTO_BLOWFISH=y
CONFIG_CRYPTO_CAST5=y
CONFIG_CRYPTO_DEFLATE=y
CONFIG_CRYPTO_PCRYPT=m
CONFIG_CRYPTO_CRYPTD=m
CONFIG_XFRM_USER=y
CONFIG_INET6_ESP=y
CONFIG_INET6_AH=y
CONFIG_INET6_IPCOMP=y
EOF
cd "$tree"
if ! cmp -s "$frag.new" "$frag" || [ ! -f .config ]; then
	echo "debug-kernel: configuring"
	vng --kconfig >/dev/null 2>&1 </dev/null
	./scripts/kconfig/merge_config.sh -m .config "$frag.new" >/dev/null
	make olddefconfig >/dev/null
	mv "$frag.new" "$frag"
else
	rm -f "$frag.new"
fi
for opt in KASAN DEBUG_KMEMLEAK PROVE_LOCKING DEBUG_ATOMIC_SLEEP; do
	if ! grep -q "^CONFIG_$opt=y" .config; then
		echo "Error: CONFIG_$opt did not survive olddefconfig" >&2
		exit 1
	fi
done

echo "debug-kernel: building $tree (log: $log)"
if ! nice make -j"$(nproc)" bzImage modules >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	echo "Error: the debug kernel did not build; see $log" >&2
	exit 1
fi
echo "$tree"
