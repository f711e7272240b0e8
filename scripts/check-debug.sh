#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the whole suite, and a fuzz run of FUZZ_N packets
# (200,000 by default), on the sanitizer kernel of scripts/debug-kernel.sh
# (KASAN, kmemleak, lockdep, DEBUG_ATOMIC_SLEEP), with a kmemleak scan
# before and after rmmod. The kernel is built once under
# build/debug-kernel/ (about half an hour); the module is built from a
# copy of the sources in build/debug-mod/, so that the objects of the
# stock kernel's build in the tree stay as they are.
#   scripts/check-debug.sh [PATTERN]
# Ends with "N passed, N failed" like make check; not part of .ci/run (a
# run takes hours under emulation).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pattern=${1:-}
tree=$("$top/scripts/debug-kernel.sh" "$top/build/debug-kernel" | tail -n 1)
[ -f "$tree/arch/x86/boot/bzImage" ] || { echo "Error: no debug kernel in $tree" >&2; exit 1; }

mod=$top/build/debug-mod
mkdir -p "$mod"
# copy_src SRC... DST: sources only, without the stock build's objects
copy_src() {
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod*' "$@"
}
copy_src "$top/Kbuild" "$top/kmod" "$top/uapi" "$mod/"
make -C "$tree" M="$mod" modules >"$mod/build.log" 2>&1 ||
	{ tail -n 20 "$mod/build.log" >&2; exit 1; }
# the test modules (selftests/kmod/), against that kame.ko
mkdir -p "$mod/selftests/kmod"
copy_src "$top/selftests/kmod/" "$mod/selftests/kmod/"
make -C "$tree" M="$mod/selftests/kmod" \
	KBUILD_EXTRA_SYMBOLS="$mod/Module.symvers" modules >>"$mod/build.log" 2>&1 ||
	{ tail -n 20 "$mod/build.log" >&2; exit 1; }

# Under KASAN and lockdep everything runs several times slower: the
# per-test limit and the fuzzer's budget grow to match.
export KAME_VM_KERNEL=$tree
export KAME_DEBUG_KERNEL=$tree
export KAME_KO=$mod/kmod/core/kame.ko
export KAME_PTEST_KO=$mod/selftests/kmod/kame_ptest.ko
export KAME_GIF_KO=$mod/kmod/gif/kame_gif.ko
export KAME_STF_KO=$mod/kmod/stf/kame_stf.ko
export KAME_IPSEC_KO=$mod/kmod/ipsec/kame_ipsec.ko
export KAME_VM_MEMORY=${KAME_VM_MEMORY:-3G}
export KAME_TEST_TIMEOUT=${KAME_TEST_TIMEOUT:-5400}
export KAME_VM_TIMEOUT=${KAME_VM_TIMEOUT:-36000}
export FUZZ_N=${FUZZ_N:-200000}
export FUZZ_BUDGET=${FUZZ_BUDGET:-5200}

# One VM with two vCPUs on an otherwise idle host. The sanitizer kernel
# boots in about 4.5 minutes under emulation, 100 s of it udev's coldplug,
# and virtme-init gives up ("cannot find script I/O ports") when udev does
# not settle within its 120 s: two one-vCPU VMs side by side, or any other
# load on the host, make it miss that limit. KAME_DEBUG_SHARDS=N still runs
# N one-vCPU VMs, each with its share of the tests (selftests/run.sh,
# KAME_SHARD), results in build/vm-debug-I/: each boots once the one
# before has loaded the module (or after 15 minutes), so that no two boot
# at once; most tests wait on timers more than they compute, so two
# shards on two CPUs take little more than half the time.
shards=${KAME_DEBUG_SHARDS:-1}
if [ "$shards" -le 1 ]; then
	KAME_VM_OUT=$top/build/vm-debug exec "$top/scripts/vm-run.sh" check debug "$pattern"
fi
pids=()
# wait_booted I: until shard I's guest has loaded the module, or died
wait_booted() {
	local log=$top/build/vm-debug-$1/console.log t
	for ((t = 0; t < 900; t += 5)); do
		grep -qs 'kame: module loads$' "$log" && return
		kill -0 "${pids[$1]}" 2>/dev/null || return
		sleep 5
	done
}
for ((i = 0; i < shards; i++)); do
	[ "$i" -gt 0 ] && wait_booted $((i - 1))
	KAME_SHARD=$i/$shards KAME_VM_OUT=$top/build/vm-debug-$i \
		VNG_OPTS="--cpus 1 ${VNG_OPTS:-}" \
		"$top/scripts/vm-run.sh" check debug "$pattern" \
		>"$top/build/vm-debug-$i.log" 2>&1 &
	pids+=($!)
done
rc=0
for p in "${pids[@]}"; do
	wait "$p" || rc=1
done
pass=0 fail=0 skip=0
for ((i = 0; i < shards; i++)); do
	log=$top/build/vm-debug-$i.log
	grep -E '^(not ok|# FAILED|# slowest|# shard)' "$log" | sed "s/^/[shard $i] /"
	if [ -s "$top/build/vm-debug-$i/summary" ]; then
		read -r p f s <"$top/build/vm-debug-$i/summary"
	else
		echo "[shard $i] Error: the VM did not boot or the run died; see $log"
		p=0 f=1 s=0
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ] && [ "$rc" -eq 0 ]
