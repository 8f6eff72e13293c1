"""Write the README's Binder badges from ``docs/site.toml`` (``make badges``).

Usage::

    python scripts/write_badges.py
"""

from __future__ import annotations

import sys

from book.badges import write_badges


def main() -> int:
    changed = write_badges()
    print(
        "README.md: badges rewritten from docs/site.toml"
        if changed
        else "README.md: badges already up to date"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
