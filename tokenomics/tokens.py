"""A small byte-pair-encoding (BPE) tokenizer: what a token is, in code you can read.

Language models read and write *tokens*: short pieces of text, often a whole common word,
often a fragment of a rarer one. Real tokenizers (OpenAI's, Anthropic's, DeepSeek's) learn
their pieces from huge amounts of text and download their vocabularies from the internet.
This one learns its pieces from the kit's own text, runs offline and fits on one page, so a
student can see every step.

Byte-pair encoding, the method most real tokenizers use:

1. **Split** the text into words (with the space before a word kept on the word), numbers,
   punctuation and runs of spaces (:func:`pretokenize`). Tokens never cross these borders.
2. **Train** (:func:`train_bpe`): start with every word as a list of single characters. Count
   every pair of neighbouring pieces over the whole training text, weighted by how often each
   word occurs. Merge the most frequent pair into one new piece everywhere, and write the merge
   down. Repeat ``n_merges`` times. Ties are broken by a fixed rule, so training is
   deterministic: among equally frequent pairs, the one that sorts first (Python string order)
   wins. Training stops early when no pair occurs twice.
3. **Encode** (:func:`encode`): split new text the same way, start from single characters, and
   apply the learned merges in the order they were learned.

The pieces here are characters, not bytes (real byte-level tokenizers start from the 256 byte
values), so any character is a valid token and nothing is ever "unknown".

Examples
--------
>>> merges = train_bpe("low lower lowest low low", n_merges=3)
>>> merges
[('l', 'o'), ('lo', 'w'), (' ', 'low')]
>>> encode("lowest", merges)
['low', 'e', 's', 't']
>>> count_tokens("low lowest", merges)
5
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from tokenomics.validation import count as whole_count
from tokenomics.validation import scalar_or_array, whole

REPOSITORY_DIR = Path(__file__).resolve().parent.parent
"""The kit's folder (the one holding ``README.md``, ``datasets/`` and ``tokenomics/``)."""

TRAINING_FILES = ("tokenomics/tokenizer_corpus.md",)
"""The kit's own text the tokenizer learns from, read at run time: a frozen copy of the kit's
README and the datasets' README, so that the learned merges (and every split a lesson shows)
do not change when those files are edited."""

KIT_MERGES = 1000
"""How many merges :func:`kit_merges` learns from :data:`TRAINING_FILES` at most."""

PIECE_PATTERN = re.compile(r" ?[^\W\d_]+| ?\d+| ?[^\s\w]+|_+|\s+")
"""Pre-tokenization: a word (letters, with the space before it), a number (digits, with the
space before it), a run of punctuation (with the space before it), underscores, or a run of
white space."""


def _text(name: str, value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string (got {type(value).__name__}: {value!r:.60})")
    return value


def _merges(merges) -> list[tuple[str, str]]:
    if isinstance(merges, (str, bytes)):
        raise ValueError(f"merges must be a list of (left, right) pairs of strings (got {merges!r:.60})")
    try:
        pairs = [tuple(pair) for pair in merges]
    except TypeError:
        raise ValueError(
            f"merges must be a list of (left, right) pairs of strings (got {merges!r:.60})"
        ) from None
    for pair in pairs:
        if len(pair) != 2 or not all(isinstance(piece, str) and piece for piece in pair):
            raise ValueError(
                f"merges must be a list of (left, right) pairs of non-empty strings (got {pair!r:.60})"
            )
    return pairs


def pretokenize(text: str) -> list[str]:
    """Split ``text`` into the chunks that tokens may not cross (see :data:`PIECE_PATTERN`).

    Joining the chunks gives back the text exactly.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        Words with their leading space, numbers, punctuation and white space, in order.

    Examples
    --------
    >>> pretokenize("Price: $2.19 per token!")
    ['Price', ':', ' $', '2', '.', '19', ' per', ' token', '!']
    """
    return PIECE_PATTERN.findall(_text("text", text))


def _merge_pair(symbols: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    """``symbols`` with every left-to-right occurrence of ``pair`` joined into one piece."""
    merged, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            merged.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return tuple(merged)


def train_bpe(text: str, n_merges: int) -> list[tuple[str, str]]:
    """Learn up to ``n_merges`` byte-pair-encoding merges from ``text``.

    At every step the most frequent pair of neighbouring pieces (counted over all words,
    weighted by how often each word occurs) is merged into one piece. Among equally frequent
    pairs the one that sorts first wins, so the result depends on the text alone. Training
    stops early when no pair occurs at least twice.

    Parameters
    ----------
    text : str
        The training text.
    n_merges : int
        Largest number of merges to learn, a whole number >= 0.

    Returns
    -------
    list of (str, str)
        The merges in the order they were learned; each new piece is ``left + right``.

    Examples
    --------
    >>> train_bpe("tokens token tokenomics", n_merges=4)
    [('e', 'n'), ('k', 'en'), ('o', 'ken'), ('t', 'oken')]
    """
    text = _text("text", text)
    n_merges = whole_count("n_merges", n_merges, minimum=0)
    word_counts = Counter(pretokenize(text))
    words = [tuple(word) for word in word_counts]
    counts = list(word_counts.values())
    pair_counts: Counter = Counter()
    where: defaultdict = defaultdict(set)  # pair -> indices of the words that hold it
    for index, (symbols, count) in enumerate(zip(words, counts, strict=True)):
        for pair in pairwise(symbols):
            pair_counts[pair] += count
            where[pair].add(index)

    merges: list[tuple[str, str]] = []
    while len(merges) < n_merges and pair_counts:
        best_count = max(pair_counts.values())
        if best_count < 2:
            break
        best = min(pair for pair, count in pair_counts.items() if count == best_count)
        merges.append(best)
        for index in where.pop(best):
            old, count = words[index], counts[index]
            new = _merge_pair(old, best)
            for pair in pairwise(old):
                pair_counts[pair] -= count
                if pair_counts[pair] == 0:
                    del pair_counts[pair]
            for pair in pairwise(new):
                pair_counts[pair] += count
                if pair != best:
                    where[pair].add(index)
            words[index] = new
    return merges


def _encode_chunk(chunk: str, ranks: dict[tuple[str, str], int]) -> tuple[str, ...]:
    symbols = tuple(chunk)
    while len(symbols) > 1:
        ranked = [(ranks[pair], pair) for pair in pairwise(symbols) if pair in ranks]
        if not ranked:
            break
        symbols = _merge_pair(symbols, min(ranked)[1])
    return symbols


def encode(text: str, merges) -> list[str]:
    """Split ``text`` into tokens with learned ``merges``.

    Each chunk of :func:`pretokenize` starts as single characters; the merge learned earliest
    among the neighbouring pairs is applied first, until no learned merge applies. Joining the
    tokens gives back the text exactly.

    Parameters
    ----------
    text : str
        The text to split.
    merges : list of (str, str)
        As returned by :func:`train_bpe` (or its first few: fewer merges, smaller pieces).

    Returns
    -------
    list of str
        The tokens, in order.

    Examples
    --------
    >>> merges = train_bpe("tokens token tokenomics", n_merges=4)
    >>> encode("a token", merges)
    ['a', ' ', 'token']
    >>> encode("a token", merges[:2])
    ['a', ' ', 't', 'o', 'ken']
    """
    text = _text("text", text)
    ranks = {pair: rank for rank, pair in enumerate(_merges(merges))}
    cache: dict[str, tuple[str, ...]] = {}
    tokens: list[str] = []
    for chunk in pretokenize(text):
        if chunk not in cache:
            cache[chunk] = _encode_chunk(chunk, ranks)
        tokens.extend(cache[chunk])
    return tokens


def count_tokens(text: str, merges) -> int:
    """Number of tokens :func:`encode` splits ``text`` into.

    Examples
    --------
    >>> count_tokens("tokens", train_bpe("tokens token tokenomics", n_merges=4))
    2
    """
    return len(encode(text, merges))


def count_words(text: str) -> int:
    """Number of words in ``text``: runs of characters between white space.

    Examples
    --------
    >>> count_words("Revenue = P x Q")
    5
    """
    return len(_text("text", text).split())


def tokens_per_word(text: str, merges) -> float:
    """Tokens per word of ``text``: :func:`count_tokens` / :func:`count_words`.

    Raises
    ------
    ValueError
        If ``text`` has no word.

    Examples
    --------
    >>> tokens_per_word("tokens tokens", train_bpe("tokens token tokenomics", n_merges=4))
    2.5
    """
    words = count_words(text)
    if words == 0:
        raise ValueError(f"text must contain at least one word (got {text!r:.60})")
    return count_tokens(text, merges) / words


def count_tokens_by_merges(text: str, merges, n_merges):
    """Tokens in ``text`` when only the first ``n_merges`` of ``merges`` are used.

    With 0 merges every character is a token; every merge can only join pieces, so the count
    never rises as ``n_merges`` grows.

    Parameters
    ----------
    text : str
        The text to split.
    merges : list of (str, str)
        Learned merges, in order.
    n_merges : int or array_like
        How many of them to use, whole numbers from 0 to ``len(merges)``.

    Returns
    -------
    int or numpy.ndarray
        Token counts, one per value of ``n_merges`` (an int for a single value).

    Examples
    --------
    >>> merges = train_bpe("tokens token tokenomics", n_merges=4)
    >>> count_tokens_by_merges("token", merges, [0, 2, 4]).tolist()
    [5, 3, 1]
    """
    text = _text("text", text)
    merges = _merges(merges)
    n = whole("n_merges", n_merges, minimum=0)
    if (n > len(merges)).any():
        raise ValueError(
            f"n_merges must be <= {len(merges)}, the number of merges given "
            f"(got {n[n > len(merges)].flat[0]:g})"
        )
    counts = np.vectorize(lambda k: count_tokens(text, merges[: int(k)]), otypes=[np.int64])(n)
    result = scalar_or_array(counts)
    return int(result) if np.ndim(result) == 0 else result


def training_text(files=TRAINING_FILES) -> str:
    """The kit's own text the tokenizer learns from, read from the repository at run time.

    Parameters
    ----------
    files : sequence of str
        Paths inside the kit's folder (default :data:`TRAINING_FILES`), joined with blank lines.

    Examples
    --------
    >>> "Token Economics kit" in training_text()
    True
    """
    texts = []
    for name in files:
        path = REPOSITORY_DIR / name
        if not path.is_file():
            raise FileNotFoundError(f"{name}: not found in the kit's folder; the tokenizer trains on it")
        texts.append(path.read_text(encoding="utf-8"))
    return "\n\n".join(texts)


@lru_cache(maxsize=1)
def _kit_merges() -> tuple[tuple[str, str], ...]:
    return tuple(train_bpe(training_text(), KIT_MERGES))


def kit_merges(n_merges: int = KIT_MERGES) -> list[tuple[str, str]]:
    """The first ``n_merges`` merges learned from the kit's own text (:func:`training_text`).

    Training runs once per session (a fraction of a second) and is cached.

    Parameters
    ----------
    n_merges : int
        Whole number from 0 to :data:`KIT_MERGES`.

    Examples
    --------
    >>> len(kit_merges(100))
    100
    """
    n = whole_count("n_merges", n_merges, minimum=0, maximum=KIT_MERGES)
    return list(_kit_merges()[:n])
