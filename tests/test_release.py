"""The release files agree with each other: version, licences, citation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the backport named in the test extra
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_changelog_opens_with_this_version():
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), flags=re.M)
    assert headings and headings[0] == project_version()


def test_the_citation_names_this_version_and_the_licences():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert str(citation["version"]) == project_version()
    assert {"title", "message", "authors", "date-released"} <= set(citation)
    assert all(author.get("name") or author.get("family-names") for author in citation["authors"])
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}


def test_lesson_text_is_cc_by_and_the_readme_says_so():
    content = (ROOT / "LICENSE-CONTENT").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International Public License" in content
    assert "Section 8 -- Interpretation." in content, "the licence's full text"
    assert "MIT" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    licence_section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Licence", 1)[1]
    assert "(LICENSE-CONTENT)" in licence_section and "(LICENSE)" in licence_section
