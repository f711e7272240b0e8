#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make style: checkpatch (--no-tree) over the module, the uapi header, the
# tools and the C selftests.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/kernel-files.sh" "$top/build" || exit 1
cd "$top" || exit 1
cp=(perl build/checkpatch/checkpatch.pl --no-tree --terse --show-types
    --ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES,SPLIT_STRING)
rc=0
# struct proto_ops of af_kame.c is written once at load time (the family
# number is a module parameter) and is __ro_after_init: CONST_STRUCT off.
"${cp[@]}" --ignore CONST_STRUCT -f $(git ls-files 'kmod/*.[ch]' 'uapi/*.h') || rc=1
# userspace has no __printf/__noreturn macros nor kernel integer types
"${cp[@]}" --ignore PREFER_DEFINED_ATTRIBUTE_MACRO,NEW_TYPEDEFS,PREFER_KERNEL_TYPES \
	-f $(git ls-files 'tools/*.[ch]' 'selftests/*.[ch]') || rc=1
exit $rc
