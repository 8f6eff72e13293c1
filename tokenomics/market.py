"""Shares and growth: how DeepSeek's own service can lose share while its model wins.

The market lesson reads a handful of figures: DeepSeek's share of AI-app usage at its peak and
in May 2025, the change in web traffic of DeepSeek and its rivals, DeepSeek's own share of all
tokens served of its models, and the growth of the same models on other hosts. This module
holds the arithmetic that turns those figures into answers:

* :func:`percent_change`: how much a quantity rose or fell, in percent;
* :func:`growth_index`: a series divided by its value in a base period;
* :func:`split_volume`: a token volume split into the part DeepSeek served itself (first
  party) and the part other hosts served (third party);
* :func:`share_odds`: first-party tokens per third-party token, s / (1 - s);
* :func:`first_party_growth`: the growth of DeepSeek's own token volume implied by its share
  before and after and by the growth of third-party volume over the same period;
* :func:`break_even_third_party_growth`: the third-party growth at which a falling share still
  leaves DeepSeek's own volume unchanged.

Shares are fractions from 0 to 1 (42% is 0.42); growth is a multiple (3 means three times the
starting volume). Every function broadcasts over numpy arrays and returns a Python float for
scalar inputs.
"""

from __future__ import annotations

import numpy as np

from tokenomics.validation import between, finite_result, positive, scalar_or_array


@finite_result
def percent_change(before, after):
    """Change from ``before`` to ``after``, in percent: 100 x (after / before - 1).

    Parameters
    ----------
    before : float or array_like
        The starting value (> 0), in any unit.
    after : float or array_like
        The later value (>= 0), in the same unit.

    Returns
    -------
    float or numpy.ndarray
        The change in percent: -29 means a fall of 29%, +40.6 a rise of 40.6%.

    Examples
    --------
    >>> percent_change(8.0, 4.5)
    -43.75
    """
    start = positive("before", before)
    end = positive("after", after, allow_zero=True)
    return scalar_or_array(100.0 * (end / start - 1.0))


@finite_result
def growth_index(values, base):
    """A series divided by its value in a base period: 1 in the base period, 2 where it doubled.

    Parameters
    ----------
    values : float or array_like
        The series (>= 0), in any unit.
    base : float or array_like
        The value in the base period (> 0), in the same unit.

    Returns
    -------
    float or numpy.ndarray
        ``values / base``, a multiple of the base value.

    Examples
    --------
    >>> growth_index([10.5, 15.25, 20.0], base=10.5).round(3).tolist()
    [1.0, 1.452, 1.905]
    """
    series = positive("values", values, allow_zero=True)
    start = positive("base", base)
    return scalar_or_array(series / start)


@finite_result
def split_volume(total, first_party_share):
    """Split a token volume into the first-party part and the third-party part.

    Parameters
    ----------
    total : float or array_like
        All tokens served of the model (>= 0), in any unit (tokens, an index, ...).
    first_party_share : float or array_like
        The share the model's maker served itself, a fraction from 0 to 1.

    Returns
    -------
    tuple of (float or numpy.ndarray, float or numpy.ndarray)
        ``(first_party, third_party)``: ``total x share`` and ``total x (1 - share)``, in the
        unit of ``total``.

    Examples
    --------
    >>> split_volume(100.0, 0.25)
    (25.0, 75.0)
    """
    volume = positive("total", total, allow_zero=True)
    share = between("first_party_share", first_party_share, 0.0, 1.0)
    return scalar_or_array(volume * share), scalar_or_array(volume * (1.0 - share))


@finite_result
def share_odds(first_party_share):
    """First-party tokens per third-party token: s / (1 - s).

    Parameters
    ----------
    first_party_share : float or array_like
        The share the model's maker served itself, a fraction in [0, 1).

    Returns
    -------
    float or numpy.ndarray
        First-party tokens served for each third-party token (0 when the share is 0).

    Examples
    --------
    >>> share_odds(0.5)
    1.0
    >>> round(share_odds(0.16), 4)
    0.1905
    """
    return scalar_or_array(_odds("first_party_share", first_party_share))


@finite_result
def first_party_growth(first_party_share_before, first_party_share_after, third_party_growth):
    """Growth of the maker's own token volume implied by its share and by third-party growth.

    With a first-party share s, first-party volume F and third-party volume T satisfy
    s = F / (F + T), so F = s / (1 - s) x T. Between two dates, with third-party volume
    growing g times:

        F1 / F0 = [s1 / (1 - s1)] / [s0 / (1 - s0)] x g

    Parameters
    ----------
    first_party_share_before : float or array_like
        The maker's share at the start, a fraction in (0, 1).
    first_party_share_after : float or array_like
        The share at the end, a fraction in [0, 1).
    third_party_growth : float or array_like
        Third-party volume at the end divided by that at the start, over the same period (> 0).

    Returns
    -------
    float or numpy.ndarray
        The maker's own volume at the end divided by that at the start: above 1 it grew, below 1
        it shrank.

    Examples
    --------
    >>> round(first_party_growth(0.42, 0.16, 20.0), 2)
    5.26
    >>> first_party_growth(0.5, 0.5, 3.0)
    3.0
    """
    before = _odds("first_party_share_before", first_party_share_before, allow_zero=False)
    after = _odds("first_party_share_after", first_party_share_after)
    growth = positive("third_party_growth", third_party_growth)
    return scalar_or_array(after / before * growth)


@finite_result
def break_even_third_party_growth(first_party_share_before, first_party_share_after):
    """The third-party growth at which the maker's own volume stays unchanged.

    Setting F1 / F0 = 1 in :func:`first_party_growth` gives
    g = [s0 / (1 - s0)] / [s1 / (1 - s1)]. If third-party volume grew less than this, the
    maker's own volume shrank; if more, it grew, even though its share fell.

    Parameters
    ----------
    first_party_share_before : float or array_like
        The maker's share at the start, a fraction in [0, 1).
    first_party_share_after : float or array_like
        The share at the end, a fraction in (0, 1).

    Returns
    -------
    float or numpy.ndarray
        The break-even third-party growth, a multiple.

    Examples
    --------
    >>> round(break_even_third_party_growth(0.42, 0.16), 2)
    3.8
    """
    before = _odds("first_party_share_before", first_party_share_before)
    after = _odds("first_party_share_after", first_party_share_after, allow_zero=False)
    return scalar_or_array(before / after)


def _odds(name: str, share, allow_zero: bool = True) -> np.ndarray:
    """s / (1 - s) of a share in [0, 1) (or (0, 1)), with errors that name the parameter ``name``."""
    fraction = between(name, share, 0.0, 1.0, include_low=allow_zero, include_high=False)
    return fraction / (1.0 - fraction)
