"""pyproject.toml and environment.yml must list the same packages with the same versions.

Binder builds from environment.yml (conda-forge names); ``make`` installs from pyproject.toml
(PyPI names). Conda is not needed: the two files are compared as text.
"""

import re
import subprocess
import sys
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the backport named in the test extra
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent

# conda-forge name -> PyPI name, where they differ.
CONDA_TO_PYPI: dict[str, str] = {"playwright-python": "playwright"}
# Conda-only entries that have no PyPI counterpart in pyproject.toml.
CONDA_ONLY = {"python", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    """'altair>=6,<7' -> ('altair', '<7,>=6'): a normalised name and a sorted specifier set."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement)
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    specifiers = ",".join(sorted(s.strip().replace(" ", "") for s in match.group(2).split(",") if s.strip()))
    return name, specifiers


def pyproject_requirements() -> dict[str, str]:
    """Requirements without an environment marker: a marked one (a backport for an old Python)
    has no place in the conda environment, which brings its own Python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(_split(r) for r in requirements if ";" not in r)


def conda_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pairs = [_split(entry) for entry in environment["dependencies"] if isinstance(entry, str)]
    return {CONDA_TO_PYPI.get(name, name): spec for name, spec in pairs if name not in CONDA_ONLY}


def test_environment_yml_matches_pyproject():
    pyproject, conda = pyproject_requirements(), conda_requirements()
    assert sorted(set(pyproject) - set(conda)) == [], "in pyproject.toml but not in environment.yml"
    assert sorted(set(conda) - set(pyproject)) == [], "in environment.yml but not in pyproject.toml"
    different = {name: (pyproject[name], conda[name]) for name in pyproject if pyproject[name] != conda[name]}
    assert different == {}, "version constraints differ (pyproject, environment.yml)"


def test_altair_major_version_is_pinned():
    # Stored notebook outputs carry altair's $schema URL, which changes with its major version.
    assert pyproject_requirements()["altair"] == "<7,>=6"


def test_environment_python_matches_requires_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(e for e in environment["dependencies"] if isinstance(e, str) and e.startswith("python"))
    assert _split(python)[1] == _split("python" + project["requires-python"])[1]


def test_the_comparison_can_fail():
    assert _split("vl_convert.Python >= 1.6") == ("vl-convert-python", ">=1.6")
    assert _split("numpy>=1.26") != _split("numpy>=2")


# -- two pins that keep the lessons quick to start and their charts drawn (see pyproject.toml) --


def test_importing_altair_builds_no_iri_grammar():
    # jsonschema 4.25+ imports rfc3987-syntax, which compiles a Lark grammar (1-3 s of CPU) in
    # every process that imports altair: each kernel, server and test worker.
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, altair; print('rfc3987_syntax' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "False"


def test_anywidget_waits_for_a_chart_model_to_start():
    # anywidget 0.9.17+ gives up on a chart's model after 2 s and leaves the chart blank.
    import anywidget

    scripts = list((Path(anywidget.__file__).parent / "labextension").rglob("*.js"))
    assert scripts, "anywidget's JupyterLab extension is missing"
    gives_up = [path.name for path in scripts if "Failed to initialize model" in path.read_text()]
    assert gives_up == [], f"anywidget {anywidget.__version__} leaves a slow chart blank"
