"""Redraw a dashboard's chart by swapping its data, not by sending a whole new chart.

:class:`DataSwapChart` is an ``altair.JupyterChart`` that takes a new chart on ``.chart`` like
altair's, but compares it with the chart it shows first. When the two have the same structure
(the same spec once their data frames, parameter values, description and title text are set
aside) it sends only those: the data frames turned into rows, without altair validating and
serialising a whole new spec, and the browser updates the drawn view in place (vega's
``view.data`` and ``view.signal``) instead of compiling and drawing a new one. Any other change
(another model with other series, a legend that lists other qualities) rebuilds the spec as
altair would. Either way ``.spec`` afterwards is what a new widget built from the same chart
would send, and ``.last_redraw`` says which way it went (``"swap"`` or ``"rebuild"``).

Data frames are sent as named datasets ``"dataset-0"``, ``"dataset-1"``, ... in the order
:func:`data_paths` finds them, so that a swap keeps the names the browser knows.

Examples
--------
>>> import altair as alt, pandas as pd
>>> chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
>>> widget = DataSwapChart(chart)
>>> widget.chart = chart.properties(data=pd.DataFrame({"x": [3, 4, 5]}))
>>> widget.last_redraw, widget.spec["datasets"]["dataset-0"]
('swap', [{'x': 3}, {'x': 4}, {'x': 5}])
>>> widget.chart = chart.encode(y="x:Q")
>>> widget.last_redraw
'rebuild'
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import traitlets

from tokenomics.charts import shallow_copy
from tokenomics.dashboards.offline import offline_bundle

DATASET_PREFIX = "dataset-"
"""Datasets are named ``dataset-0``, ``dataset-1``, ... in the order of :func:`data_paths`."""

_TEXTS = ("description",)
"""Top-level properties that are words about the data, sent on a swap."""

_TITLE_TEXTS = ("text", "subtitle")
"""A title's properties that are words, sent on a swap (the rest of the title is structure)."""


def _kwds(node: alt.SchemaBase) -> dict:
    """The properties an altair object holds (its ``Undefined`` ones left out)."""
    return {key: value for key, value in node._kwds.items() if value is not alt.Undefined}


def data_paths(chart) -> list[tuple]:
    """Where the data frames sit in an altair chart: one path of property names and indexes each.

    The order is that of the sorted property names, depth first, so two charts of the same
    structure list their frames in the same order.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [2]})
    >>> data_paths(alt.layer(alt.Chart(a).mark_point(), alt.Chart(b).mark_line()))
    [('layer', 0, 'data'), ('layer', 1, 'data')]
    """
    found: list[tuple] = []

    def walk(node, path: tuple) -> None:
        if isinstance(node, pd.DataFrame):
            found.append(path)
        elif isinstance(node, alt.SchemaBase):
            for key, value in sorted(_kwds(node).items()):
                walk(value, (*path, key))
        elif isinstance(node, (list, tuple)):
            for index, value in enumerate(node):
                walk(value, (*path, index))
        elif isinstance(node, dict):
            for key, value in sorted(node.items()):
                walk(value, (*path, key))

    walk(chart, ())
    return found


def _at(node, path: tuple):
    for step in path:
        node = node._kwds[step] if isinstance(node, alt.SchemaBase) else node[step]
    return node


def _replaced(node, path: tuple, value):
    """A copy of ``node`` with ``value`` at ``path``; the nodes off the path are shared, not copied."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(node, alt.SchemaBase):
        copy = shallow_copy(node)
        copy._kwds[step] = _replaced(node._kwds[step], rest, value)
        return copy
    copy = list(node) if isinstance(node, (list, tuple)) else dict(node)
    copy[step] = _replaced(node[step], rest, value)
    return type(node)(copy) if isinstance(node, tuple) else copy


def _same(old, new) -> bool:
    """Whether two parts of a chart have the same structure (any two data frames count as equal)."""
    if old is new:
        return True
    if isinstance(old, pd.DataFrame) or isinstance(new, pd.DataFrame):
        return isinstance(old, pd.DataFrame) and isinstance(new, pd.DataFrame)
    if isinstance(old, alt.SchemaBase) or isinstance(new, alt.SchemaBase):
        if type(old) is not type(new) or old._args != new._args:
            return False
        a, b = _kwds(old), _kwds(new)
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(old, (list, tuple)) or isinstance(new, (list, tuple)):
        return type(old) is type(new) and len(old) == len(new) and all(map(_same, old, new))
    if isinstance(old, dict) or isinstance(new, dict):
        return (
            type(old) is type(new)
            and old.keys() == new.keys()
            and all(_same(old[key], new[key]) for key in old)
        )
    if isinstance(old, np.ndarray) or isinstance(new, np.ndarray):
        return False  # an array in a spec: rebuild rather than guess
    return type(old) is type(new) and old == new


def _title_shape(title):
    """A title with its words left out: what must match for a swap."""
    if title is alt.Undefined:
        return None
    if isinstance(title, (str, list)):
        return ("text",)
    kwds = _kwds(title)
    return {key: (True if key in _TITLE_TEXTS else value) for key, value in kwds.items()}, type(title)


def _param_shape(param):
    if isinstance(param, alt.VariableParameter):
        return {key: value for key, value in _kwds(param).items() if key != "value"}
    return param


def same_structure(old, new) -> bool:
    """Whether ``new`` draws like ``old`` but for its data frames, parameter values and words.

    Words are the top-level description and the text and subtitle of the top-level title (whether
    a subtitle is there still counts). Everything else is compared property by property; parts
    that ``new`` shares with ``old`` (a shallow copy) are equal at once.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> old = alt.Chart(pd.DataFrame({"x": [1]}), title="one").mark_point().encode(x="x:Q")
    >>> same_structure(old, old.properties(data=pd.DataFrame({"x": [2, 3]}), title="two"))
    True
    >>> same_structure(old, old.mark_line())
    False
    """
    if old is new:
        return True
    if type(old) is not type(new) or old._args != new._args:
        return False
    a, b = _kwds(old), _kwds(new)
    special = {*_TEXTS, "title", "params"}
    if {key for key in a if key not in _TEXTS} != {key for key in b if key not in _TEXTS}:
        return False
    if _title_shape(a.get("title", alt.Undefined)) != _title_shape(b.get("title", alt.Undefined)):
        return False
    params_a, params_b = a.get("params", []), b.get("params", [])
    if len(params_a) != len(params_b) or not all(
        _same(_param_shape(p), _param_shape(q)) for p, q in zip(params_a, params_b, strict=True)
    ):
        return False
    return all(_same(a[key], b[key]) for key in a if key not in special)


def records(rows: pd.DataFrame) -> list[dict]:
    """The rows of a data frame as altair would send them: plain Python values, None for NaN.

    The same values as altair's own conversion (``altair.utils.data.to_values``), several times
    faster for the columns dashboards hold (numbers, booleans, text); any other column type is
    left to altair's conversion.

    Examples
    --------
    >>> records(pd.DataFrame({"x": [1.5, float("nan")], "n": [1, 2], "s": ["a", None]}))
    [{'x': 1.5, 'n': 1, 's': 'a'}, {'x': None, 'n': 2, 's': None}]
    """
    names = list(rows.columns)
    if not all(isinstance(name, str) for name in names) or isinstance(rows.index, pd.MultiIndex):
        return alt.utils.data.to_values(rows)["values"]  # altair says what is wrong
    columns = []
    for name in names:
        column = rows[name]
        kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else ""
        if kind == "f":
            values = column.to_numpy()
            listed = values.tolist()
            for index in np.flatnonzero(~np.isfinite(values)):
                listed[index] = None
        elif kind in "iub" and kind:
            listed = column.to_numpy().tolist()
        elif kind == "O" or str(column.dtype) in ("category", "string", "str"):
            values = column.to_numpy(dtype=object)
            listed = [value.tolist() if isinstance(value, np.ndarray) else value for value in values]
            for index in np.flatnonzero(pd.isna(values)):
                listed[index] = None
        else:  # dates and other column types: altair's own conversion
            return alt.utils.data.to_values(rows)["values"]
        columns.append(listed)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


@dataclass(frozen=True)
class Drawn:
    """What a :class:`DataSwapChart` drew last: the chart, its spec and where its data frames sit."""

    chart: object
    spec: dict
    paths: tuple[tuple, ...]


def _words(chart) -> dict:
    """The spec's top-level words and parameter values for ``chart`` (see :func:`same_structure`)."""
    kwds = _kwds(chart)
    found = {}
    for key in _TEXTS:
        if key in kwds:
            found[key] = kwds[key]
    title = kwds.get("title", alt.Undefined)
    if title is not alt.Undefined:
        found["title"] = title.to_dict(validate=False) if isinstance(title, alt.SchemaBase) else title
    return found


def _swapped_spec(drawn: Drawn, chart) -> dict:
    """The spec of ``chart`` (same structure as ``drawn.chart``) from the drawn spec: no validation."""
    spec = {key: value for key, value in drawn.spec.items() if key not in _TEXTS}
    spec.update(_words(chart))
    spec["datasets"] = {
        f"{DATASET_PREFIX}{index}": records(_at(chart, path)) for index, path in enumerate(drawn.paths)
    }
    params = _kwds(chart).get("params", [])
    if params:
        spec["params"] = [
            {**old, "value": param.to_dict(validate=False)["value"]}
            if isinstance(param, alt.VariableParameter) and param.value is not alt.Undefined
            else old
            for old, param in zip(drawn.spec["params"], params, strict=True)
        ]
    return spec


def _built(chart) -> Drawn:
    """Validate ``chart`` and write its spec with named datasets (the slow way, on a rebuild)."""
    for param in _kwds(chart).get("params", []):
        if not isinstance(param, alt.VariableParameter):
            raise ValueError(
                f"chart has the selection parameter {param.name!r}: DataSwapChart draws charts "
                "without selections (use altair.JupyterChart for those)"
            )
    paths = tuple(data_paths(chart))
    named = chart
    for index, path in enumerate(paths):
        named = _replaced(named, path, alt.NamedData(name=f"{DATASET_PREFIX}{index}"))
    spec = named.to_dict()
    spec["datasets"] = {
        f"{DATASET_PREFIX}{index}": records(_at(chart, path)) for index, path in enumerate(paths)
    }
    return Drawn(chart, spec, paths)


_HERE = pathlib.Path(__file__).parent


class DataSwapChart(alt.JupyterChart):
    """An ``altair.JupyterChart`` that redraws a chart of the same structure by swapping its data.

    Assign a new altair chart to ``.chart`` as with altair's widget. See the module's docstring
    for what counts as the same structure. Charts with selection parameters are refused (a
    ``ValueError``): the kit's charts have none, and this widget does not report selections.

    Attributes
    ----------
    last_redraw : str
        ``"swap"`` when the latest chart was drawn by swapping data, ``"rebuild"`` when its spec
        was built anew (the first chart always is).
    """

    _esm = (_HERE / "redraw.js").read_text()
    _is_offline = False
    last_redraw = traitlets.Unicode("")

    @classmethod
    def enable_offline(cls, offline: bool = True) -> None:
        """Bundle vega-embed with the widget's JavaScript (vl-convert), so that charts draw offline
        (:func:`~tokenomics.dashboards.offline.offline_bundle`: built once, then cached).

        Once per session: later calls return at once. ``offline=False`` is refused: the kit draws
        its charts offline only.
        """
        if not offline:
            raise ValueError("offline must be True: the kit's charts load nothing from a CDN")
        if cls._is_offline:
            return
        cls._esm = offline_bundle((_HERE / "redraw.js").read_text())
        cls._is_offline = True

    def __init__(self, chart, **kwargs):
        self._drawn: Drawn | None = None
        super().__init__(chart, **kwargs)

    @traitlets.observe("chart")
    def _on_change_chart(self, change) -> None:
        new = change.new
        if new is None:
            self._drawn = None
            self.spec = None
            self.last_redraw = "rebuild"
            return
        if self._drawn is not None and same_structure(self._drawn.chart, new):
            spec = _swapped_spec(self._drawn, new)
            self._drawn = Drawn(new, spec, self._drawn.paths)
            self.last_redraw = "swap"
        else:
            self._drawn = _built(new)
            self.last_redraw = "rebuild"
        self.spec = self._drawn.spec
