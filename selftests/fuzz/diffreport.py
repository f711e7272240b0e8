#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The differential report of fuzz/differential.sh.

    diffreport.py RULES.rst KAME.txt NATIVE.txt

KAME.txt and NATIVE.txt are kfuzz6 --diff outputs of the same corpus:
"INDEX CLASS VARIANT NSEQ DST CHAIN | TOKEN...". A packet's answers are its tokens
but the host's own ND and MLD traffic (ns, rs, mld) and, but for ND
solicitations, Neighbor Advertisements (the peer's stack resolving the
host),
as a sorted set ("-" for none). Packets whose answers differ are grouped by class,
variant and both answers; each group is matched against the rules of
RULES.rst, lines of the form

    rule ID CLASS/VARIANT/DST/CHAIN KAME LINUX

(shell globs; KAME and LINUX match the comma-joined answers). Prints the
table of groups with the rule of each, and exits 1 when a group has no
rule.
"""
import fnmatch
import re
import sys
from collections import defaultdict

IGNORED = {"ns", "rs", "mld"}


def load(path):
    units = {}
    with open(path) as f:
        for line in f:
            if "|" not in line or line.startswith("kfuzz6:"):
                continue
            head, toks = line.split("|", 1)
            idx, cls, what, nseq, dst, chain = head.split()
            # an NA is an answer to the fuzzer's NS only: at other times
            # it answers the peer's own stack resolving the host
            ns = cls == "nd" and what.startswith("ns")
            ans = sorted({t for t in toks.split() if t not in IGNORED and
                          (ns or not t.startswith("na-"))})
            units[int(idx)] = (cls, f"{what}/{dst}/{chain}", int(nseq),
                               ",".join(ans) or "-")
    return units


def rules(path):
    out = []
    pat = re.compile(r"^\s+rule\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$")
    with open(path) as f:
        for line in f:
            m = pat.match(line)
            if m:
                out.append(m.groups())
    return out


def explain(rs, cls, what, kame, native):
    for rid, cv, k, n in rs:
        if (fnmatch.fnmatchcase(f"{cls}/{what}", cv) and
                fnmatch.fnmatchcase(kame, k) and
                fnmatch.fnmatchcase(native, n)):
            return rid
    return None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    rs = rules(sys.argv[1])
    kame, native = load(sys.argv[2]), load(sys.argv[3])
    common = sorted(set(kame) & set(native))
    groups = defaultdict(list)
    same = 0
    for i in common:
        k, n = kame[i], native[i]
        if k[3] == n[3]:
            same += 1
            continue
        groups[(k[0], k[1], k[3], n[3])].append(i)
    missing = len(set(kame) ^ set(native))
    ndiff = sum(len(v) for v in groups.values())
    print(f"{len(common)} packets (or fragment sequences) at both hosts: "
          f"{same} answered alike, {ndiff} differently, in {len(groups)} "
          f"groups; {missing} seen by one run only")
    print(f"{'count':>5}  {'class/variant/dst/chain':<40} {'KAME':<24} {'Linux':<24} "
          f"rule (first indexes)")
    bad = 0
    for key, idx in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        cls, what, k, n = key
        rid = explain(rs, cls, what, k, n)
        if not rid:
            bad += 1
            rid = "UNEXPLAINED"
        first = " ".join(str(i) for i in idx[:3])
        print(f"{len(idx):>5}  {cls + '/' + what:<40} {k:<24} {n:<24} "
              f"{rid} ({first})")
    if bad:
        print(f"{bad} groups no rule of {sys.argv[1]} explains")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
