"""The sandbox a handed-in notebook runs in: bubblewrap (``bwrap``) on Linux.

Inside it the notebook's code has no network (a network namespace of its own, with nothing in
it), sees the system, the Python environment and the kit read-only and nothing else of the
machine (not the other submissions, not the instructor's files), and can write only to a small
throwaway home folder and ``/tmp``, both in memory and gone when the run ends. It runs in
namespaces of its own (user, PID, IPC, UTS, cgroup) with no capabilities and cannot make new
user namespaces; when the run ends, or the grader dies, every process it started is killed with
it. The memory and CPU limits are set by :mod:`tokenomics.exercises.runner` inside the sandbox.

:func:`run` also works without a sandbox (``sandboxed=False``), for an instructor who passes
``--no-sandbox``: the same runner, limits and caps, but the code can then read and write
whatever the instructor can, and reach the network.

Examples
--------
>>> Limits(timeout_s=60).memory_bytes
4294967296
"""

from __future__ import annotations

import functools
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import tokenomics
from tokenomics import data

SANDBOX_HOME = "/home/sandbox"
"""The notebook's working folder inside the sandbox (a small tmpfs)."""

_SYSTEM_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
_ETC_FILES = (  # what Python, numpy and fonts read from /etc; the rest of /etc stays out of sight
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/fonts",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/mime.types",
)
_STDERR_KEPT_BYTES = 4_000


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be set up on this machine; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    """What one notebook may use.

    Parameters
    ----------
    timeout_s : float
        Wall-clock seconds for the whole notebook, kernel start included.
    memory_mb : int
        Address space of each process, in MiB (the kernel's included).
    max_output_mb : float
        Output of the whole notebook, in MB (text, pictures and charts alike).
    work_mb : int
        Size of each writable place (the home folder, ``/tmp``, ``/dev/shm``), in MiB.
    processes : int
        Processes and threads the notebook may run at once, the kernel's own included (only in
        the sandbox, which has a user namespace of its own: outside it the limit would count
        every process of the instructor's).
    """

    timeout_s: float = 180.0
    memory_mb: int = 4096
    max_output_mb: float = 20.0
    work_mb: int = 256
    processes: int = 256

    def __post_init__(self):
        for name in ("timeout_s", "memory_mb", "max_output_mb", "work_mb", "processes"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"{name} must be positive, not {value!r}")

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mb) * 2**20

    @property
    def max_output_bytes(self) -> int:
        return int(self.max_output_mb * 1e6)

    @property
    def cpu_s(self) -> int:
        """A CPU-time limit a little above the wall clock: a backstop, not the limit that bites."""
        return int(self.timeout_s) + 10


def readable_roots() -> list[Path]:
    """The folders the sandbox shows read-only besides the system: the kit and its Python."""
    package = Path(tokenomics.__file__).resolve().parent
    roots = [
        package,
        data.DATASETS_DIR.resolve(),
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
    ]
    kept: list[Path] = []
    for root in roots:
        inside_usr = root == Path("/usr") or Path("/usr") in root.parents
        if root.exists() and not inside_usr and root not in kept:
            kept.append(root)
    return kept


def environment() -> dict[str, str]:
    """The variables the notebook's processes get, and no others."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "PYTHONDONTWRITEBYTECODE": "1",
        # one thread each: a fair share of the instructor's cores, and a smaller address space
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def bwrap_command(command: list[str], limits: Limits) -> list[str]:
    """``command`` wrapped in the bubblewrap sandbox described in this module's docstring."""
    size = str(limits.work_mb * 2**20)
    args = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--cap-drop", "ALL"]
    args += ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/dev/shm"]
    args += ["--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", SANDBOX_HOME]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in _SYSTEM_DIRS:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for path in _ETC_FILES:
        args += ["--ro-bind-try", path, path]
    for root in readable_roots():
        args += ["--ro-bind", str(root), str(root)]
    args += ["--remount-ro", "/", "--clearenv"]  # the sandbox's root itself is not a place to write
    for name, value in {**environment(), "HOME": SANDBOX_HOME}.items():
        args += ["--setenv", name, value]
    return [*args, "--chdir", SANDBOX_HOME, "--", *command]


def _unavailable(reason: str) -> SandboxUnavailable:
    return SandboxUnavailable(
        f"cannot grade safely: {reason}. The grader runs each notebook in a bubblewrap sandbox "
        "(no network, the kit read-only, a throwaway folder); it needs Linux with user namespaces "
        "and the `bwrap` command (Debian or Ubuntu: `sudo apt install bubblewrap`; Fedora: "
        "`sudo dnf install bubblewrap`). Or pass --no-sandbox to run the notebooks without one, "
        "as the instructor's own user, with the network and every file the instructor can reach: "
        "only for notebooks you trust, on a machine you can throw away."
    )


@functools.lru_cache(maxsize=1)
def _problem() -> str:
    """Why the sandbox cannot be used here ("" if it can); tried once per process."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux, and this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return "the `bwrap` command (bubblewrap) is not installed"
    probe = bwrap_command([sys.executable, "-I", "-c", "import tokenomics.exercises.runner"], Limits())
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not be started ({error})"
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        return (
            f"bubblewrap failed ({said[0]}); user namespaces may be switched off "
            "(see `sysctl kernel.unprivileged_userns_clone` and, on Ubuntu, "
            "`kernel.apparmor_restrict_unprivileged_userns`)"
        )
    return ""


def check() -> None:
    """Raise :class:`SandboxUnavailable`, saying why and naming ``--no-sandbox``, if it cannot run."""
    problem = _problem()
    if problem:
        raise _unavailable(problem)


@dataclass(frozen=True)
class Finished:
    """How a sandboxed command ended.

    Attributes
    ----------
    stdout : bytes
        What it wrote on standard output, up to the cap.
    stderr : str
        The end of what it wrote on standard error.
    timed_out : bool
        Stopped at the wall-clock limit.
    over_cap : bool
        Stopped because its standard output passed the cap.
    """

    stdout: bytes
    stderr: str
    timed_out: bool
    over_cap: bool


def _read_until(process: subprocess.Popen, deadline: float, max_bytes: int) -> Finished:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    selector.register(process.stderr, selectors.EVENT_READ)
    stdout, stderr = bytearray(), bytearray()
    timed_out = over_cap = False
    while selector.get_map() and not (timed_out or over_cap):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        for key, _ in selector.select(remaining):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                selector.unregister(key.fileobj)
            elif key.fileobj is process.stdout:
                stdout += chunk
                over_cap = len(stdout) > max_bytes
            else:
                stderr = (stderr + chunk)[-_STDERR_KEPT_BYTES:]
    selector.close()
    text = stderr.decode("utf-8", errors="replace")
    return Finished(bytes(stdout[:max_bytes]), text, timed_out, over_cap)


def run(command: list[str], request: bytes, limits: Limits, sandboxed: bool = True) -> Finished:
    """Run ``command`` (sandboxed unless told not to), send it ``request``, and read its answer.

    The wall clock starts before the sandbox does. When the command ends, times out or passes
    the output cap, it is killed: in the sandbox, with every process it started.

    Parameters
    ----------
    command : list of str
        The program and its arguments, as seen inside the sandbox.
    request : bytes
        Written to its standard input, which is then closed.
    limits : Limits
        The wall clock and the output cap (the runner applies the rest).
    sandboxed : bool
        False runs ``command`` directly, in a temporary folder, as the instructor.
    """
    deadline = time.monotonic() + limits.timeout_s
    max_bytes = limits.max_output_bytes + 1_000_000  # the runner's own report on top of the output
    with tempfile.TemporaryDirectory(prefix="grading-") as folder:
        if sandboxed:
            argv, options = bwrap_command(command, limits), {}
        else:
            environ = {**environment(), "HOME": folder}
            argv, options = command, {"cwd": folder, "env": environ, "start_new_session": True}
        process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options
        )
        try:
            try:
                process.stdin.write(request)
                process.stdin.close()
            except BrokenPipeError:
                pass  # it ended before reading: its stderr says why
            return _read_until(process, deadline, max_bytes)
        finally:
            _end(process, sandboxed)


def _end(process: subprocess.Popen, sandboxed: bool) -> None:
    """Kill ``process`` (the sandbox takes every process inside with it) and reap it."""
    if sandboxed:
        process.kill()
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    for stream in (process.stdout, process.stderr):
        stream.close()
