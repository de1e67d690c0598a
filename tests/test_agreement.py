"""Agreement: published examples reproduced, alpha checked against the library, edge cases."""

from __future__ import annotations

import math
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import fleiss_kappa

from annotator.agreement import (
    LEVELS,
    _alpha_from_coincidences,
    agreement,
    annotator_vs_rest,
    coincidence_matrix,
    describe,
    disagreements,
    figures,
    pair_confusions,
)
from annotator.errors import InvalidInput

DATA = Path(__file__).parent / "data" / "agreement"
NUMBERS = ["1", "2", "3", "4", "5"]
CLAIMS = ["factual", "opinion", "not_claim"]


def load(name: str) -> pd.DataFrame:
    """A published example in the labels export layout, renamed to what agreement() takes."""
    frame = pd.read_csv(DATA / name)
    return frame.rename(columns={"sentence_id": "item", "claim_type": "value"})


def labels(rows: list[tuple[object, str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["item", "annotator", "value"])


def votes(item: object, **by_annotator: object) -> list[tuple[object, str, object]]:
    """One item's rows: votes("s1", ann="factual", bob="opinion")."""
    return [(item, who, value) for who, value in by_annotator.items()]


def random_table(seed: int) -> pd.DataFrame:
    """6 annotators x 40 items, 40% of cells empty, values 1/2/4/7 mostly following a truth."""
    rng = np.random.default_rng(seed)
    scale = np.array(["1", "2", "4", "7"], dtype=object)
    truth = rng.integers(0, 4, size=40)
    rows: list[tuple[object, str, object]] = []
    for item in range(40):
        for coder in range(6):
            if rng.random() < 0.4:
                continue
            code = truth[item] if rng.random() < 0.6 else rng.integers(0, 4)
            rows.append((item, f"coder{coder}", scale[code]))
    return labels(rows)


def dense(table: pd.DataFrame) -> np.ndarray:
    """Coders x units with NaN for missing: the layout krippendorff.alpha reads by itself."""
    wide = table.pivot(index="annotator", columns="item", values="value")
    return wide.astype(float).to_numpy()


# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", Annenberg School for
# Communication, University of Pennsylvania, section C: 4 observers x 12 units with missing
# values. Published: nominal 0.743, ordinal 0.815, interval 0.849.
@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_krippendorff_2011_example_gives_the_published_alpha(level: str, published: float) -> None:
    result = agreement(load("krippendorff_2011.csv"), "claim_type", level=level, categories=NUMBERS)
    assert result.krippendorff_alpha is not None
    assert round(result.krippendorff_alpha, 3) == published


def test_krippendorff_2011_example_gives_the_published_coincidence_matrix() -> None:
    # Same source: the matrix of coincidences in thirds; unit 12 has one value and drops out,
    # leaving 40 pairable values in 11 units, 32 of them on the diagonal.
    thirds = [
        [21, 4, 1, 1, 0],
        [4, 30, 4, 1, 0],
        [1, 4, 24, 1, 0],
        [1, 1, 1, 12, 0],
        [0, 0, 0, 0, 9],
    ]
    table = load("krippendorff_2011.csv")
    matrix = coincidence_matrix(table)
    assert list(matrix.index) == NUMBERS
    assert np.allclose(matrix.to_numpy() * 3, thirds)
    result = agreement(table, "claim_type")
    assert (result.n_items, result.n_annotators) == (11, 4)
    assert result.observed_agreement == pytest.approx(32 / 40)


# Wikipedia, "Fleiss' kappa", worked example of Fleiss' (1971) method: 10 subjects, 14 raters,
# 5 categories. Published: P-bar 0.378, kappa 0.210.
def test_fleiss_wikipedia_example_gives_kappa_0210() -> None:
    result = agreement(load("fleiss_1971.csv"), "claim_type")
    assert result.fleiss_kappa is not None
    assert round(result.fleiss_kappa, 3) == 0.210
    assert result.observed_agreement is not None
    assert round(result.observed_agreement, 3) == 0.378
    assert (result.n_items, result.n_annotators) == (10, 14)


# Wikipedia, "Cohen's kappa", simple example: 50 grant proposals, both yes 20, A yes B no 5,
# A no B yes 10, both no 15. Published: p_o 0.7, kappa 0.4.
def test_cohen_wikipedia_example_gives_kappa_04() -> None:
    table = load("cohen_wikipedia.csv")
    result = agreement(table, "claim_type")
    (pair,) = result.cohen_kappa
    assert (pair.a, pair.b, pair.n) == ("A", "B", 50)
    assert pair.kappa is not None
    assert round(pair.kappa, 3) == 0.4
    assert result.observed_agreement == pytest.approx(0.7)
    confusion = pair_confusions(table, categories=["yes", "no"])[("A", "B")]
    assert confusion.to_numpy().tolist() == [[20, 5], [10, 15]]
    assert (confusion.index.name, confusion.columns.name) == ("A", "B")


# Wikipedia, "Cohen's kappa", "Same percentages but different numbers": 60% agreement in both
# pairs, 45/15/25/15 and 25/35/5/35. Published: kappa 0.1304 and 0.2593.
def test_cohen_wikipedia_marginals_example_gives_both_published_kappas() -> None:
    result = agreement(load("cohen_wikipedia_marginals.csv"), "claim_type")
    found = [(p.a, p.b, round(p.kappa or math.nan, 3), p.n) for p in result.cohen_kappa]
    assert found == [("A1", "B1", 0.130, 100), ("A2", "B2", 0.259, 100)]


def test_pairs_with_no_shared_items_are_left_out() -> None:
    table = labels(
        [
            *votes(1, ann="factual", bob="opinion"),
            *votes(2, ann="factual"),
            *votes(3, cat="factual", dan="factual"),
            *votes(4, cat="opinion", dan="opinion"),
            *votes(5, ann="opinion", bob="opinion"),
        ]
    )
    pairs = agreement(table, "claim_type").cohen_kappa
    assert [(p.a, p.b, p.n) for p in pairs] == [("ann", "bob", 2), ("cat", "dan", 2)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("level", LEVELS)
def test_alpha_from_the_coincidence_matrix_equals_the_library(level: str, seed: int) -> None:
    table = random_table(seed)
    scale = ["1", "2", "4", "7"]
    library = krippendorff.alpha(
        reliability_data=dense(table), value_domain=[1, 2, 4, 7], level_of_measurement=level
    )
    matrix = coincidence_matrix(table, categories=scale).to_numpy()
    ours = _alpha_from_coincidences(matrix[np.newaxis], level, scale)[0]
    result = agreement(table, "claim_type", level=level, categories=scale, n_boot=0)
    assert ours == pytest.approx(library, abs=1e-12)
    assert result.krippendorff_alpha == pytest.approx(library, abs=1e-12)


def test_identical_values_give_no_alpha_and_full_observed_agreement() -> None:
    table = labels([(i, who, "factual") for i in range(5) for who in ("ann", "bob", "cat")])
    result = agreement(table, "claim_type", categories=CLAIMS)
    assert result.krippendorff_alpha is None
    assert result.alpha_ci95 is None
    assert result.fleiss_kappa is None
    assert result.observed_agreement == 1.0
    assert [(p.kappa, p.n) for p in result.cohen_kappa] == [(None, 5)] * 3


def test_skipped_values_are_missing_not_a_category() -> None:
    answered = [(1, "ann", "factual"), (1, "bob", "factual"), (2, "ann", "opinion")]
    answered += [(2, "bob", "factual"), (3, "ann", "opinion"), (3, "bob", "opinion")]
    skipped = [(1, "cat", None), (2, "cat", math.nan), (3, "cat", ""), (4, "ann", None)]
    with_skips = agreement(labels(answered + skipped), "claim_type")
    assert with_skips == agreement(labels(answered), "claim_type")
    assert (with_skips.n_items, with_skips.n_annotators) == (3, 2)
    assert list(coincidence_matrix(labels(answered + skipped)).index) == ["factual", "opinion"]


def test_a_single_annotator_gives_no_items_and_no_coefficients() -> None:
    result = agreement(labels([(i, "ann", CLAIMS[i % 3]) for i in range(9)]), "claim_type")
    assert (result.n_items, result.n_annotators) == (0, 1)
    assert result.observed_agreement is None
    assert result.krippendorff_alpha is None
    assert result.alpha_ci95 is None
    assert result.fleiss_kappa is None
    assert result.cohen_kappa == ()


def test_disagreements_puts_the_most_disputed_items_first() -> None:
    table = labels(
        [
            *votes("s4", ann="factual", bob="factual", cat="factual"),
            *votes("s3", ann="factual", bob="opinion", cat="factual"),
            *votes("s2", ann="factual", bob="opinion"),
            *votes("s1", ann="factual", bob="opinion", cat="not_claim"),
            *votes("s0", ann="opinion", cat="factual"),
            *votes("s5", ann="opinion"),
        ]
    )
    found = disagreements(table)
    assert list(found.columns) == ["item", "n_values", "agreement", "values"]
    assert list(found["item"]) == ["s1", "s0", "s2", "s3", "s4"]
    assert list(found["n_values"]) == [3, 2, 2, 3, 3]
    assert list(found["agreement"]) == pytest.approx([0, 0, 0, 1 / 3, 1])
    assert found["values"][3] == {"factual": 2, "opinion": 1}


def test_annotator_vs_rest_puts_a_careless_annotator_first() -> None:
    rows: list[tuple[object, str, object]] = []
    for item in range(60):
        truth = CLAIMS[item % 3]
        rows += [(item, who, truth) for who in ("ann", "bob", "cat")]
        rows.append((item, "mallory", CLAIMS[(item + 1) % 3] if item % 4 else truth))
    rows[1] = (0, "bob", "opinion")
    ranking = annotator_vs_rest(labels(rows))
    assert list(ranking.columns) == ["annotator", "n_items", "agreement", "kappa"]
    assert ranking["annotator"][0] == "mallory"
    assert ranking["kappa"][0] < 0.2 < ranking["kappa"][1:].min()
    assert list(ranking["n_items"]) == [60] * 4


def test_annotator_vs_rest_lists_an_annotator_who_shares_nothing_last() -> None:
    table = labels(
        [
            *votes(1, ann="factual", bob="opinion"),
            *votes(2, ann="opinion", bob="opinion"),
            *votes(3, zed="factual"),
        ]
    )
    ranking = annotator_vs_rest(table)
    assert list(ranking["annotator"]) == ["ann", "bob", "zed"]
    assert ranking["n_items"].tolist() == [2, 2, 0]
    assert ranking["agreement"].tolist()[:2] == [0.5, 0.5]
    assert math.isnan(ranking["agreement"][2])


def test_bootstrap_interval_contains_the_estimate_and_repeats_with_the_same_seed() -> None:
    table = random_table(7)
    first = agreement(table, "claim_type", n_boot=500, seed=3)
    again = agreement(table, "claim_type", n_boot=500, seed=3)
    other = agreement(table, "claim_type", n_boot=500, seed=4)
    assert first.alpha_ci95 is not None and first.krippendorff_alpha is not None
    low, high = first.alpha_ci95
    assert low < first.krippendorff_alpha < high
    assert again.alpha_ci95 == first.alpha_ci95
    assert other.alpha_ci95 != first.alpha_ci95


def test_bootstrap_interval_narrows_with_more_items() -> None:
    base = random_table(1)
    copies = pd.concat([base.assign(item=base["item"] + 100 * k) for k in range(16)])
    small, large = agreement(base, "claim_type"), agreement(copies, "claim_type")
    assert small.alpha_ci95 is not None and large.alpha_ci95 is not None
    assert large.krippendorff_alpha == pytest.approx(small.krippendorff_alpha, abs=0.02)
    width = large.alpha_ci95[1] - large.alpha_ci95[0]
    assert width < (small.alpha_ci95[1] - small.alpha_ci95[0]) / 2


def test_boolean_values_are_categories_named_true_and_false() -> None:
    flags = [(1, True, True), (2, True, False), (3, False, False), (4, False, False)]
    flags += [(5, True, True), (6, None, True)]
    table = labels([(i, "ann", a) for i, a, _ in flags] + [(i, "bob", b) for i, _, b in flags])
    spelled = table.assign(value=table["value"].map({True: "true", False: "false"}))
    result = agreement(table, "date_bound")
    assert result == agreement(spelled, "date_bound")
    assert result.n_items == 5
    assert list(coincidence_matrix(table).index) == ["false", "true"]
    confusion = pair_confusions(table, categories=["true", "false"])[("ann", "bob")]
    assert list(confusion.columns) == ["true", "false"]
    assert confusion.to_numpy().tolist() == [[2, 1], [0, 2]]


def test_categories_set_the_order_and_keep_unused_values() -> None:
    table = labels([(1, "ann", "factual"), (1, "bob", "opinion")])
    matrix = coincidence_matrix(table, categories=["opinion", "not_claim", "factual"])
    assert list(matrix.index) == ["opinion", "not_claim", "factual"]
    assert matrix.to_numpy().tolist() == [[0, 0, 1], [0, 0, 0], [1, 0, 0]]


def test_numeric_values_sort_as_numbers_without_categories() -> None:
    table = labels([(1, "ann", "10"), (1, "bob", "2"), (2, "ann", "9"), (2, "bob", "10")])
    assert list(coincidence_matrix(table).index) == ["2", "9", "10"]


def test_interval_alpha_spaces_named_categories_evenly() -> None:
    named = ["low", "mid", "high"]
    rows = [(i, who, named[(i + (who == "bob")) % 3]) for i in range(12) for who in ("ann", "bob")]
    table = labels(rows)
    as_numbers = table.assign(value=table["value"].map({"low": "0", "mid": "1", "high": "2"}))
    by_name = agreement(table, "x", level="interval", categories=named, n_boot=0)
    by_number = agreement(as_numbers, "x", level="interval", categories=["0", "1", "2"], n_boot=0)
    assert by_name.krippendorff_alpha == pytest.approx(by_number.krippendorff_alpha)


def test_fleiss_uses_only_the_items_with_the_most_common_number_of_values() -> None:
    triples = [("factual", "factual", "opinion"), ("opinion", "opinion", "opinion")] * 3
    rows = [(i, who, v) for i, t in enumerate(triples) for who, v in zip("abc", t, strict=True)]
    rows += [(99, "a", "factual"), (99, "b", "opinion")]
    counts = [[2, 1], [0, 3]] * 3
    result = agreement(labels(rows), "claim_type")
    assert result.fleiss_kappa == pytest.approx(fleiss_kappa(counts))
    assert result.n_items == 7


def test_the_last_row_of_an_annotator_for_an_item_counts() -> None:
    rows = [(1, "ann", "opinion"), (1, "bob", "factual"), (1, "ann", "factual")]
    assert agreement(labels(rows), "claim_type").observed_agreement == 1.0


def test_a_value_outside_the_categories_is_rejected() -> None:
    table = labels([(1, "ann", "factual"), (1, "bob", "rumour")])
    with pytest.raises(InvalidInput, match="rumour"):
        agreement(table, "claim_type", categories=CLAIMS)


def test_an_unknown_level_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="ratio"):
        agreement(labels([(1, "ann", "factual")]), "claim_type", level="ratio")


def test_as_json_has_the_documented_keys_and_four_decimals() -> None:
    data = agreement(load("krippendorff_2011.csv"), "claim_type", n_boot=200).as_json()
    assert list(data) == [
        "field",
        "n_items",
        "n_annotators",
        "observed_agreement",
        "krippendorff_alpha",
        "alpha_ci95",
        "fleiss_kappa",
        "cohen_kappa",
    ]
    assert data["krippendorff_alpha"] == 0.7434
    assert isinstance(data["alpha_ci95"], list) and len(data["alpha_ci95"]) == 2
    assert data["cohen_kappa"][0] == {"a": "A", "b": "B", "kappa": 0.8448, "n": 9}
    single = agreement(labels([(1, "ann", "factual")]), "claim_type").as_json()
    assert single["krippendorff_alpha"] is None and single["alpha_ci95"] is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "not enough data"),
        (math.nan, "not enough data"),
        (-0.2, "worse than chance"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.55, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_describe_reads_landis_and_koch_bands(value: float | None, words: str) -> None:
    assert describe(value) == words


def test_figures_give_what_each_function_gives_alone() -> None:
    rows: list[tuple[object, str, object]] = []
    for item in range(40):
        rows += [(item, "ann", CLAIMS[item % 3]), (item, "bob", CLAIMS[item % 2])]
        if item % 5:
            rows.append((item, "cat", CLAIMS[(item + 1) % 3]))
    table = labels(rows)
    found = figures(table, "claim_type", level="ordinal", categories=CLAIMS)
    assert found.agreement == agreement(table, "claim_type", level="ordinal", categories=CLAIMS)
    pd.testing.assert_frame_equal(found.coincidences, coincidence_matrix(table, CLAIMS))
    assert list(found.pairs) == [("ann", "bob"), ("ann", "cat"), ("bob", "cat")]
    for pair, matrix in pair_confusions(table, CLAIMS).items():
        pd.testing.assert_frame_equal(found.pairs[pair], matrix)
    assert int(found.pairs[("ann", "cat")].to_numpy().sum()) == 32
    pd.testing.assert_frame_equal(found.versus_rest, annotator_vs_rest(table))
