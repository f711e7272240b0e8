#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the target kernel with virtme-ng (qemu, no KVM needed) with this
# tree visible inside, and run the test suite, the demo or the benchmarks
# in it.
#   scripts/vm-run.sh check KVER [PATTERN]
#   scripts/vm-run.sh demo KVER
#   scripts/vm-run.sh bench KVER
#   scripts/vm-run.sh deb KVER     (scripts/deb-check.sh: the packages)
# The last line of `check` is "N passed, N failed[, N skipped]"; the exit
# status is non-zero on any failure, on a VM that does not boot and on a
# module that does not load. `bench` ends with the table of
# build/bench/table.txt (also build/bench/results.json) and fails only
# when a run could not be executed.
#
# FUZZ_N, FUZZ_SEED, FUZZ_BUDGET, DIFF_N, LINK_FUZZ_N and LINK_FUZZ_SEED
# reach the fuzzers
# (selftests/fuzz/) in the guest; KAME_KO (the module to load; KAME_PTEST_KO and
# KAME_GIF_KO, KAME_STF_KO and KAME_IPSEC_KO the test module and the
# family's other modules), KAME_TEST_TIMEOUT (seconds
# per test), KAME_DEBUG_KERNEL (the sanitizer kernel's tree) and
# KAME_SHARD (I/N: this VM's share of the tests) reach selftests/run.sh
# (KAME_GIF_KO also scripts/bench.sh, and KAME_IPSEC_KO, kame_ipsec.ko;
# KAME_KO, KAME_GIF_KO and KAME_STF_KO scripts/demo.sh).
# The VM is emulated (qemu TCG); KAME_VM_KVM=1 uses KVM where /dev/kvm
# can be opened. VNG_OPTS is added to the vng
# command line (e.g. VNG_OPTS="--cpus 4" overrides the 2 vCPUs).
set -u
mode=$1
kver=$2
pattern=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/vm
[ "$mode" = bench ] && out=$top/build/bench
[ "$mode" = deb ] && out=$top/build/deb-vm
# KAME_VM_OUT: another directory for the results (VMs side by side)
out=${KAME_VM_OUT:-$out}
timeout_s=${KAME_VM_TIMEOUT:-3600}
# KAME_VM_KERNEL: another kernel to boot, an image or a built tree (make
# check-debug: the sanitizer kernel of scripts/debug-kernel.sh)
kernel=${KAME_VM_KERNEL:-/boot/vmlinuz-$kver}
memory=${KAME_VM_MEMORY:-2G}

if [ ! -e "$kernel" ]; then
	echo "Error: no kernel image $kernel" >&2
	exit 1
fi
case $mode in
check)
	guest="bash $top/selftests/run.sh $out '$pattern'"
	for v in V FUZZ_N FUZZ_SEED FUZZ_BUDGET DIFF_N LINK_FUZZ_N LINK_FUZZ_SEED KAME_KO KAME_PTEST_KO KAME_GIF_KO KAME_STF_KO KAME_IPSEC_KO KAME_TEST_TIMEOUT KAME_DEBUG_KERNEL KAME_SHARD; do
		[ -n "${!v:-}" ] && guest="$v='${!v}' $guest"
	done
	;;
demo)
	guest="bash $top/scripts/demo.sh"
	for v in KAME_KO KAME_GIF_KO KAME_STF_KO; do
		[ -n "${!v:-}" ] && guest="$v='${!v}' $guest"
	done
	;;
deb) guest="bash $top/scripts/deb-test.sh $top/build/deb $out" ;;
bench)
	guest="bash $top/scripts/bench.sh $out"
	for v in ROUNDS SECS SLICE RTTS PINGS BURST ONLY PROFILE RXN RT_SIZES RT_LOOKUPS FLOWS ESP_ALGS; do
		eval "val=\${KAME_BENCH_$v:-}"
		[ -n "$val" ] && guest="KAME_BENCH_$v='$val' $guest"
	done
	for v in KAME_GIF_KO KAME_IPSEC_KO; do
		[ -n "${!v:-}" ] && guest="$v='${!v}' $guest"
	done
	;;
*) echo "Error: unknown mode \"$mode\"" >&2; exit 1 ;;
esac

# `check` boots with the slab and page debugging Debian's kernels support:
# red zones, poisoning and consistency checks on every slab cache
# (slub_debug=FZPU) and poisoned free pages (page_poison=1). run.sh checks
# that they are on and fails the run on any report they make. The demo and
# the benchmarks run without (the checks cost time, not correctness).
# The sanitizer kernel of make check-debug has KASAN instead.
sanitize=()
[ "$mode" = check ] && [ -z "${KAME_DEBUG_KERNEL:-}" ] && sanitize=(--append "slub_debug=FZPU" --append "page_poison=1")

# boot ACCEL: one VM run, its output on the terminal and in console.log.
# vng needs a standard input that is open (it crashes on a closed one) and
# scrambles a redirected stdout, so it gets /dev/null and a pipe. A KVM
# that cannot run the guest (seen on nested hosts: "KVM internal error.
# Suberror: 1 ... emulation failure", after which qemu hangs) is stopped
# as soon as it says so: status 125. `timeout` leads its own process
# group, vng and qemu included.
boot() {
	local tee_pid

	rm -rf "$out"
	mkdir -p "$out"
	(
		# shellcheck disable=SC2086
		timeout --kill-after=30 "$timeout_s" \
			vng --run "$kernel" $1 --cpus 2 --memory "$memory" "${sanitize[@]}" ${VNG_OPTS:-} \
			--rwdir="$out=$out" --exec "$guest" </dev/null 2>&1 &
		echo $! >"$out.pid"
		wait $!
		echo $? >"$out.rc"
	) | tee "$out/console.log" &
	tee_pid=$!
	while kill -0 "$tee_pid" 2>/dev/null; do
		if grep -qs '^KVM internal error' "$out/console.log"; then
			kill -- "-$(cat "$out.pid")" 2>/dev/null
			wait "$tee_pid"
			return 125
		fi
		sleep 2
	done
	wait "$tee_pid"
	return "$(cat "$out.rc" 2>/dev/null || echo 1)"
}

# Emulation unless KAME_VM_KVM=1 asks for KVM and /dev/kvm can be opened.
# Not by default: a /dev/kvm that opens is no proof that KVM runs the guest
# (on a nested host here it booted nothing for 15 minutes, or died with an
# emulation failure and hung).
engine="qemu TCG emulation"
if [ "${KAME_VM_KVM:-0}" = 1 ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	engine=KVM
	boot ""
	rc=$?
	if [ $rc = 125 ]; then
		echo "vm-run: KVM cannot run the guest on this host: again under emulation"
		engine="qemu TCG emulation"
	fi
fi
if [ "$engine" != KVM ]; then
	boot --disable-kvm
	rc=$?
fi
rm -f "$out.pid" "$out.rc"

[ "$mode" = demo ] && exit "$rc"
if [ "$mode" = deb ]; then
	grep -q '^== deb-test done' "$out/console.log" && exit 0
	echo "Error: the package test failed (vng exit $rc); see $out/console.log"
	exit 1
fi
if [ "$mode" = bench ]; then
	if [ ! -s "$out/table.txt" ]; then
		echo "Error: the benchmark run died (vng exit $rc); see $out/console.log"
		exit 1
	fi
	echo
	echo "KAME/native: ratio of the medians; every cell is median [min..max]"
	echo "of alternating runs ($engine, $(nproc) host CPUs)."
	cat "$out/table.txt"
	echo "JSON: $out/results.json"
	[ -s "$out/profile.txt" ] && echo "Profiles: $out/profile.txt"
	exit "$rc"
fi

if [ ! -s "$out/summary" ]; then
	echo "Error: the VM did not boot or the test run died (vng exit $rc); see $out/console.log"
	echo "0 passed, 1 failed"
	exit 1
fi
read -r pass fail skip <"$out/summary"
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ] && [ "$rc" -eq 0 ]
