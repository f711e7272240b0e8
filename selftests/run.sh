#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM: load the modules from the build tree, run every
# selftest (kselftest TAP), unload, audit the kernel log, and write
# "PASS FAIL SKIP" to OUT/summary.
#   selftests/run.sh OUT [PATTERN[,PATTERN...]]
set -u
out=$1
pattern=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
export KAME_TOP=$top
export KAME_KO=${KAME_KO:-$top/kmod/core/kame.ko}
test_timeout=${KAME_TEST_TIMEOUT:-900}
# the sanitizer kernel runs everything about ten times slower: the shell
# tests' waits (lib.sh) and the C tests' per-case limits (kame_harness.h)
# grow by this factor
[ -n "${KAME_DEBUG_KERNEL:-}" ] && export KAME_TIME_SCALE=${KAME_TIME_SCALE:-10}
export PATH=$top/build/bin:$PATH
pass=0 fail=0 skip=0 n=0
failed=()	# "test: case" of every failure, repeated at the end of the run

result() {	# result ok|fail|skip DESCRIPTION
	n=$((n + 1))
	case $1 in
	ok) pass=$((pass + 1)); echo "ok $n $2" ;;
	skip) skip=$((skip + 1)); echo "ok $n $2 # SKIP" ;;
	*) fail=$((fail + 1)); failed+=("$2"); echo "not ok $n $2" ;;
	esac
}

finish() {
	local c

	echo "$pass $fail $skip" >"$out/summary"
	[ -s "$out/times" ] && echo "# slowest tests (s): $(sort -rn "$out/times" | head -n 5 | tr '\n' ' ')"
	# The failures again, so that the tail of a long log names them.
	for c in "${failed[@]}"; do
		echo "# FAILED: $c"
	done
	echo "# Totals: pass:$pass fail:$fail skip:$skip"
	exit $((fail ? 1 : 0))
}

# Count the cases of one test's output: shell tests print net/lib.sh
# "TEST: ... [ OK ]" lines, C tests kselftest_harness TAP lines.
count_cases() {
	local log=$1 p f s
	p=$(grep -cE '^TEST: .*\[ OK \]$|^ok [0-9]+ [^#]*$' "$log")
	f=$(grep -cE '^TEST: .*\[(FAIL|XFAIL)\]$|^not ok [0-9]+ ' "$log")
	s=$(grep -cE '^TEST: .*\[SKIP\]$|^ok [0-9]+ .*# SKIP' "$log")
	echo "$p $f $s"
}

# The failed cases of one test's output, one per line, each with the
# reason the shell tests print on the line after their [FAIL].
failed_cases() {
	awk '
		function flush() { if (c != "") print c; c = "" }
		/^TEST: .*\[X?FAIL\]$/ {
			flush(); c = $0
			sub(/^TEST: /, "", c); sub(/ +\[X?FAIL\]$/, "", c)
			next
		}
		/^\t/ && c != "" { r = $0; sub(/^\t+/, "", r); c = c " (" r ")"; flush(); next }
		{ flush() }
		/^not ok [0-9]+ / { sub(/^not ok [0-9]+ /, ""); print }
		END { flush() }' "$1"
}

echo "TAP version 13"
: >"$out/times"
export KAME_CASE_TIMES=$out/case_times	# lib.sh: seconds per case
export KAME_OUT=$out	# the results directory, writable from the guest
: >"$KAME_CASE_TIMES"
echo "# kernel $(uname -r)"
echo "kame-selftests: start" >/dev/kmsg
dmesg_start=$(dmesg | grep -n 'kame-selftests: start' | tail -n 1 | cut -d: -f1)

# The sanitizer boot of scripts/vm-run.sh: every slab cache checked and
# red-zoned (the kmalloc caches are where the stack's objects and packet
# data live), free pages poisoned. Or, with make check-debug, the
# sanitizer kernel: KASAN, kmemleak, lockdep and the atomic-sleep check.
kmemleak=/sys/kernel/debug/kmemleak
if [ -n "${KAME_DEBUG_KERNEL:-}" ]; then
	san="debug kernel with KASAN, kmemleak, lockdep (PROVE_LOCKING) and DEBUG_ATOMIC_SLEEP"
	[ -e "$kmemleak" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	ok=1
	for o in KASAN DEBUG_KMEMLEAK PROVE_LOCKING DEBUG_ATOMIC_SLEEP; do
		grep -q "^CONFIG_$o=y" "$KAME_DEBUG_KERNEL/.config" || ok=0
	done
	if [ $ok = 1 ] && dmesg | grep -q 'KernelAddressSanitizer initialized' &&
	   [ -e /proc/lockdep ] && [ -w "$kmemleak" ]; then
		# what the kernel held before the module came is not ours
		echo scan >"$kmemleak"
		echo clear >"$kmemleak"
		result ok "kame: $san"
	else
		echo "# config $KAME_DEBUG_KERNEL/.config, kmemleak $(ls -l $kmemleak 2>&1)"
		result fail "kame: $san"
	fi
else
	san="slab debugging on (slub_debug=FZPU page_poison=1)"
	if grep -qw 'slub_debug=FZPU' /proc/cmdline &&
	   [ "$(cat /sys/kernel/slab/kmalloc-64/sanity_checks 2>/dev/null)" = 1 ] &&
	   [ "$(cat /sys/kernel/slab/kmalloc-64/red_zone 2>/dev/null)" = 1 ] &&
	   [ "$(cat /sys/kernel/slab/kmalloc-64/poison 2>/dev/null)" = 1 ]; then
		result ok "kame: $san"
	else
		echo "# /proc/cmdline: $(cat /proc/cmdline)"
		result fail "kame: $san"
	fi
fi

if insmod "$KAME_KO" 2>"$out/insmod.err"; then
	result ok "kame: module loads"
else
	echo "# $(cat "$out/insmod.err")"
	dmesg | tail -n 5 | sed 's/^/# /'
	result fail "kame: module loads"
	finish
fi

tests=$( (cd "$top/selftests" && ls */*.sh) ; (cd "$top/build/selftests" 2>/dev/null && find . -type f -perm -u+x | sed 's|^\./||') )
selected=()
for t in $(echo "$tests" | sort); do
	if [ -n "$pattern" ]; then	# comma-separated globs
		m=0
		for p in ${pattern//,/ }; do
			[[ $t == *$p* ]] && m=1
		done
		[ $m = 1 ] || continue
	fi
	selected+=("$t")
done

# KAME_SHARD=I/N (make check-debug runs N VMs side by side): this VM's
# share of the tests, the longest first to the least loaded share, by the
# seconds each took in the last make check (build/vm/times; 60 for a test
# it does not name). Every VM computes the same split.
if [ -n "${KAME_SHARD:-}" ] && [ ${#selected[@]} -gt 0 ]; then
	mapfile -t selected < <(printf '%s\n' "${selected[@]}" |
		awk -v shard="$KAME_SHARD" -v times="$top/build/vm/times" '
		BEGIN {
			split(shard, s, "/")
			while ((getline l < times) > 0) { split(l, f, " "); w[f[2]] = f[1] }
		}
		{ n++; name[n] = $1; wt[n] = ($1 in w) ? w[$1] : 60 }
		END {
			for (i = 1; i <= n; i++)	# longest first (stable)
				for (j = i + 1; j <= n; j++)
					if (wt[j] > wt[i]) {
						t = wt[i]; wt[i] = wt[j]; wt[j] = t
						t = name[i]; name[i] = name[j]; name[j] = t
					}
			for (i = 1; i <= n; i++) {
				b = 0
				for (k = 1; k < s[2]; k++)
					if (load[k] < load[b]) b = k
				load[b] += wt[i]
				if (b == s[1]) print name[i]
			}
		}' | sort)
	echo "# shard $KAME_SHARD: ${#selected[@]} tests"
fi

for t in "${selected[@]}"; do
	if [ -e "$top/selftests/$t" ]; then
		cmd=(bash "$top/selftests/$t")
	else
		cmd=("$top/build/selftests/$t")
	fi
	echo "# selftests: kame: $t"
	log=$(mktemp)
	t0=$SECONDS
	(cd "$top/selftests" && KAME_TEST_NAME=$t timeout "$test_timeout" "${cmd[@]}") >"$log" 2>&1
	rc=$?
	sed 's/^/# /' "$log"
	# how long each test took: what to make faster when the run is long
	echo "# $t: $((SECONDS - t0)) s"
	echo "$((SECONDS - t0)) $t" >>"$out/times"
	read -r p f s < <(count_cases "$log")
	while IFS= read -r c; do
		failed+=("$t: $c")
	done < <(failed_cases "$log")
	rm -f "$log"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		result fail "$t exited $rc"
	elif [ $((p + f + s)) -eq 0 ]; then
		result fail "$t reported no test case"
	fi
done

# kmemleak (make check-debug): objects unreferenced for 5 s, found while
# the module is loaded (its symbols name the allocation) and once more
# after rmmod (what its exit path left).
kmemleak_scan() {
	sleep 6
	echo scan >"$kmemleak"
	cat "$kmemleak" >>"$out/kmemleak.log"
}
if [ -n "${KAME_DEBUG_KERNEL:-}" ] && [ -w "$kmemleak" ]; then
	: >"$out/kmemleak.log"
	kmemleak_scan
fi

if ! [ -d /sys/module/kame ]; then
	result fail "kame: still loaded at the end of the run"
elif rmmod kame 2>"$out/rmmod.err" && ! [ -d /sys/module/kame ]; then
	result ok "kame: rmmod"
else
	echo "# $(cat "$out/rmmod.err")"
	result fail "kame: rmmod"
fi

if [ -n "${KAME_DEBUG_KERNEL:-}" ] && [ -w "$kmemleak" ]; then
	kmemleak_scan
	if grep -q unreferenced "$out/kmemleak.log"; then
		sed 's/^/# /' "$out/kmemleak.log" | head -n 60
		result fail "kame: kmemleak finds no leak ($(grep -c unreferenced "$out/kmemleak.log") reports, $out/kmemleak.log)"
	else
		result ok "kame: kmemleak finds no leak"
	fi
fi

# Audit the kernel log of the whole run: besides BUG, WARNING and Oops
# lines, the reports of the slab and page checkers ("BUG kmalloc-64 ...:
# Left Redzone overwritten", "Poison overwritten", "Object padding
# overwritten", "Freepointer corrupt", "pagealloc: memory corruption").
dmesg | tail -n +"${dmesg_start:-1}" >"$out/dmesg.log"
audit="BUG|WARNING|Oops|general protection|refcount|leak|unregister_netdevice: waiting|Call Trace"
audit="$audit|Redzone|Poison overwritten|Object padding|Padding overwritten|Freepointer|corrupt|soft lockup|hung task"
what="kernel log has no BUG, WARNING, Oops, slab or page corruption, refcount or leak line"
if grep -E "$audit" "$out/dmesg.log" >"$out/dmesg.bad"; then
	sed 's/^/# /' "$out/dmesg.bad" | head -n 40
	result fail "kame: $what"
else
	result ok "kame: $what"
fi
finish
