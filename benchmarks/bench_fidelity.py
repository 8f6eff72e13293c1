"""How well the serving model predicts public measurements it was not fitted on.

Leave-one-source-out cross-validation: for each independent source (``source_name``) the
global efficiency factors are refitted without it and its rows are predicted. Prints each
source's median |error| when left out, the medians overall, on mixture-of-experts and on dense
models, the geometric mean of model speed / measured speed, the fitted factors with their
ranges, and every point more than 50% off with its named cause. Errors are signed as model
speed / measured speed - 1 (times inverted). Run from the repository root:
``python benchmarks/bench_fidelity.py`` (a few minutes). With ``--write`` it also stores the
table in ``datasets/serving_model_loso.csv`` (lesson 3b reads it: the cross-validation takes too
long for a lesson), after which ``python -m tokenomics.refresh_stats`` records its checksum.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tokenomics import calibration

DATASET = Path(__file__).resolve().parent.parent / "datasets" / "serving_model_loso.csv"


def main() -> None:
    fitted = calibration.fit()
    print("fitted on every predictable row (range searched):")
    for name, (low, high) in calibration.FIT_RANGES.items():
        print(f"  {name:24s} {getattr(fitted, name):.6g}  [{low:g}, {high:g}]")
    table = calibration.leave_one_source_out()
    summary = calibration.fidelity_summary(table)
    print(f"\n{len(table)} predicted points from {table['source_name'].nunique()} sources")
    print("leave-one-source-out median |error| by source:")
    for source, row in summary["by_source"].iterrows():
        print(f"  {source:45s} {int(row['points']):4d} points  {100 * row['median_abs_error']:5.1f}%")
    print(f"LOSO median |error| overall: {100 * summary['overall']:.1f}%")
    print(f"LOSO median |error| MoE:     {100 * summary['moe']:.1f}%")
    print(f"LOSO median |error| dense:   {100 * summary['dense']:.1f}%")
    print(f"geometric mean of model / measured speed (LOSO): {summary['geomean']:.3f}")
    print(f"geometric mean of model / measured speed (fit on all): {summary['geomean_fitted']:.3f}")
    if "--write" in sys.argv[1:]:
        calibration.loso_rows(table).to_csv(DATASET, index=False)
        print(f"\nwrote {DATASET.name}")
    far = table[table["error"].abs() > 0.5]
    print(f"\n{len(far)} points beyond +-50% (LOSO error, cause):")
    for row in far.sort_values("error").itertuples():
        print(f"  {row.error:+7.0%}  {row.id}: {calibration.cause(row.id)}")


if __name__ == "__main__":
    main()
