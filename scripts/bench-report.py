#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table and the JSON of `make bench` from the runs scripts/bench.sh
recorded: OUT/rows.tsv (ID, title, unit, better, n/a reason) and OUT/raw.tsv
(ID, variant, value per run; "info" lines). Writes OUT/results.json and
OUT/table.txt, and prints the table.

    bench-report.py OUT
"""
import datetime
import json
import statistics
import sys


def fmt(v, unit):
    if v is None:
        return "-"
    if unit in ("us", "ms"):
        return f"{v:.1f}"
    return f"{v:.0f}"


def summary(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "runs": values}


def cell(s, unit, na):
    if s is None:
        return na or "failed"
    return (f"{fmt(s['median'], unit)} "
            f"[{fmt(s['min'], unit)}..{fmt(s['max'], unit)}]")


def main():
    out = sys.argv[1]
    rows, runs, info = [], {}, {}
    with open(f"{out}/rows.tsv") as f:
        for line in f:
            rid, title, unit, better, na = line.rstrip("\n").split("\t")
            rows.append({"id": rid, "title": title, "unit": unit,
                         "better": better, "na": na or None})
    with open(f"{out}/raw.tsv") as f:
        for line in f:
            a, b, c = line.rstrip("\n").split("\t")
            if a == "info":
                info[b] = c
                continue
            try:
                runs.setdefault((a, b), []).append(float(c))
            except ValueError:
                pass

    # speed: KAME's performance relative to native's whichever way the
    # row's unit goes (for a time it is native/KAME): below 1 KAME is slower
    table = ["| Row | native | KAME | KAME/native | speed |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        n = summary(runs.get((r["id"], "native"), []))
        k = summary(runs.get((r["id"], "kame"), []))
        r["native"], r["kame"] = n, k
        r["ratio"] = (round(k["median"] / n["median"], 3)
                      if n and k and n["median"] else None)
        r["speed"] = (r["ratio"] if r["better"] != "lower" or not r["ratio"]
                      else round(1 / r["ratio"], 3))
        unit = r["unit"] + (", lower is better" if r["better"] == "lower"
                            else "")
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "n/a"
        speed = f"{r['speed']:.2f}" if r["speed"] is not None else "n/a"
        if r["speed"] is not None and r["speed"] < 0.9:
            speed += " (below 0.9)"
        table.append(f"| {r['title']} ({unit}) | {cell(n, r['unit'], None)} "
                     f"| {cell(k, r['unit'], r['na'])} | {ratio} | {speed} |")
    text = "\n".join(table) + "\n"
    with open(f"{out}/table.txt", "w") as f:
        f.write(text)
    result = {"generated": datetime.datetime.now(datetime.timezone.utc)
              .isoformat(timespec="seconds"),
              "note": "median [min..max] of alternating runs; KAME/native "
                      "is the ratio of the medians; speed is KAME's "
                      "performance relative to native (native/KAME for "
                      "times)",
              "info": info, "rows": rows}
    with open(f"{out}/results.json", "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(text, end="")


if __name__ == "__main__":
    main()
