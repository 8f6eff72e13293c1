"""Run one exercise notebook's code in a fresh kernel and send the grader what it showed.

The grader (:mod:`tokenomics.exercises.grade`) starts this module inside its sandbox, as
``python -I -m tokenomics.exercises.runner``; it is not meant to be run by hand. The request
comes on standard input as one JSON object::

    {"lesson": "batching", "nonce": "...", "cells": [{"id": "q1-answer", "source": "..."}, ...],
     "memory_bytes": ..., "cpu_s": ..., "processes": ... or null, "max_output_bytes": ...}

and the answer goes back on standard output as JSON lines: ``{"event": "cell", "id": ...}`` as
each cell starts (so a time-out can name the cell it stopped in), then one ``{"event": "done",
...}`` with what every cell showed, the cells that raised, the grader's report line and the
problem that stopped the run, if any.

Before it starts the kernel, the runner

- sets the memory (address space), CPU-time, process-count and core-dump limits, which the
  kernel inherits;
- makes itself non-dumpable, so that code in the kernel (the same user) can read neither its
  memory nor its file descriptors through ``/proc``, and so cannot learn the nonce;
- keeps its standard output for the grader on a descriptor the kernel does not inherit, and
  gives the kernel ``/dev/null`` for its standard streams, so nothing the kernel writes reaches
  the grader except through the runner.

The grader's report is asked for as a *user expression* of a last, empty execution: IPython
evaluates it after the cell hooks and returns it in the execution's reply, not in its output, so
a line a cell or a hook prints can never take its place.
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import resource
import sys
import tempfile
from pathlib import Path

_PR_SET_DUMPABLE = 4
_POLL_S = 0.5  # how often a silent kernel is checked for being alive
_MAX_CELL_TEXT_CHARS = 20_000  # the text kept of what one cell showed


def _limit_resources(memory_bytes: int, cpu_s: int, processes: int | None) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


def _make_undumpable() -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


def _private_output():
    """The grader's channel, on a descriptor children do not inherit; fds 0-2 become /dev/null."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")  # os.dup: not inheritable
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    return channel


class _Output:
    """What one execution showed: its text (the first characters of it) and its errors."""

    def __init__(self):
        self.text = ""
        self.errors: list[str] = []

    def add(self, text: str) -> None:
        room = _MAX_CELL_TEXT_CHARS - len(self.text)
        if room > 0:
            self.text += text[:room]


def _size_bytes(content: dict) -> int:
    """The size of a message's output, counted in characters (bytes, for the usual ASCII)."""
    data = content.get("data", {})
    parts = [content.get("text", ""), content.get("evalue", ""), *content.get("traceback", [])]
    parts += [value if isinstance(value, str) else json.dumps(value) for value in data.values()]
    return sum(len(part) for part in parts if isinstance(part, str))


class _Run:
    """A kernel, the messages it sends, and the output counted against the cap."""

    def __init__(self, manager, client, max_output_bytes: int):
        self.manager = manager
        self.client = client
        self.max_output_bytes = max_output_bytes
        self.output_bytes = 0

    def collect(self, msg_id: str) -> tuple[_Output, str | None]:
        """Gather one execution's output until the kernel is idle; the problem that stopped it, if any."""
        output = _Output()
        while True:
            try:
                message = self.client.get_iopub_msg(timeout=_POLL_S)
            except queue.Empty:
                if not self.manager.is_alive():
                    return output, "the kernel died"
                continue
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            self.output_bytes += _size_bytes(content)
            if self.output_bytes > self.max_output_bytes:
                return output, f"the output is over the cap of {self.max_output_bytes / 1e6:g} MB"
            if kind == "status" and content.get("execution_state") == "idle":
                return output, None
            if kind == "stream":
                output.add(content.get("text", ""))
            elif kind in ("display_data", "execute_result"):
                output.add(content.get("data", {}).get("text/plain", ""))
            elif kind == "error":
                error = f"{content.get('ename', '')}: {content.get('evalue', '')}"
                output.errors.append(error)
                output.add(error)
            elif kind == "clear_output":
                output.text = ""

    def reply(self, msg_id: str) -> tuple[dict | None, str | None]:
        """The shell reply to one execution, or the problem that stopped it."""
        while True:
            try:
                message = self.client.get_shell_msg(timeout=_POLL_S)
            except queue.Empty:
                if not self.manager.is_alive():
                    return None, "the kernel died"
                continue
            if message.get("parent_header", {}).get("msg_id") == msg_id:
                return message["content"], None


def _report_expression(lesson: str, nonce: str) -> str:
    return f"__import__('tokenomics.exercises.answers', fromlist=['report']).report({lesson!r}, {nonce!r})"


def execute(request: dict, send) -> dict:
    """Run the request's cells, then the grader's report; ``send`` gets each progress event."""
    from jupyter_client import KernelManager

    sockets = Path(tempfile.mkdtemp(prefix="kernel-"))
    manager = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    manager.start_kernel(cwd=os.getcwd())
    client = manager.client()
    client.start_channels()
    run = _Run(manager, client, int(request["max_output_bytes"]))
    result = {"event": "done", "cells": [], "report": None, "report_error": None, "problem": None}
    try:
        client.wait_for_ready(timeout=60)
        for cell in request["cells"]:
            send({"event": "cell", "id": cell["id"]})
            msg_id = client.execute(
                cell["source"], store_history=True, allow_stdin=False, stop_on_error=False
            )
            output, problem = run.collect(msg_id)
            result["cells"].append({"id": cell["id"], "text": output.text, "errors": output.errors})
            if problem:
                result["problem"] = f"{problem} (in cell {cell['id']})"
                return result
        send({"event": "cell", "id": "grader-report"})
        expressions = {"answers": _report_expression(request["lesson"], request["nonce"])}
        msg_id = client.execute("", store_history=False, allow_stdin=False, user_expressions=expressions)
        output, problem = run.collect(msg_id)
        result["report_output"] = output.text
        if problem:
            result["problem"] = f"{problem} (in the grader's report, after the last cell)"
            return result
        content, problem = run.reply(msg_id)
        if problem:
            result["problem"] = f"{problem} (in the grader's report, after the last cell)"
            return result
        answer = (content.get("user_expressions") or {}).get("answers", {})
        if answer.get("status") == "ok":
            result["report"] = answer.get("data", {}).get("text/plain")
        else:
            result["report_error"] = f"{answer.get('ename', 'no reply')}: {answer.get('evalue', '')}"
        return result
    finally:
        client.stop_channels()
        if manager.is_alive():
            manager.shutdown_kernel(now=True)


def main() -> int:
    _make_undumpable()
    request = json.loads(sys.stdin.read())
    _limit_resources(int(request["memory_bytes"]), int(request["cpu_s"]), request.get("processes"))
    channel = _private_output()

    def send(event: dict) -> None:
        channel.write(json.dumps(event) + "\n")
        channel.flush()

    try:
        send(execute(request, send))
    except Exception as error:  # the kernel would not start, or a message was malformed
        send({"event": "done", "cells": [], "problem": f"the notebook could not be run: {error}"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
