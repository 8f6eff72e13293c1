"""The small BPE tokenizer: training, encoding, counting, properties and input checks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tokenomics import tokens
from tokenomics.tokens import (
    KIT_MERGES,
    count_tokens,
    count_tokens_by_merges,
    count_words,
    encode,
    kit_merges,
    pretokenize,
    tokens_per_word,
    train_bpe,
    training_text,
)

TEXT = st.text(alphabet=st.sampled_from(list("abcab tokens .,!\n'0123")), max_size=60)


def test_training_merges_the_most_frequent_pair_first():
    assert train_bpe("aaab aaab", 1) == [("a", "a")]
    # ties go to the pair that sorts first: (' ', 'c'), ('a', 'b') and ('c', 'd') occur twice each
    assert train_bpe("ab cd ab cd", 1) == [(" ", "c")]


def test_training_is_deterministic_and_stops_when_no_pair_repeats():
    text = "low lower lowest low low"
    assert train_bpe(text, 50) == train_bpe(text, 50)
    merges = train_bpe(text, 50)
    assert len(merges) < 50
    assert train_bpe("abc", 5) == []
    assert train_bpe("", 5) == []


def test_a_merge_joins_the_pieces_it_names():
    merges = train_bpe("tokens token tokenomics", 4)
    assert merges == [("e", "n"), ("k", "en"), ("o", "ken"), ("t", "oken")]
    assert encode("token", merges) == ["token"]
    assert encode("token", merges[:1]) == ["t", "o", "k", "en"]
    assert encode("", merges) == []


def test_pretokenize_keeps_the_space_on_the_word_after_it():
    assert pretokenize("Price: $2.19 per token!") == [
        "Price",
        ":",
        " $",
        "2",
        ".",
        "19",
        " per",
        " token",
        "!",
    ]
    assert pretokenize("a  b\n") == ["a", "  ", "b", "\n"]


def test_counts_and_ratios():
    merges = train_bpe("tokens token tokenomics", 4)
    assert count_tokens("token token", merges) == 3
    assert count_words("  two words ") == 2
    assert tokens_per_word("token token", merges) == pytest.approx(1.5)
    assert count_tokens_by_merges("token", merges, 0) == 5
    assert count_tokens_by_merges("token", merges, [0, 4]).tolist() == [5, 1]


def test_the_kit_tokenizer_learns_from_the_kit_readmes():
    text = training_text()
    assert "Token Economics kit" in text and "datapackage.json" in text
    merges = kit_merges()
    assert len(merges) == KIT_MERGES
    assert kit_merges(10) == merges[:10]
    assert merges == train_bpe(text, KIT_MERGES)
    # the kit's vocabulary: words it uses often become single tokens
    assert encode(" token", merges) == [" token"]
    assert 1.0 < tokens_per_word(text, merges) < 4.0


def test_the_kit_tokenizer_splits_a_rare_word_into_fragments():
    pieces = encode("fantastic", kit_merges())
    assert len(pieces) > 1 and "".join(pieces) == "fantastic"


@settings(max_examples=150, deadline=None)
@given(train=TEXT, text=TEXT, n=st.integers(0, 30))
def test_encoding_gives_back_the_text(train, text, n):
    merges = train_bpe(train, n)
    assert len(merges) <= n
    pieces = encode(text, merges)
    assert "".join(pieces) == text
    assert all(pieces)
    assert len(pieces) <= len(text)


@settings(max_examples=100, deadline=None)
@given(train=TEXT, text=TEXT)
def test_more_merges_never_mean_more_tokens(train, text):
    merges = train_bpe(train, 20)
    counts = count_tokens_by_merges(text, merges, np.arange(len(merges) + 1))
    counts = np.atleast_1d(counts)
    assert counts[0] == len(text)
    assert (np.diff(counts) <= 0).all()


@settings(max_examples=100, deadline=None)
@given(train=TEXT)
def test_every_merge_makes_a_piece_the_training_text_holds(train):
    for left, right in train_bpe(train, 15):
        assert (left + right) in train


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: train_bpe(None, 3), "text"),
        (lambda: train_bpe(b"bytes", 3), "text"),
        (lambda: train_bpe("abc", -1), "n_merges"),
        (lambda: train_bpe("abc", 2.5), "n_merges"),
        (lambda: encode(42, []), "text"),
        (lambda: encode("abc", "ab"), "merges"),
        (lambda: encode("abc", [("a",)]), "merges"),
        (lambda: encode("abc", [("a", "")]), "merges"),
        (lambda: encode("abc", 7), "merges"),
        (lambda: count_tokens(["a"], []), "text"),
        (lambda: count_words(3.0), "text"),
        (lambda: tokens_per_word("   ", []), "text"),
        (lambda: count_tokens_by_merges("abc", [("a", "b")], 2), "n_merges"),
        (lambda: count_tokens_by_merges("abc", [("a", "b")], -1), "n_merges"),
        (lambda: kit_merges(KIT_MERGES + 1), "n_merges"),
        (lambda: pretokenize(None), "text"),
    ],
)
def test_bad_input_is_a_value_error_naming_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


def test_a_missing_training_file_is_named():
    with pytest.raises(FileNotFoundError, match="no_such_file.md"):
        tokens.training_text(["no_such_file.md"])
