"""Record the hash, size and row count of every dataset file in ``datapackage.json``.

Run it after an intended edit of a CSV file in ``datasets/``::

    python -m tokenomics.refresh_stats

The loader (:func:`tokenomics.data.load`) compares each file with these stats, so that a file cut
short or changed by accident is an error instead of a silently shorter table. The command then
loads every dataset, so a file that breaks its schema is reported and its stats are not recorded.
"""

from __future__ import annotations

import argparse

from tokenomics.data import load, names, refresh_stats


def main(arguments: list[str] | None = None) -> list[str]:
    """Refresh the stats of the datasets folder (the kit's own by default); return the changed datasets."""
    parser = argparse.ArgumentParser(
        prog="python -m tokenomics.refresh_stats",
        description="Record each dataset file's hash, size and row count in datapackage.json.",
    )
    parser.add_argument("--datasets-dir", default=None, help="a folder with a datapackage.json")
    options = parser.parse_args(arguments)
    changed = refresh_stats(options.datasets_dir)
    for name in names(options.datasets_dir):
        load(name, options.datasets_dir)
    print(f"stats recorded; changed: {', '.join(changed) if changed else 'none'}")
    return changed


if __name__ == "__main__":
    main()
