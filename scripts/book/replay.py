"""The widgets a lesson or an exercise displays, rebuilt in this process without a kernel.

Lessons are stored with their outputs but without widget state, so a stored chart or dashboard
output is only a reference to a widget that lived in a kernel. The site needs the chart itself:

- :func:`lesson_widgets` replays a lesson's code cells in order, in one plain Python namespace
  (no kernel, no Jupyter, printed output discarded), and keeps the object each widget cell
  returns as its last line. The charts are those the lesson's own code builds with the kit's
  chart and dashboard functions; dashboards are at the setting the lesson starts them at. No
  stored output is changed: the text, tables and numbers on the page are the stored ones.
- :func:`exercise_dashboards` calls the dashboard an exercise cell ends with
  (``price_dashboard(batch_size=1)``) directly; exercise notebooks are stored unrun, with
  blanks for the student's answers, so they are not replayed.

Examples
--------
>>> dashboard_call("board = 1\\nprice_dashboard(batch_size=1)")
('price_dashboard', (), {'batch_size': 1})
>>> dashboard_call("print(1)") is None
True
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import os
import pkgutil
from pathlib import Path

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_cells(notebook: nbformat.NotebookNode) -> list[int]:
    """Indexes of the code cells whose stored output is a widget view (a chart or dashboard)."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs)
    ]


def _check_widget_outputs(notebook: nbformat.NotebookNode, path: Path) -> None:
    for index in widget_cells(notebook):
        kinds = {
            out.output_type for out in notebook.cells[index].outputs if WIDGET_VIEW in out.get("data", {})
        }
        if kinds != {"execute_result"}:
            raise ValueError(
                f"{path.name}, cell {index}: a widget shown with display() cannot be rebuilt for the "
                "website; end the cell with the widget instead"
            )


def lesson_widgets(path: Path) -> dict[int, object]:
    """Replay the lesson at ``path``; return {cell index: the widget its last line shows}.

    The working directory is the lesson's folder while it runs, as in Jupyter.

    Raises
    ------
    RuntimeError
        When a cell fails, naming the lesson and the cell (the original error is chained).
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    _check_widget_outputs(notebook, path)
    wanted = set(widget_cells(notebook))
    namespace: dict = {"__name__": "__main__"}
    shown: dict[int, object] = {}
    previous = Path.cwd()
    os.chdir(path.parent)
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            try:
                value = _run_cell(cell.source, namespace, f"{path.name}, cell {index}")
            except Exception as error:
                raise RuntimeError(f"{path.name}, cell {index} failed while rebuilding its charts") from error
            if index in wanted:
                shown[index] = value
    finally:
        os.chdir(previous)
    return shown


def _run_cell(source: str, namespace: dict, name: str):
    """Run a cell's code; return the value of its last line if that is an expression (as Jupyter shows it)."""
    tree = ast.parse(source, filename=name)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(tree, name, "exec"), namespace)
        if last is None:
            return None
        return eval(compile(ast.Expression(last.value), name, "eval"), namespace)


def dashboard_call(source: str) -> tuple[str, tuple, dict] | None:
    """(function name, arguments, keyword arguments) when the cell ends with a literal dashboard call."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    last = tree.body[-1] if tree.body else None
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return None
    call = last.value
    if not (isinstance(call.func, ast.Name) and call.func.id.endswith("_dashboard")):
        return None
    try:
        args = tuple(ast.literal_eval(arg) for arg in call.args)
        kwargs = {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords}
    except ValueError as error:
        raise ValueError(
            f"{call.func.id}(...) has an argument that is not a literal value; the website can only "
            "rebuild an exercise's dashboard from literal arguments"
        ) from error
    return call.func.id, args, kwargs


def dashboard_functions() -> dict[str, object]:
    """Every ``*_dashboard`` function of :mod:`tokenomics.dashboards`, by name."""
    import tokenomics.dashboards as package

    found: dict[str, object] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for name in dir(module):
            function = getattr(module, name)
            if name.endswith("_dashboard") and callable(function) and function.__module__ == module.__name__:
                found[name] = function
    return found


def exercise_dashboards(path: Path) -> dict[int, object]:
    """{cell index: the dashboard widget} for every exercise cell that ends with a dashboard call."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    functions = dashboard_functions()
    shown = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        call = dashboard_call(cell.source)
        if call is None:
            continue
        name, args, kwargs = call
        if name not in functions:
            raise KeyError(f"{path.name}, cell {index}: no dashboard named {name} in tokenomics.dashboards")
        with contextlib.redirect_stdout(io.StringIO()):
            shown[index] = functions[name](*args, **kwargs)
    return shown
