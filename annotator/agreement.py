"""Inter-annotator agreement over a labels table (pure: no database, no I/O).

The input is a DataFrame with columns `item`, `annotator` and `value`, one row per label. A
missing value (None, NaN or an empty string: a skipped sentence) is missing, not a category.
When an annotator has several rows for one item, the last one counts. Booleans become the
categories "true" and "false"; a whole-number float (1.0, as pandas reads a numeric column
with gaps) becomes "1".

The coefficients come from the libraries, each handling missing values as it defines them:

- Krippendorff's alpha (`krippendorff.alpha`, given value counts per unit so that a million
  labels stay fast): units with fewer than 2 values are not pairable and drop out. With no
  variation among the pairable values the expected disagreement is 0 and alpha is undefined
  (None). Levels: nominal, ordinal (the order of `categories`) and interval (the categories'
  numbers when all of them are numbers, else their positions, equally spaced). Without
  `categories` the values are sorted, numerically when all of them are numbers.
- Observed agreement: Krippendorff's 1 - D_o for nominal data: the share of agreeing pairable
  value pairs, each unit weighted by its number of values as in the coincidence matrix.
  Always exact matches, whatever the level.
- Fleiss' kappa (statsmodels) needs the same number of ratings per subject, so it uses only
  the items with the most common number of values (at least 2; a tie goes to the larger
  number); None with fewer than 2 such items or no variation.
- Cohen's kappa (statsmodels), per pair of annotators over the items both rated; None with
  fewer than 2 such items or when chance agreement is 1 (both used one and the same value).
  Cohen's and Fleiss' kappa are nominal whatever the level.
- The 95% interval for alpha is a percentile bootstrap over units. Units with the same value
  counts are interchangeable, so a replicate is a multinomial draw of pattern frequencies and
  its alpha comes from the pooled coincidence matrix, for all replicates at once.

Reading the numbers: `describe` gives Landis & Koch's (1977) bands for kappa. Krippendorff's
rule of thumb for alpha: >= 0.800 reliable; 0.667 to 0.800 only for tentative conclusions;
below 0.667 the labels should not be relied on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import krippendorff
import numpy as np
import numpy.typing as npt
import pandas as pd

from annotator.errors import InvalidInput

LEVELS = ("nominal", "ordinal", "interval")
COLUMNS = ("item", "annotator", "value")
BANDS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))
BOOTSTRAP_CELLS = 4_000_000

Ints = npt.NDArray[np.int64]
Level = Literal["nominal", "ordinal", "interval"]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PairKappa:
    """Cohen's kappa of two annotators over the items both labelled."""

    a: str  # annotator name, a < b alphabetically
    b: str
    kappa: float | None  # None with fewer than 2 shared items or no variation
    n: int  # items both a and b have a value for


@dataclass(frozen=True)
class Agreement:
    """Every coefficient for one field; None where a coefficient is undefined."""

    field: str
    n_items: int  # items with at least 2 values (pairable): those the coefficients use
    n_annotators: int  # annotators with at least one value
    observed_agreement: float | None
    krippendorff_alpha: float | None
    alpha_ci95: tuple[float, float] | None  # None when alpha is None
    fleiss_kappa: float | None
    cohen_kappa: tuple[PairKappa, ...]  # every pair with n >= 1, sorted by (a, b)

    def as_json(self) -> dict[str, object]:
        """The fields as JSON: floats rounded to 4 decimals, tuples as lists, None as null."""
        ci = self.alpha_ci95
        return {
            "field": self.field,
            "n_items": self.n_items,
            "n_annotators": self.n_annotators,
            "observed_agreement": _round(self.observed_agreement),
            "krippendorff_alpha": _round(self.krippendorff_alpha),
            "alpha_ci95": None if ci is None else [_round(ci[0]), _round(ci[1])],
            "fleiss_kappa": _round(self.fleiss_kappa),
            "cohen_kappa": [
                {"a": p.a, "b": p.b, "kappa": _round(p.kappa), "n": p.n} for p in self.cohen_kappa
            ],
        }


@dataclass(frozen=True)
class _Coded:
    """The labels as integer codes, one entry per (item, annotator) with a value.

    Annotator codes follow the names' alphabetical order; value codes follow `categories`.
    """

    items: Ints
    annotators: Ints
    values: Ints
    item_labels: npt.NDArray[Any]
    names: tuple[str, ...]
    categories: tuple[str, ...]

    def unit_counts(self) -> Ints:
        """Units x categories: how many annotators gave each value to each item."""
        width = len(self.categories)
        flat = np.bincount(
            self.items * width + self.values, minlength=len(self.item_labels) * width
        )
        return flat.astype(np.int64).reshape(len(self.item_labels), width)


@dataclass(frozen=True)
class _Pairs:
    """Every pair of values on one item from two annotators, annotator code a < b."""

    items: Ints
    a: Ints
    b: Ints
    value_a: Ints
    value_b: Ints


def agreement(
    table: pd.DataFrame,
    field: str,
    *,
    level: str = "nominal",
    categories: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> Agreement:
    """Observed agreement, Krippendorff's alpha with a 95% interval, Fleiss' and Cohen's kappa.

    `table` has columns `item`, `annotator`, `value`, one row per label; a missing value is
    missing, not a category. `level` (one of LEVELS) applies to alpha. `categories` orders the
    values for ordinal and interval alpha and must cover every value; None means the values
    sorted (numerically when all are numbers). The interval uses `n_boot` replicates drawn
    with `numpy.random.default_rng(seed)`, so one seed always gives one interval.
    """
    if level not in LEVELS:
        raise InvalidInput(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    coded = _encode(table, categories)
    return _agreement(coded, _pairs(coded), field, level, n_boot, seed)


def _agreement(
    coded: _Coded, pairs: _Pairs, field: str, level: str, n_boot: int, seed: int
) -> Agreement:
    counts = _pairable(coded.unit_counts())
    alpha = _library_alpha(counts, coded.categories, level)
    return Agreement(
        field=field,
        n_items=len(counts),
        n_annotators=len(coded.names),
        observed_agreement=_observed_agreement(counts),
        krippendorff_alpha=alpha,
        alpha_ci95=None
        if alpha is None
        else _bootstrap(counts, level, coded.categories, n_boot, seed),
        fleiss_kappa=_fleiss(counts),
        cohen_kappa=_cohen_pairs(coded, pairs),
    )


@dataclass(frozen=True)
class Figures:
    """Everything the agreement page shows for one field, from one pass over the labels."""

    agreement: Agreement
    coincidences: pd.DataFrame  # see `coincidence_matrix`
    pairs: dict[tuple[str, str], pd.DataFrame]  # see `pair_confusions`
    versus_rest: pd.DataFrame  # see `annotator_vs_rest`


def figures(
    table: pd.DataFrame, field: str, *, level: str = "nominal",
    categories: Sequence[str] | None = None,
) -> Figures:  # fmt: skip
    """`agreement`, `coincidence_matrix`, `pair_confusions` and `annotator_vs_rest` of one
    table, which is read and coded once."""
    if level not in LEVELS:
        raise InvalidInput(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    coded = _encode(table, categories)
    pairs = _pairs(coded)
    return Figures(
        _agreement(coded, pairs, field, level, 1000, 0),
        _coincidence_frame(coded),
        _pair_frames(coded, pairs),
        _versus_rest(coded, pairs),
    )


def coincidence_matrix(
    table: pd.DataFrame, categories: Sequence[str] | None = None
) -> pd.DataFrame:
    """Krippendorff's coincidence matrix (categories x categories, symmetric).

    Pooled over all pairs of annotators, it is what a confusion matrix means with more than
    two: each pairable unit adds its ordered value pairs, each weighted 1 / (its values - 1),
    so the matrix sums to the number of pairable values.
    """
    return _coincidence_frame(_encode(table, categories))


def _coincidence_frame(coded: _Coded) -> pd.DataFrame:
    matrix = _coincidences(_pairable(coded.unit_counts()))
    labels = list(coded.categories)
    return pd.DataFrame(matrix, index=pd.Index(labels), columns=pd.Index(labels))


def pair_confusions(
    table: pd.DataFrame, categories: Sequence[str] | None = None
) -> dict[tuple[str, str], pd.DataFrame]:
    """For every pair of annotators (a, b), a < b, with an item both labelled: rows a's
    value, columns b's value, counts over the items both labelled."""
    coded = _encode(table, categories)
    return _pair_frames(coded, _pairs(coded))


def _pair_frames(coded: _Coded, pairs: _Pairs) -> dict[tuple[str, str], pd.DataFrame]:
    labels = list(coded.categories)
    return {
        (a, b): pd.DataFrame(
            matrix, index=pd.Index(labels, name=a), columns=pd.Index(labels, name=b)
        )
        for (a, b), matrix in _pair_tables(coded, pairs).items()
    }


def annotator_vs_rest(table: pd.DataFrame) -> pd.DataFrame:
    """Each annotator against everyone else on shared items, worst agreement first.

    Columns: annotator; n_items (items shared with at least one other annotator); agreement
    (share of (annotator, other) value pairs that agree); kappa (Cohen's kappa of the
    annotator's values against the pooled values of the others, each pair one observation;
    NaN when undefined). Annotators who share no item come last, with NaN agreement.
    """
    coded = _encode(table, None)
    return _versus_rest(coded, _pairs(coded))


def _versus_rest(coded: _Coded, pairs: _Pairs) -> pd.DataFrame:
    width, n_names = len(coded.categories), len(coded.names)
    who = np.concatenate([pairs.a, pairs.b])
    mine = np.concatenate([pairs.value_a, pairs.value_b])
    theirs = np.concatenate([pairs.value_b, pairs.value_a])
    flat = np.bincount((who * width + mine) * width + theirs, minlength=n_names * width * width)
    tables = flat.reshape(n_names, width, width)
    values_per_item = np.bincount(coded.items, minlength=len(coded.item_labels))
    shared = coded.annotators[values_per_item[coded.items] >= 2]
    frame = pd.DataFrame(
        {
            "annotator": list(coded.names),
            "n_items": np.bincount(shared, minlength=n_names),
            "agreement": [_share_agreeing(t) for t in tables],
            "kappa": [_nan_if_none(_kappa(t)) for t in tables],
        }
    )
    order = frame.sort_values(["agreement", "annotator"], na_position="last", kind="stable")
    return order.reset_index(drop=True)


def disagreements(table: pd.DataFrame) -> pd.DataFrame:
    """Items with at least 2 values, most disputed first, with each value's count.

    Columns: item, n_values, agreement (share of agreeing value pairs within the item) and
    values ({value: count} in category order). Sorted by agreement ascending, then n_values
    descending, then item.
    """
    coded = _encode(table, None)
    counts = coded.unit_counts()
    keep = counts.sum(axis=1) >= 2
    counts = counts[keep]
    n_values = counts.sum(axis=1)
    agreeing = (counts * (counts - 1)).sum(axis=1) / np.maximum(n_values * (n_values - 1), 1)
    patterns, inverse = _patterns(counts)
    spelled = [_value_counts(row, coded.categories) for row in patterns]
    frame = pd.DataFrame(
        {
            "item": coded.item_labels[keep],
            "n_values": n_values,
            "agreement": agreeing,
            "values": [dict(spelled[k]) for k in inverse],
        }
    )
    order = frame.sort_values(["agreement", "n_values", "item"], ascending=[True, False, True])
    return order.reset_index(drop=True)


def describe(value: float | None) -> str:
    """Landis & Koch's words for a kappa or alpha, read at two decimals as it is displayed.

    < 0 worse than chance, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80
    substantial, 0.81-1 almost perfect; None (or NaN) is not enough data.
    """
    if value is None or math.isnan(value):
        return "not enough data"
    shown = round(value, 2)
    if shown < 0:
        return "worse than chance"
    for upper, words in BANDS:
        if shown <= upper:
            return words
    return "almost perfect"


def _encode(table: pd.DataFrame, categories: Sequence[str] | None) -> _Coded:
    """Integer codes for items, annotators (alphabetical) and values (category order)."""
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise InvalidInput(f"the labels table has no column {', '.join(missing)}")
    frame = table.drop_duplicates(["item", "annotator"], keep="last")
    raw_codes, uniques = pd.factorize(frame["value"])
    labels = [_label(u) for u in uniques]
    chosen = _categories(labels, categories)
    values = _recode(raw_codes, labels, chosen)
    keep = values >= 0
    item_codes, item_uniques = pd.factorize(frame["item"].to_numpy()[keep])
    name_codes, name_uniques = pd.factorize(frame["annotator"].to_numpy()[keep])
    name_labels = [str(n) for n in name_uniques]
    names = tuple(sorted(set(name_labels)))
    return _Coded(
        items=np.asarray(item_codes, dtype=np.int64),
        annotators=_recode(name_codes, name_labels, names),
        values=values[keep],
        item_labels=np.asarray(item_uniques, dtype=object),
        names=names,
        categories=chosen,
    )


def _label(value: object) -> str | None:
    """A value's category name; None for missing."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _categories(labels: list[str | None], given: Sequence[str] | None) -> tuple[str, ...]:
    """The caller's categories (checked to cover every value), else the sorted values."""
    used = {label for label in labels if label is not None}
    if given is None:
        return _sorted(used)
    chosen = tuple(_label(c) or "" for c in given)
    if len(set(chosen)) != len(chosen) or "" in chosen:
        raise InvalidInput(f"categories must be distinct and non-empty: {list(given)}")
    unknown = sorted(used - set(chosen))
    if unknown:
        raise InvalidInput(f"values not among the categories {list(chosen)}: {unknown}")
    return chosen


def _sorted(labels: set[str]) -> tuple[str, ...]:
    """Numbers in numeric order ("2" before "10") when every label is one, else text order."""
    try:
        return tuple(sorted(labels, key=float))
    except ValueError:
        return tuple(sorted(labels))


def _recode(codes: Any, labels: Sequence[str | None], order: Sequence[str]) -> Ints:
    """Codes into `labels` (-1 missing) -> positions in `order` (-1 for missing)."""
    position = {name: i for i, name in enumerate(order)}
    lookup = np.asarray(
        [*(position[label] if label is not None else -1 for label in labels), -1], dtype=np.int64
    )
    recoded: Ints = lookup[np.asarray(codes, dtype=np.int64)]
    return recoded


def _pairable(counts: Ints) -> Ints:
    """The units with at least two values: the only ones that count for Krippendorff."""
    pairable: Ints = counts[counts.sum(axis=1) >= 2]
    return pairable


def _coincidences(counts: Ints) -> Floats:
    """Sum over units of (value pairs within the unit) / (unit's values - 1)."""
    weights = 1.0 / (counts.sum(axis=1) - 1)
    weighted = counts * weights[:, np.newaxis]
    matrix: Floats = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    return matrix


def _observed_agreement(counts: Ints) -> float | None:
    """Share of agreeing pairable value pairs (the coincidence matrix's diagonal)."""
    if len(counts) == 0:
        return None
    matrix = _coincidences(counts)
    return float(np.trace(matrix) / matrix.sum())


def _no_variation(counts: Ints) -> bool:
    """True when the pairable values use fewer than two categories (alpha undefined)."""
    return int((counts.sum(axis=0) > 0).sum()) < 2


def _library_alpha(counts: Ints, categories: tuple[str, ...], level: str) -> float | None:
    """krippendorff.alpha on the units' value counts; None where alpha is undefined."""
    if len(counts) == 0 or _no_variation(counts):
        return None
    domain = _scores(categories) if level == "interval" else np.asarray(categories)
    return float(
        krippendorff.alpha(
            value_counts=counts, value_domain=domain, level_of_measurement=cast(Level, level)
        )
    )


def _scores(categories: Sequence[str]) -> Floats:
    """Interval positions: the categories' numbers if all are finite numbers, else 0, 1, 2..."""
    try:
        numbers = np.asarray([float(c) for c in categories], dtype=np.float64)
    except ValueError:
        return np.arange(len(categories), dtype=np.float64)
    if np.isfinite(numbers).all():
        return numbers
    return np.arange(len(categories), dtype=np.float64)


def _alpha_from_coincidences(matrices: Floats, level: str, categories: Sequence[str]) -> Floats:
    """Alpha for a stack of coincidence matrices (B x V x V) at once; NaN where undefined."""
    n_v = matrices.sum(axis=1)
    total = n_v.sum(axis=1)
    eye = np.eye(n_v.shape[1])
    expected = (n_v[:, :, None] * n_v[:, None, :] - n_v[:, :, None] * eye) / np.maximum(
        total - 1, 1
    )[:, None, None]
    distances = _distances(n_v, level, categories)
    observed_d = (matrices * distances).sum(axis=(1, 2))
    expected_d = (expected * distances).sum(axis=(1, 2))
    safe = np.where(expected_d > 0, expected_d, 1.0)
    alphas: Floats = np.where(expected_d > 0, 1.0 - observed_d / safe, np.nan)
    return alphas


def _distances(n_v: Floats, level: str, categories: Sequence[str]) -> Floats:
    """Krippendorff's squared distances per replicate (B x V x V), as the library defines them."""
    width = n_v.shape[1]
    if level == "nominal":
        return np.broadcast_to(1.0 - np.eye(width), (len(n_v), width, width))
    if level == "interval":
        scores = _scores(categories)
        square = (scores[:, None] - scores[None, :]) ** 2
        return np.broadcast_to(square, (len(n_v), width, width))
    index = np.arange(width)
    low, high = np.minimum.outer(index, index), np.maximum.outer(index, index)
    cumulative = np.cumsum(n_v, axis=1)
    between = cumulative[:, high] - cumulative[:, low] + n_v[:, low]
    ordinal: Floats = (between - (n_v[:, :, None] + n_v[:, None, :]) / 2) ** 2
    return ordinal


def _bootstrap(
    counts: Ints, level: str, categories: tuple[str, ...], n_boot: int, seed: int
) -> tuple[float, float] | None:
    """Percentile 95% interval of alpha over units resampled with replacement."""
    if n_boot < 1:
        return None
    patterns, inverse = _patterns(counts)
    frequencies = np.bincount(inverse, minlength=len(patterns))
    per_pattern = _unit_coincidences(patterns).reshape(len(patterns), -1)
    rng = np.random.default_rng(seed)
    chunk, width = max(1, BOOTSTRAP_CELLS // len(patterns)), patterns.shape[1]
    alphas = []
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        draws = rng.multinomial(len(counts), frequencies / len(counts), size=size)
        matrices = (draws @ per_pattern).reshape(-1, width, width)
        alphas.append(_alpha_from_coincidences(matrices, level, categories))
    defined = np.concatenate(alphas)
    defined = defined[np.isfinite(defined)]
    if len(defined) == 0:
        return None
    low, high = np.percentile(defined, [2.5, 97.5])
    return float(low), float(high)


def _patterns(counts: Ints) -> tuple[Ints, Ints]:
    """The distinct rows of `counts` and each row's index into them.

    Rows are keyed as one integer (digits in base max + 1) where that fits, because
    np.unique(axis=0) sorts rows as records and is several times slower.
    """
    base = int(counts.max(initial=0)) + 1
    if base ** counts.shape[1] >= 2**62:
        patterns, inverse = np.unique(counts, axis=0, return_inverse=True)
        return patterns, inverse.ravel().astype(np.int64)
    keys = counts @ (base ** np.arange(counts.shape[1], dtype=np.int64))
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return counts[first], inverse.astype(np.int64)


def _unit_coincidences(counts: Ints) -> Floats:
    """Each unit's own coincidence matrix (N x V x V)."""
    eye = np.eye(counts.shape[1])
    pairs = counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * eye
    weights = 1.0 / (counts.sum(axis=1) - 1)
    matrices: Floats = pairs * weights[:, None, None]
    return matrices


def _fleiss(counts: Ints) -> float | None:
    """Fleiss' kappa over the items with the most common number of values (ties: more values)."""
    if len(counts) == 0:
        return None
    n_values = counts.sum(axis=1)
    frequency = np.bincount(n_values)
    mode = len(frequency) - 1 - int(np.argmax(frequency[::-1]))
    subjects = counts[n_values == mode]
    if len(subjects) < 2 or _no_variation(subjects):
        return None
    # Imported here: statsmodels (with scipy) takes a second to import, which every start of
    # the command line would pay.
    from statsmodels.stats.inter_rater import fleiss_kappa

    return float(fleiss_kappa(subjects))


def _pairs(coded: _Coded) -> _Pairs:
    """All within-item pairs of labels, found by offsets inside each item's sorted run."""
    order = np.lexsort((coded.annotators, coded.items))
    items, names, values = coded.items[order], coded.annotators[order], coded.values[order]
    sizes = np.bincount(items, minlength=len(coded.item_labels))
    starts = np.cumsum(sizes) - sizes
    position = np.arange(len(items)) - starts[items]
    left = [np.nonzero(position + d < sizes[items])[0] for d in range(1, int(sizes.max(initial=0)))]
    right = [i + d for d, i in enumerate(left, start=1)]
    first = np.concatenate([np.zeros(0, dtype=np.int64), *left])
    second = np.concatenate([np.zeros(0, dtype=np.int64), *right])
    return _Pairs(items[first], names[first], names[second], values[first], values[second])


def _pair_tables(coded: _Coded, pairs: _Pairs) -> dict[tuple[str, str], Ints]:
    """The contingency table (a's value x b's value) of every pair of annotators with at
    least one shared item, keyed by their names (a < b)."""
    width, n_names = len(coded.categories), len(coded.names)
    pair_ids, inverse = np.unique(pairs.a * n_names + pairs.b, return_inverse=True)
    cells = (inverse.ravel() * width + pairs.value_a) * width + pairs.value_b
    flat = np.bincount(cells, minlength=len(pair_ids) * width * width)
    tables = flat.reshape(len(pair_ids), width, width)
    return {
        (coded.names[int(pair) // n_names], coded.names[int(pair) % n_names]): table
        for pair, table in zip(pair_ids, tables, strict=True)
    }


def _cohen_pairs(coded: _Coded, pairs: _Pairs) -> tuple[PairKappa, ...]:
    """Cohen's kappa for every pair of annotators with at least one shared item."""
    return tuple(
        PairKappa(a, b, _kappa(table), int(table.sum()))
        for (a, b), table in _pair_tables(coded, pairs).items()
    )


def _kappa(table: Ints) -> float | None:
    """Cohen's kappa of a contingency table; None with < 2 observations or chance agreement 1."""
    total = int(table.sum())
    if total < 2:
        return None
    chance = float((table.sum(axis=1) / total) @ (table.sum(axis=0) / total))
    if chance >= 1.0 - 1e-12:
        return None
    from statsmodels.stats.inter_rater import cohens_kappa  # imported here: see _fleiss

    return float(cohens_kappa(table, return_results=False))


def _share_agreeing(table: Ints) -> float:
    """The diagonal's share of a contingency table; NaN when it is empty."""
    total = table.sum()
    return float(np.trace(table) / total) if total else math.nan


def _value_counts(row: Ints, categories: tuple[str, ...]) -> dict[str, int]:
    """{value: count} for the values present, in category order."""
    return {categories[j]: int(row[j]) for j in np.nonzero(row)[0]}


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
