"""Drive the kit's lessons in a real browser: servers, chromium, lesson pages, dashboards.

Shared by the browser tests (``tests/browser``) and the browser benchmark
(``benchmarks/bench_browser.py``). Playwright drives the system's chromium (``playwright install``
is not needed). Servers run on free loopback ports with their own Jupyter config, runtime,
IPython and JupyterLab settings and workspace directories, and serve a copy of ``notebooks/``,
so nothing the browser does (autosave, checkpoints, trust) touches the repository or the
user's own Jupyter set-up.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
ARTIFACTS_DIR = ROOT / "test-artifacts" / "browser"

VOILA_TEMPLATE = "lab-offline"
"""The kit's Voila template (``share/jupyter/voila/templates/lab-offline``): Voila's lab
template without the Font Awesome stylesheets it loads from cdn.jsdelivr.net. ``make demo``
serves with it too."""

VOILA_DATA_DIR = ROOT / "share" / "jupyter"
"""The Jupyter data directory that holds the kit's Voila template (added to ``JUPYTER_PATH``)."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these chromium keeps calling Google's services (updates, safe browsing, sync).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Resolve no host name but the loopback one: whatever a lesson asks of another host fails
    # here at once instead of leaving the machine (the tests still record and report it).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]

HARMLESS_REMOTE_REQUESTS: dict[str, str] = {}
"""Off-machine URL prefixes a lesson may request without failing a test, each with the reason.

Empty: Voila's Font Awesome stylesheets from cdn.jsdelivr.net were the only such requests, and
the kit's Voila template drops them (Voila's own bundle already carries Font Awesome)."""

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}

SERVER_START_TIMEOUT_S = 90
LESSON_TIMEOUT_MS = 180_000
REDRAW_TIMEOUT_MS = 20_000
MOVE_TIMEOUT_S = 5.0
"""How long a slider's position may take to follow a key press on a busy page."""


def chromium_path() -> str | None:
    """The chromium to drive: ``$CHROMIUM`` if set, else ``chromium`` (or ``chromium-browser``) on PATH."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if os.path.isfile(chosen) and os.access(chosen, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here (None when they can): what is missing and how to get it."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'the Python package playwright is missing: pip install -e ".[test]" (or make install)'
    if os.environ.get("CHROMIUM") and chromium_path() is None:
        return f"CHROMIUM={os.environ['CHROMIUM']} is not an executable file"
    if chromium_path() is None:
        return (
            "chromium is missing: install it (Debian/Ubuntu: apt-get install chromium) "
            "or set CHROMIUM to a chromium or chrome executable"
        )
    return None


def launch_chromium(playwright):
    """Start headless chromium (the system's, not one downloaded by ``playwright install``)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


# --- lessons -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    """What a lesson notebook shows, read from the file.

    Attributes
    ----------
    name : str
        The file name, ``00_start_here.ipynb``.
    n_cells : int
        Every cell, markdown included.
    widget_cells : tuple of int
        Code cells that display a live widget (their stored output is a widget view); each one
        shows at least one chart.
    dashboards : dict of int to str
        Code cells whose last line calls a dashboard (``price_dashboard()``), with its name.
    """

    name: str
    n_cells: int
    widget_cells: tuple[int, ...]
    dashboards: dict[int, str]

    @property
    def stem(self) -> str:
        """The name without ``.ipynb``: ``00_start_here``."""
        return self.name.removesuffix(".ipynb")


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _dashboard_call(source: str) -> str | None:
    """``"price_dashboard"`` when the cell's last line is a call like ``price_dashboard()``."""
    lines = [line.strip() for line in source.strip().splitlines()]
    last = lines[-1] if lines else ""
    name = last.split("(", 1)[0]
    return name if last.endswith(")") and name.endswith("_dashboard") and name.isidentifier() else None


def read_lesson(path: Path) -> Lesson:
    """The lesson's cells that show widgets and dashboards (see :class:`Lesson`)."""
    cells = json.loads(path.read_text())["cells"]
    widget_cells, dashboards = [], {}
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        if any("application/vnd.jupyter.widget-view+json" in out.get("data", {}) for out in outputs):
            widget_cells.append(index)
        name = _dashboard_call(_source(cell))
        if name:
            dashboards[index] = name
    return Lesson(path.name, len(cells), tuple(widget_cells), dashboards)


def lessons() -> list[Lesson]:
    """Every lesson in ``notebooks/``, in teaching order."""
    return [read_lesson(path) for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb"))]


def copy_lessons(root: Path) -> Path:
    """Copy ``notebooks/`` into ``root/notebooks`` (what the servers serve); return that folder."""
    target = root / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


# --- requests and console ----------------------------------------------------------------------


def is_on_machine(url: str) -> bool:
    """True for loopback URLs and for URLs that need no network (``data:``, ``blob:``, ``about:``)."""
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOOPBACK_HOSTS


def is_harmless(url: str) -> bool:
    return any(url.startswith(prefix) for prefix in HARMLESS_REMOTE_REQUESTS)


@dataclass
class PageLog:
    """Every request (websockets included) and console message of one browser context."""

    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def off_machine(self) -> list[str]:
        """Requests that would leave the machine, less the documented harmless ones."""
        return [url for url in self.requests if not is_on_machine(url) and not is_harmless(url)]

    def console_text(self) -> str:
        return "\n".join(self.console)

    def __repr__(self) -> str:
        return f"PageLog({len(self.requests)} requests, {len(self.console)} console messages)"


def record(context) -> PageLog:
    """Record the requests and console messages of every page opened in ``context`` from now on."""
    log = PageLog()
    context.on("request", lambda request: log.requests.append(request.url))

    def watch_page(page):
        page.on("websocket", lambda socket_: log.requests.append(socket_.url))
        page.on("console", lambda message: log.console.append(f"[{message.type}] {message.text}"))
        page.on("pageerror", lambda error: log.console.append(f"[pageerror] {error}"))

    context.on("page", watch_page)
    return log


# --- servers -----------------------------------------------------------------------------------


@dataclass
class Server:
    """A Jupyter server this module started: JupyterLab or Voila."""

    name: str
    base_url: str
    token: str
    process: subprocess.Popen
    log_path: Path

    def url(self, path: str, **query) -> str:
        """``base_url/path?token=...`` with any extra query parameters (``reset=""``)."""
        return f"{self.base_url}/{path}?{urlencode({**query, 'token': self.token})}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """The environment for a server: its own config, runtime, IPython and JupyterLab
    settings and workspaces directories under ``home``.

    The data directories are shared: JupyterLab's assets and the kernel live in the Python
    environment (``sys.prefix/share/jupyter``), and ``JUPYTER_PREFER_ENV_PATH`` puts those
    ahead of any user-level kernel or extension. ``JUPYTER_PATH`` adds the kit's Voila template.
    """
    dirs = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "IPYTHONDIR": home / "ipython",
        "JUPYTERLAB_SETTINGS_DIR": home / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **{name: str(path) for name, path in dirs.items()}}
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(VOILA_DATA_DIR), os.environ.get("JUPYTER_PATH")]))
    env.pop("PYTHONPATH", None)
    return env


LAB_SETTINGS = {
    # Keep JupyterLab's hands off the served files: no autosave of the lessons it runs.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # No "get Jupyter news?" pop-up over the lesson (and no news fetched from jupyter.org).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}


def _write_lab_settings(env: dict[str, str]) -> None:
    """Write :data:`LAB_SETTINGS` into the server's own JupyterLab settings directory."""
    for plugin, values in LAB_SETTINGS.items():
        path = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _wait_until_up(server: Server, ready_path: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.process.returncode}; see {server.log_path}"
            )
        try:
            with urllib.request.urlopen(server.url(ready_path), timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    stop_server(server)
    raise RuntimeError(
        f"{server.name} did not answer within {SERVER_START_TIMEOUT_S} s; see {server.log_path}"
    )


def _start(name: str, command: list[str], cwd: Path, env: dict, log_dir: Path, ready: str) -> Server:
    """Run ``command`` (``{port}`` and ``{token}`` filled in), log to ``log_dir``, wait until it answers."""
    log_dir.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    # One log per server: test workers (pytest-xdist) run servers side by side.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    log_path = log_dir / (f"{name}-server-{worker}.log" if worker else f"{name}-server.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [part.replace("{port}", str(port)).replace("{token}", token) for part in command],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # our own process group: stop_server ends the kernels too
        )
    server = Server(name, f"http://127.0.0.1:{port}", token, process, log_path)
    _wait_until_up(server, ready)
    return server


def start_jupyterlab(root: Path, home: Path, log_dir: Path) -> Server:
    """JupyterLab serving ``root`` on a free loopback port (``window.jupyterapp`` exposed for the tests)."""
    env = isolated_env(home)
    _write_lab_settings(env)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--port={port}",
        "--IdentityProvider.token={token}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    return _start("jupyterlab", command, root, env, log_dir, "api/status")


def start_voila(notebooks: Path, home: Path, log_dir: Path) -> Server:
    """Voila serving the lessons in ``notebooks`` as ``make demo`` does, tracebacks shown."""
    command = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--template={VOILA_TEMPLATE}",
        "--strip_sources=True",
        "--show_tracebacks=True",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--port={port}",
        "--Voila.token={token}",
        str(notebooks),
    ]
    return _start("voila", command, notebooks, isolated_env(home), log_dir, "")


def stop_server(server: Server) -> None:
    """Stop the server (it shuts its kernels down); kill its process group if it hangs."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, 9)
        server.process.wait(timeout=10)
    try:
        os.killpg(server.process.pid, 15)  # a kernel left behind in the server's own group
    except ProcessLookupError:
        pass


# --- what the page shows -----------------------------------------------------------------------

# A signature of each chart in an element: a hash of its data marks (svg) or of its pixels
# (canvas), or null while it is not drawn. Axes, titles and legends are left out of the svg
# signature, so a changed signature means the marks drawn from the data changed.
CHART_SIGNATURES_JS = """(root) => {
  const hash = (text) => {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return (h >>> 0).toString(16) + ':' + text.length;
  };
  return [...root.querySelectorAll('.vega-embed')].map((embed) => {
    const svg = embed.querySelector('svg.marks');
    if (svg) {
      const marks = [...svg.querySelectorAll('.role-mark')].map((mark) => mark.outerHTML).join('');
      return marks ? hash(marks) : null;
    }
    const canvas = embed.querySelector('canvas.marks');
    return canvas && canvas.width ? hash(canvas.toDataURL()) : null;
  });
}"""

# Tag the drawing each chart shows now, so a redraw can be told from the old drawing: a chart
# rebuilt by vega-embed draws into a new svg or canvas; a chart whose data is swapped in place
# (tokenomics.dashboards.redraw) keeps its drawing and counts its redraws in its widget's
# ``data-kit-draws``.
TAG_DRAWINGS_JS = """(root) => {
  root.querySelectorAll('.vega-embed svg.marks, .vega-embed canvas.marks')
    .forEach((drawing) => {
      const widget = drawing.closest('.kit-swap-chart');
      drawing.dataset.kitSeen = widget ? widget.dataset.kitDraws : 'seen';
    });
}"""

# True once a chart in the element shows a new drawing, or redrew its drawing in place, and its
# signature differs from `before`: a redraw that drew the same marks again does not count.
REDRAWN_JS = (
    """([root, before]) => {
  const signatures = ("""
    + CHART_SIGNATURES_JS
    + """)(root);
  return [...root.querySelectorAll('.vega-embed')].some((embed, i) => {
    const drawing = embed.querySelector('svg.marks, canvas.marks');
    if (!drawing || signatures[i] === null || signatures[i] === before[i]) return false;
    const widget = drawing.closest('.kit-swap-chart');
    const redrawn = widget && drawing.dataset.kitSeen !== undefined
      && Number(widget.dataset.kitDraws) > Number(drawing.dataset.kitSeen);
    return !drawing.dataset.kitSeen || redrawn;
  });
}"""
)

# The cells (by index) among `cells` whose output shows no drawn chart yet.
UNDRAWN_CELLS_JS = (
    """([cells, indexes]) => {
  const signatures = ("""
    + CHART_SIGNATURES_JS
    + """);
  return indexes.filter((index, i) => {
    const drawn = signatures(cells[i]);
    return drawn.length === 0 || drawn.includes(null);
  });
}"""
)

ERROR_TEXTS = ("Error displaying widget", "JavaScript Error:")
"""What ipywidgets and altair's JupyterChart print in place of a widget or chart that failed."""

WIDGET_ERRORS_JS = """(texts) => [...document.querySelectorAll('.jp-OutputArea-output')]
  .map((output) => output.innerText)
  .filter((text) => texts.some((error) => text.includes(error)))
  .map((text) => text.slice(0, 500))"""

SLIDER_HANDLES = ".widget-slider .noUi-handle"
CHECKBOXES = ".widget-checkbox input[type=checkbox]"


# --- frontends ---------------------------------------------------------------------------------


class JupyterLab:
    """A lesson in JupyterLab: open it, run all its cells (the Run menu's command), read its cells."""

    name = "jupyterlab"

    def __init__(self, server: Server):
        self.server = server

    def open(self, page, lesson: Lesson) -> None:
        """Open the lesson in a fresh workspace, wait for its kernel, run every cell."""
        page.goto(self.server.url(f"lab/tree/notebooks/{lesson.name}", reset=""))
        page.wait_for_function(
            "(name) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return w && w.context && w.context.path.endsWith(name) && w.sessionContext; }",
            arg=lesson.name,
            timeout=LESSON_TIMEOUT_MS,
        )
        page.evaluate(
            "async () => { const w = window.jupyterapp.shell.currentWidget;"
            " await w.context.ready; await w.sessionContext.ready;"
            " await window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
        )
        page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
            timeout=LESSON_TIMEOUT_MS,
        )

    def cells(self, page):
        return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")

    def cell(self, page, index: int):
        return self.cells(page).nth(index)

    def errors(self, page) -> list[str]:
        """Error and stderr outputs of every cell, and cells that did not run."""
        return page.evaluate(
            """() => {
              const problems = [];
              const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
              for (let i = 0; i < cells.length; i++) {
                const cell = cells.get(i).toJSON();
                if (cell.cell_type !== 'code') continue;
                if (cell.execution_count === null) problems.push(`cell ${i} did not run`);
                for (const out of cell.outputs) {
                  if (out.output_type === 'error') problems.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
                  if (out.output_type === 'stream' && out.name === 'stderr')
                    problems.push(`cell ${i} wrote to stderr: ${String(out.text).slice(0, 500)}`);
                }
              }
              return problems;
            }"""
        )

    def close(self, page) -> None:
        """Shut the lesson's kernel down (the server would otherwise keep it running)."""
        page.evaluate(
            "async () => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " if (w && w.sessionContext) await w.sessionContext.shutdown(); }"
        )


class Voila:
    """A lesson rendered by Voila: the server runs it while streaming the page."""

    name = "voila"

    def __init__(self, server: Server):
        self.server = server

    def open(self, page, lesson: Lesson) -> None:
        """Load the page (Voila runs every cell before the page finishes loading); wait for it to show."""
        page.goto(self.server.url(f"voila/render/{lesson.name}"), timeout=LESSON_TIMEOUT_MS)
        page.wait_for_selector("#rendered_cells", state="visible", timeout=LESSON_TIMEOUT_MS)

    def cells(self, page):
        return page.locator("#rendered_cells [cell-index]")

    def cell(self, page, index: int):
        return page.locator(f'#rendered_cells [cell-index="{index + 1}"]')

    def errors(self, page) -> list[str]:
        """Error and stderr outputs (Voila shows errors as stderr and stops at the first one)."""
        texts = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        return [f"stderr or error output: {text[:500]}" for text in texts.all_inner_texts()]

    def close(self, page) -> None:
        """Nothing to do: Voila shuts the kernel down when the page goes."""


# --- charts and dashboards ---------------------------------------------------------------------


def wait_for_charts(page, frontend, lesson: Lesson) -> list[int]:
    """Wait until every widget cell shows drawn charts; return the cells that never did."""
    handles = [frontend.cell(page, index).element_handle() for index in lesson.widget_cells]
    indexes = list(lesson.widget_cells)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"(args) => ({UNDRAWN_CELLS_JS})(args).length === 0",
            arg=[handles, indexes],
            timeout=LESSON_TIMEOUT_MS,
        )
    except PlaywrightTimeout:  # say which cells are missing their charts
        pass
    return page.evaluate(UNDRAWN_CELLS_JS, [handles, indexes])


def widget_errors(page) -> list[str]:
    """Outputs where a widget or chart failed to display."""
    return page.evaluate(WIDGET_ERRORS_JS, list(ERROR_TEXTS))


@dataclass
class Move:
    """One move of a dashboard control: which, how, and the value before and after."""

    control: str
    key: str
    before: str
    after: str
    shown: str


def _label(control) -> str:
    """The control's description, as the dashboard shows it."""
    return control.evaluate(
        "(el) => { const box = el.closest('.jupyter-widgets');"
        " const label = box && (box.querySelector('.widget-label-basic span')"
        " || box.querySelector('.widget-label'));"
        " return ((label && label.textContent) || '').replace(/\\u200b/g, '').trim() || 'control'; }"
    )


def _shown_value(handle) -> str:
    """What the slider's readout shows (a selection slider's aria value is only an index)."""
    return handle.evaluate(
        "(el) => { const box = el.closest('.widget-slider');"
        " const readout = box && box.querySelector('.widget-readout');"
        " return readout ? readout.textContent.trim() : el.getAttribute('aria-valuenow'); }"
    )


def move_control(cell, key: str | None = None) -> Move:
    """Move the dashboard's first slider with the keyboard, as a student can.

    PageUp (five steps up), or PageDown when the slider is at its top; ``key`` forces one. A
    dashboard without a slider gets its first checkbox clicked instead. ``before`` and ``after``
    are the slider's position (its ``aria-valuenow``, which the slider may round, and its
    readout) or the checkbox's state; ``shown`` is what the slider's readout shows after the move.
    """
    handles = cell.locator(SLIDER_HANDLES)
    if handles.count() == 0:
        box = cell.locator(CHECKBOXES).first
        before = str(box.is_checked())
        box.click()
        after = str(box.is_checked())
        return Move(_label(box), "click", before, after, f"ticked: {after}")
    handle = handles.first
    if key is None:
        at_top = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        key = "PageDown" if at_top else "PageUp"
    # The position is the slider's aria-valuenow (which the slider may round) and its readout.
    before = f"{handle.get_attribute('aria-valuenow')} ({_shown_value(handle)})"
    handle.focus()
    handle.press(key)
    after = f"{handle.get_attribute('aria-valuenow')} ({_shown_value(handle)})"
    deadline = time.monotonic() + MOVE_TIMEOUT_S
    while after == before and time.monotonic() < deadline:  # a busy page updates it a little later
        time.sleep(0.05)
        after = f"{handle.get_attribute('aria-valuenow')} ({_shown_value(handle)})"
    return Move(_label(handle), key, before, after, _shown_value(handle))


def chart_signatures(cell) -> list[str | None]:
    return cell.evaluate(CHART_SIGNATURES_JS)


def moved_and_redrawn(page, cell, timeout_ms: int = REDRAW_TIMEOUT_MS) -> tuple[Move, bool]:
    """Move a control of the dashboard in ``cell``; whether a chart then redrew with other data.

    Robust by construction: the charts' drawings are tagged before the move, and only a new,
    untagged drawing, or a drawing its widget redrew in place since (a data swap), whose data
    marks (svg) or pixels (canvas) differ from before counts: a redraw that draws the same marks
    again is no redraw with other data.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    before = chart_signatures(cell)
    cell.evaluate(TAG_DRAWINGS_JS)
    move = move_control(cell)
    try:
        page.wait_for_function(REDRAWN_JS, arg=[cell.element_handle(), before], timeout=timeout_ms)
    except PlaywrightTimeout:
        return move, False
    return move, True


# --- timing (the benchmark) --------------------------------------------------------------------

# In the page: the time of each input (a key or a click), and of the animation frame after the
# latest change to a chart of the dashboard (the frame that paints the redrawn chart).
ARM_TIMER_JS = """(root) => {
  const timer = { input: null, painted: null };
  window.__kitTimer = timer;
  const observer = new MutationObserver(() => {
    requestAnimationFrame(() => { timer.painted = performance.now(); });
  });
  // A chart widget's own element (it outlives a rebuilt drawing), else the drawing's container.
  const charts = root.querySelectorAll('.kit-swap-chart');
  (charts.length ? charts : root.querySelectorAll('.vega-embed')).forEach((chart) => observer.observe(
    chart, { childList: true, subtree: true, attributes: true, characterData: true }));
  const started = () => { timer.input = performance.now(); timer.painted = null; };
  document.addEventListener('keydown', started, { capture: true });
  document.addEventListener('click', started, { capture: true });
}"""

SETTLED_JS = """(quiet_ms) => {
  const timer = window.__kitTimer;
  return timer.painted !== null && performance.now() - timer.painted > quiet_ms;
}"""

SETTLE_MS = 200
"""A redraw is over when no chart of the dashboard has changed for this long."""


def time_moves_ms(page, cell, moves: int) -> list[float]:
    """Input to redrawn chart, in ms, for ``moves`` moves of the dashboard's first slider (PageUp
    and PageDown in turn, so the data changes every time) or, without a slider, clicks on its
    first checkbox. One more move first warms up and is not counted. A move after which no chart
    redraws raises playwright's TimeoutError."""
    handles = cell.locator(SLIDER_HANDLES)
    cell.evaluate(ARM_TIMER_JS)
    if handles.count():
        handle = handles.first
        at_top = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        keys = ["PageDown", "PageUp"] if at_top else ["PageUp", "PageDown"]
        handle.focus()

        def move(i):
            handle.press(keys[i % 2])

    else:
        box = cell.locator(CHECKBOXES).first

        def move(_i):
            box.click()

    times_ms = []
    for i in range(moves + 1):
        move(i)
        page.wait_for_function(SETTLED_JS, arg=SETTLE_MS, timeout=REDRAW_TIMEOUT_MS)
        if i:
            times_ms.append(page.evaluate("() => window.__kitTimer.painted - window.__kitTimer.input"))
    return times_ms
