"""Every numeric control of every dashboard, set to NaN or None from Python, gives a readout.

A student can type ``board.sliders["utilization"].value = float("nan")`` (or None) in a cell. The
dashboard must then say in its readout which control is wrong, what it holds and what is allowed,
and leave its chart as it was: never a traceback, never a NaN chart.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import ipywidgets as widgets
import pytest

import tokenomics.dashboards as dashboards

SLOW = {"batching.frontier_dashboard"}
"""Dashboards whose controls take more than a few seconds to walk (every move reruns the model)."""


def dashboard_factories() -> dict[str, object]:
    """Every public ``*_dashboard`` function of the dashboard modules, by "module.function"."""
    found = {}
    for module_info in pkgutil.iter_modules(dashboards.__path__):
        module = importlib.import_module(f"tokenomics.dashboards.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_dashboard") and function.__module__ == module.__name__:
                found[f"{module_info.name}.{name}"] = function
    return found


FACTORIES = dashboard_factories()


def numeric_controls(board) -> dict[str, widgets.Widget]:
    controls = {
        **getattr(board, "pickers", {}),
        **getattr(board, "controls", {}),
        **getattr(board, "sliders", {}),
    }
    return {
        name: control
        for name, control in controls.items()
        if isinstance(control, (widgets.FloatSlider, widgets.IntSlider))
    }


def test_every_dashboard_module_is_found():
    modules = {name.split(".")[0] for name in FACTORIES}
    assert modules == {"batching", "calibration", "efficiency", "market", "providers", "start", "strategy"}
    assert len(FACTORIES) >= 13


@pytest.mark.parametrize(
    "factory",
    [pytest.param(name, marks=[pytest.mark.slow] if name in SLOW else []) for name in sorted(FACTORIES)],
)
def test_nan_or_none_on_a_control_gives_a_readout(factory):
    board = FACTORIES[factory]()
    controls = numeric_controls(board)
    if not controls:
        pytest.skip(f"{factory} has no numeric control")
    for name, control in controls.items():
        assert isinstance(control, (dashboards.FloatSlider, dashboards.IntSlider)), (
            f"{factory}: control {name!r} is a plain ipywidgets slider; build it with dashboards.slider()"
        )
        valid = control.value
        chart = getattr(board, "chart_widget", None)
        spec_before = chart.spec if chart is not None else None
        for bad in (float("nan"), None):
            control.value = bad
            readout = board.readout.value
            assert f"The control {name!r}" in readout, f"{factory}: {name}={bad!r} gave {readout!r}"
            assert repr(bad) in readout and "set it to a number from" in readout, readout
            if chart is not None:
                assert chart.spec == spec_before, f"{factory}: {name}={bad!r} redrew the chart"
            control.value = valid
            assert "The control" not in board.readout.value, f"{factory}: the readout kept the message"


def test_set_values_with_nan_reports_instead_of_raising():
    board = FACTORIES["batching.queue_dashboard"]()
    board.set_values(utilization=math.nan)
    assert "The control 'utilization'" in board.readout.value
    board.set_values(utilization=0.5)
    assert "The control" not in board.readout.value
