#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo as a new user runs it: from an untouched clone of this tree
# (what is committed), so that a demo that needs something only make
# check or make bench builds fails here. .ci/run calls it after make check.
# The demo's output goes to build/demo-check.log.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
log=$top/build/demo-check.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$top/build"
git clone -q "$top" "$tmp/kame" || exit 1
if ! make -C "$tmp/kame" demo </dev/null >"$log" 2>&1 ||
   ! grep -q '^== demo done' "$log"; then
	tail -n 30 "$log"
	echo "Error: make demo failed on a fresh clone (see $log)"
	exit 1
fi
echo "demo-check: make demo on a fresh clone: ok ($(grep '^== demo done' "$log"))"
