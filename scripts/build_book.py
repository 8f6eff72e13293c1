"""Build the kit's website into ``build/book/`` (``make book``): offline, nothing executed.

Usage::

    python scripts/build_book.py              # build/book/
    python scripts/build_book.py --out DIR    # somewhere else

Prints what it built and how long it took. See ``scripts/book`` for how the pages are made.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from book.build import OUT_DIR, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help=f"where to write the site (default {OUT_DIR})"
    )
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    result = build(args.out.resolve(), quiet=not args.verbose)
    built = ", ".join(f"{count} {kind}" for kind, count in result.items() if kind != "seconds")
    print(f"built {args.out}: {built} in {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
