#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table and the JSON of `make bench` from the runs scripts/bench.sh
recorded: OUT/rows.tsv (ID, title, unit, better, n/a reason) and OUT/raw.tsv
(ID, variant, value, round per run; "info" lines). Writes OUT/results.json
and OUT/table.txt, and prints the table.

The ratio of a row is KAME/native of each round (both runs of a round are
taken back to back), summed up as their geometric mean with a 95%
confidence interval (Student's t on the logarithms); an interval that
holds 1.0 is "not significant".

    bench-report.py OUT
"""
import datetime
import json
import math
import statistics
import sys

# Student's t, two-sided 95%, by degrees of freedom (1.96 beyond 30)
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
       2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101,
       2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
       2.048, 2.045, 2.042]


def paired(nat, kame):
    """Geometric mean of the per-round KAME/native ratios and its 95%
    interval, from {round: value} of each; None with fewer than 2 pairs."""
    logs = [math.log(kame[r] / nat[r]) for r in sorted(set(nat) & set(kame))
            if nat[r] > 0 and kame[r] > 0]
    if len(logs) < 2:
        return None
    m = statistics.mean(logs)
    t = T95[len(logs) - 2] if len(logs) - 1 <= len(T95) else 1.96
    h = t * statistics.stdev(logs) / math.sqrt(len(logs))
    return {"ratio": round(math.exp(m), 3), "lo": round(math.exp(m - h), 3),
            "hi": round(math.exp(m + h), 3), "pairs": len(logs)}


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


def cell(s, unit, na, loss=None, cpu=None):
    if s is None:
        return na or "failed"
    text = (f"{fmt(s['median'], unit)} "
            f"[{fmt(s['min'], unit)}..{fmt(s['max'], unit)}]")
    if loss is not None:
        text += f", loss {loss['median']:.1f}%"
        if loss["max"] > 1:
            text += " (above 1%)"
    if cpu is not None:
        text += f", {cpu['median']:.1f} us CPU"
    return text


def main():
    out = sys.argv[1]
    rows, runs, rounds, info = [], {}, {}, {}
    with open(f"{out}/rows.tsv") as f:
        for line in f:
            rid, title, unit, better, na = line.rstrip("\n").split("\t")
            rows.append({"id": rid, "title": title, "unit": unit,
                         "better": better, "na": na or None})
    with open(f"{out}/raw.tsv") as f:
        for line in f:
            a, b, c, *rnd = line.rstrip("\n").split("\t")
            if a == "info":
                info[b] = c
                continue
            try:
                v = float(c)
            except ValueError:
                continue
            runs.setdefault((a, b), []).append(v)
            if rnd and rnd[0]:
                rounds.setdefault((a, b), {})[int(rnd[0])] = v

    # speed: KAME's performance relative to native's whichever way the
    # row's unit goes (for a time it is native/KAME): below 1 KAME is slower
    table = ["| Row | native | KAME | KAME/native [95% CI] | speed |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        n = summary(runs.get((r["id"], "native"), []))
        k = summary(runs.get((r["id"], "kame"), []))
        r["native"], r["kame"] = n, k
        # throughput rows: the share of the datagrams sent and not
        # received, percent, per run
        r["loss_native"] = summary(runs.get((r["id"], "loss-native"), []))
        r["loss_kame"] = summary(runs.get((r["id"], "loss-kame"), []))
        # and the CPU time per datagram received, microseconds
        r["cpu_native"] = summary(runs.get((r["id"], "cpu-native"), []))
        r["cpu_kame"] = summary(runs.get((r["id"], "cpu-kame"), []))
        r["paired"] = paired(rounds.get((r["id"], "native"), {}),
                             rounds.get((r["id"], "kame"), {}))
        if r["paired"]:
            r["ratio"] = r["paired"]["ratio"]
        else:
            r["ratio"] = (round(k["median"] / n["median"], 3)
                          if n and k and n["median"] else None)
        r["speed"] = (r["ratio"] if r["better"] != "lower" or not r["ratio"]
                      else round(1 / r["ratio"], 3))
        unit = r["unit"] + (", lower is better" if r["better"] == "lower"
                            else "")
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "n/a"
        pr = r["paired"]
        if pr:
            ratio += f" [{pr['lo']:.2f}..{pr['hi']:.2f}]"
        speed = f"{r['speed']:.2f}" if r["speed"] is not None else "n/a"
        if pr and pr["lo"] <= 1.0 <= pr["hi"]:
            speed += " (not significant)"
        elif r["speed"] is not None and r["speed"] < 0.9:
            speed += " (below 0.9)"
        table.append(f"| {r['title']} ({unit}) "
                     f"| {cell(n, r['unit'], None, r['loss_native'], r['cpu_native'])} "
                     f"| {cell(k, r['unit'], r['na'], r['loss_kame'], r['cpu_kame'])} "
                     f"| {ratio} | {speed} |")
    text = "\n".join(table) + "\n"
    with open(f"{out}/table.txt", "w") as f:
        f.write(text)
    result = {"generated": datetime.datetime.now(datetime.timezone.utc)
              .isoformat(timespec="seconds"),
              "note": "median [min..max] of the runs; KAME/native is the "
                      "geometric mean of the per-round ratios with its 95% "
                      "confidence interval (the ratio of the medians where "
                      "rounds do not pair); speed is KAME's performance "
                      "relative to native (native/KAME for times)",
              "info": info, "rows": rows}
    with open(f"{out}/results.json", "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(text, end="")


if __name__ == "__main__":
    main()
