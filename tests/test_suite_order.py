"""The order in which ``make test`` hands files to its workers (``longest_files_first`` in the
root ``conftest.py``): browser tests first, then other slow tests, each file kept whole."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("suite_settings", ROOT / "conftest.py")
suite_settings = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite_settings)


@dataclass
class FakeItem:
    path: str
    name: str
    marks: set[str] = field(default_factory=set)

    def get_closest_marker(self, mark: str):
        return mark if mark in self.marks else None


def test_browser_files_go_first_then_slow_ones_and_each_file_stays_whole_and_in_order():
    items = [
        FakeItem("a.py", "a1"),
        FakeItem("slow.py", "s1"),
        FakeItem("a.py", "a2"),
        FakeItem("slow.py", "s2", {"slow"}),
        FakeItem("lab.py", "l1", {"slow", "browser"}),
        FakeItem("b.py", "b1"),
        FakeItem("lab.py", "l2", {"slow", "browser"}),
    ]
    ordered = [item.name for item in suite_settings.longest_files_first(items)]
    assert ordered == ["l1", "l2", "s1", "s2", "a1", "a2", "b1"]


def test_without_slow_tests_files_keep_their_order_and_their_items_stay_together():
    items = [FakeItem("b.py", "b1"), FakeItem("a.py", "a1"), FakeItem("b.py", "b2")]
    assert [item.name for item in suite_settings.longest_files_first(items)] == ["b1", "b2", "a1"]
