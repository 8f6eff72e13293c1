"""Build the kit's website into ``build/book/`` (``make book``): offline, nothing executed.

Usage::

    python scripts/build_book.py              # build/book/
    python scripts/build_book.py --out DIR    # somewhere else
    python scripts/build_book.py --if-stale   # only if its inputs changed since the last build

Prints what it built and how long it took. See ``scripts/book`` for how the pages are made.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from book.build import build, ensure_built
from book.inputs import OUT_DIR, is_fresh
from book.stored import MissingView


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help=f"where to write the site (default {OUT_DIR})"
    )
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    parser.add_argument(
        "--if-stale", action="store_true", help="build only if the inputs changed since the site was built"
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    try:
        if args.if_stale:
            was_fresh = is_fresh(out)
            ensure_built(out)
            print(f"{args.out} is up to date" if was_fresh else f"built {args.out}")
            return 0
        result = build(out, quiet=not args.verbose)
    except MissingView as error:  # a chart the notebooks do not store: say which, not a traceback
        print(f"cannot build the site: {error}", file=sys.stderr)
        return 1
    built = ", ".join(f"{count} {kind}" for kind, count in result.items() if kind != "seconds")
    print(f"built {args.out}: {built} in {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
