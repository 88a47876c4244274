"""Turns run.sh's JSON lines into the README's table: per language and mode, pure vs native time
and peak memory, and their ratios.

    python3 table.py results.jsonl
"""
import json
import sys


def main() -> None:
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    by = {(r["lang"], r["mode"], r["impl"]): r for r in rows}
    print("| language | recording | pure | native | speed-up | peak RSS pure | peak RSS native | p50 / p99 / p99.9 (ms, native) |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for lang in ("ruby", "python", "node"):
        for mode in ("one", "batch"):
            pure, native = by.get((lang, mode, "pure")), by.get((lang, mode, "native"))
            if not pure or not native:
                continue
            tp = pure["record_s"] + pure["percentiles_s"]
            tn = native["record_s"] + native["percentiles_s"]
            agree = all(abs(pure[k] - native[k]) <= 0.02 * pure[k] for k in ("p50", "p99", "p999"))
            ps = " / ".join(f"{native[k] * 1000:.2f}" for k in ("p50", "p99", "p999"))
            print(f"| {lang} | {'one call per value' if mode == 'one' else 'batches of 10,000'} "
                  f"| {tp:.2f} s | {tn:.2f} s | {tp / tn:.1f}x "
                  f"| {pure['rss_peak_kb'] / 1024:.1f} MB | {native['rss_peak_kb'] / 1024:.1f} MB "
                  f"| {ps}{'' if agree else ' (pure differs!)'} |")
    n = rows[0]["n"] if rows else 0
    print(f"\n{n:,} values per run; speed-up = pure time / native time (recording and the three percentiles).")


if __name__ == "__main__":
    main()
