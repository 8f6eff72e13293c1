r"""Dollar signs in notebook Markdown: keep prices from turning into maths.

Jupyter renders the text between two ``$`` signs as LaTeX maths, so "$0.55 and $2.19 per
million" shows as a garbled formula. :func:`escape_prices` writes every ``$`` that does not
delimit a formula as ``\\$``: Markdown turns the two backslashes into one, which tells MathJax
that the dollar is literal. (A single backslash is not enough: Markdown consumes it and the
dollar becomes maths again; seen in JupyterLab 4 and Voila.) A pair of ``$`` counts as a
formula when it follows pandoc's rule for inline maths: the enclosed text neither starts nor
ends with a space and the closing ``$`` is not followed by a digit ("$N - 1$" is a formula;
"$0.55 and $2.19" is not). ``$$ ... $$`` blocks and code are left alone.

Examples
--------
>>> print(escape_prices(r"costs $0.55 and \$2.19, or $P \times Q$"))
costs \\$0.55 and \\$2.19, or $P \times Q$
"""

from __future__ import annotations

import re

_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", flags=re.DOTALL)
_DISPLAY_MATH = re.compile(r"(\$\$.*?\$\$)", flags=re.DOTALL)
# A dollar as Jupyter needs it for a price, half-escaped (a Markdown escape only), or bare.
_DOLLAR = re.compile(r"\\\\\$|\\\$|\$")
_LITERAL_DOLLAR = "\\\\$"


def _is_formula(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, between two dollar signs, is inline maths (pandoc's rule)."""
    enclosed = text[start:end]
    followed_by_digit = text[end + 1 : end + 2].isdigit()
    return bool(enclosed) and enclosed == enclosed.strip() and not followed_by_digit


def _next_bare_dollar(text: str, start: int) -> re.Match | None:
    return next((match for match in _DOLLAR.finditer(text, start) if match.group() == "$"), None)


def _escape_paragraph(text: str) -> str:
    """Escape the dollars of one paragraph (no code, no display maths) that delimit no formula."""
    out, position = [], 0
    while (dollar := _DOLLAR.search(text, position)) is not None:
        out.append(text[position : dollar.start()])
        if dollar.group() == "$":
            closing = _next_bare_dollar(text, dollar.end())
            if closing is not None and _is_formula(text, dollar.end(), closing.start()):
                out.append(text[dollar.start() : closing.end()])  # a formula: keep it as it is
                position = closing.end()
                continue
        out.append(_LITERAL_DOLLAR)
        position = dollar.end()
    out.append(text[position:])
    return "".join(out)


def escape_prices(markdown: str) -> str:
    """``markdown`` with every dollar sign that is not a maths delimiter written ``\\\\$``.

    Parameters
    ----------
    markdown : str
        Notebook Markdown.

    Returns
    -------
    str
        The same text; unchanged if it has nothing to escape (escaping twice changes nothing).
    """
    pieces = []
    for piece in _CODE.split(markdown):
        if _CODE.fullmatch(piece):
            pieces.append(piece)
            continue
        for part in _DISPLAY_MATH.split(piece):
            if _DISPLAY_MATH.fullmatch(part):
                pieces.append(part)
            else:
                pieces.append("\n\n".join(_escape_paragraph(p) for p in part.split("\n\n")))
    return "".join(pieces)
