"""The exam estimate's numbers, checked against an independent computation.

The data are planted: a student's previous score drives both how many sessions they attend
(strugglers attend more: the selection bias) and their new score; attending 4 or more sessions
adds PLANTED points. Raw means then make the sessions look harmful; the estimate adjusted for the
previous score recovers the planted effect. Every coefficient and interval is compared with the
closed-form OLS written here with NumPy: beta = (X'X)^-1 X'y, se from sigma^2 (X'X)^-1, the
interval from scipy's t quantile.
"""

import numpy as np
import pytest
from scipy import stats

from reports.selectors.impact import StudentRow, analyse, parse_bands

PLANTED = 5.0
BANDS = parse_bands("0,1-3,4+")


def _closed_form(x_columns: list[np.ndarray], y: np.ndarray, index: int) -> tuple[float, float, float]:
    x = np.column_stack([np.ones(len(y)), *x_columns])
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    residuals = y - x @ beta
    dof = len(y) - x.shape[1]
    sigma2 = residuals @ residuals / dof
    se = np.sqrt(np.diag(sigma2 * xtx_inv))
    t = stats.t.ppf(0.975, dof)
    return beta[index], beta[index] - t * se[index], beta[index] + t * se[index]


def _planted(n: int = 400, seed: int = 7, effect: float = PLANTED) -> list[StudentRow]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        previous = float(rng.normal(70, 10))
        sessions = int(rng.poisson(max(0.1, (78 - previous) / 3)))  # strugglers attend more
        score = 15 + 0.8 * previous + (effect if sessions >= 4 else 0.0) + float(rng.normal(0, 4))
        rows.append(StudentRow(i, 2029, sessions, score, previous))
    return rows


def _figures(rows: list[StudentRow], bands=BANDS, pass_fail: bool = False):
    return analyse(rows, bands, title="Block 2", pass_fail=pass_fail, unit="percentage points" if pass_fail else "points")


def _arrays(rows):
    sessions = np.array([r.sessions for r in rows], dtype=float)
    return (
        sessions,
        np.array([r.previous for r in rows]),
        np.array([r.outcome for r in rows]),
        ((sessions >= 1) & (sessions <= 3)).astype(float),
        (sessions >= 4).astype(float),
    )


def test_raw_means_get_the_planted_effect_wrong_and_the_adjusted_estimate_recovers_it():
    rows = _planted()
    top = _figures(rows).comparisons[-1]
    assert top.unadjusted.estimate < 0  # selection bias: the raw comparison says sessions hurt
    assert top.adjusted.ci_low < PLANTED < top.adjusted.ci_high
    assert top.adjusted.estimate == pytest.approx(PLANTED, abs=1.5)


def test_adjusted_band_differences_match_closed_form_ols():
    rows = _planted()
    _, previous, y, mid, top = _arrays(rows)
    figures = _figures(rows)
    for comparison, index in zip(figures.comparisons, (1, 2), strict=True):
        expected = _closed_form([mid, top, previous], y, index)
        adjusted = comparison.adjusted
        assert (adjusted.estimate, adjusted.ci_low, adjusted.ci_high) == pytest.approx(expected, rel=1e-9)
        assert adjusted.n == len(rows)


def test_unadjusted_differences_are_the_difference_in_means_with_the_pooled_ols_interval():
    rows = _planted()
    _, _, y, mid, top = _arrays(rows)
    raw = _figures(rows).comparisons[-1].unadjusted
    assert (raw.estimate, raw.ci_low, raw.ci_high) == pytest.approx(_closed_form([mid, top], y, 2), rel=1e-9)
    assert raw.estimate == pytest.approx(y[top == 1].mean() - y[(mid == 0) & (top == 0)].mean())


def test_dose_response_slope_matches_closed_form_ols_on_the_attendance_count():
    rows = _planted()
    sessions, previous, y, _, _ = _arrays(rows)
    dose = _figures(rows).dose
    assert (dose.estimate, dose.ci_low, dose.ci_high) == pytest.approx(_closed_form([sessions, previous], y, 1), rel=1e-9)
    assert dose.estimate > 0


def test_difference_in_differences_is_attenders_change_minus_non_attenders_change():
    rows = _planted()
    sessions, previous, y, _, _ = _arrays(rows)
    change = _figures(rows).change
    attended = (sessions > 0).astype(float)
    assert (change.estimate, change.ci_low, change.ci_high) == pytest.approx(
        _closed_form([attended], y - previous, 1), rel=1e-9
    )
    gain = y - previous
    assert change.estimate == pytest.approx(gain[attended == 1].mean() - gain[attended == 0].mean())


def test_class_year_is_adjusted_for_when_students_differ_in_it():
    rows = [StudentRow(r.student_id, 2029 if r.student_id % 3 else 2028, r.sessions, r.outcome, r.previous) for r in _planted()]
    _, previous, y, mid, top = _arrays(rows)
    year_2029 = np.array([1.0 if r.graduation_year == 2029 else 0.0 for r in rows])  # 2028 is the smaller group
    top_adjusted = _figures(rows).comparisons[-1].adjusted
    expected = _closed_form([mid, top, previous, 1 - year_2029], y, 2)
    assert top_adjusted.estimate == pytest.approx(expected[0], rel=1e-9)


def test_the_sentence_reads_the_figure_in_plain_words_with_its_interval_and_n():
    adjusted = _figures(_planted()).comparisons[-1].adjusted
    assert adjusted.sentence.startswith(
        f"Students who attended 4 or more sessions scored {adjusted.estimate:.1f} points higher than non-attenders "
        "with the same previous score (95% CI "
    )
    assert f"; {adjusted.n} students). This is an association" in adjusted.sentence


def test_an_interval_including_zero_and_a_small_sample_are_flagged():
    rows = _planted(n=25, seed=3, effect=0.0)
    figures = _figures(rows)
    flagged = [c.adjusted for c in figures.comparisons if c.adjusted.shown]
    assert flagged and all("Only 25 students" in f.warning for f in flagged)
    assert any("includes 0" in f.warning for f in flagged if f.ci_low <= 0 <= f.ci_high)


def test_the_published_studys_bands_group_students_by_0_6_7_15_and_16_or_more():
    rows = [StudentRow(i, 2029, s, 70.0 + i % 7, 60.0 + i % 5) for i, s in enumerate([0] * 6 + [7] * 6 + [16] * 5 + [30] * 1)]
    figures = _figures(rows, bands=parse_bands("0-6,7-15,16-24"))
    assert [(b.band.label, b.students) for b in figures.bands] == [("0-6", 6), ("7-15", 6), ("16-24", 6)]
    assert figures.comparisons[-1].adjusted.sentence.startswith(
        "Students who attended 16 to 24 sessions (or more) scored"
    )
    assert "than students who attended 0 to 6 sessions with the same previous score" in (
        figures.comparisons[-1].adjusted.sentence
    )


@pytest.mark.parametrize("text", ["1-3,4+", "0,2-3", "0,1-3,2+", "0", "a,b"])
def test_bands_must_start_at_zero_and_run_without_gaps(text):
    with pytest.raises(ValueError):
        parse_bands(text)


def test_a_band_smaller_than_the_minimum_is_hidden_and_left_out_of_every_estimate(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    rows = [r for r in _planted() if not 1 <= r.sessions <= 3] + [
        r for r in _planted() if 1 <= r.sessions <= 3
    ][:4]
    figures = _figures(rows)
    assert [(b.band.label, b.students, b.hidden) for b in figures.bands][1] == ("1-3", None, True)
    assert [c.band.label for c in figures.comparisons] == ["4+"]
    assert figures.comparisons[0].adjusted.n == len(rows) - 4
    assert any("fewer than 5 students are hidden" in m for m in figures.messages)


def test_everyone_in_one_band_gives_a_message_and_no_number():
    rows = [StudentRow(i, 2029, 5, 70.0 + i, 60.0 + i) for i in range(20)]
    figures = _figures(rows)
    assert figures.comparisons == () and figures.dose is None
    assert any("one attendance band" in m for m in figures.messages)


def test_a_singular_model_says_it_cannot_be_fitted_instead_of_giving_a_number():
    rows = [StudentRow(i, 2029, 0 if i % 2 else 5, 70.0 + i, 60.0) for i in range(20)]  # one previous score for all
    adjusted = _figures(rows).comparisons[0].adjusted
    assert not adjusted.shown and adjusted.estimate is None
    assert "cannot be fitted" in adjusted.message


def test_without_a_previous_exam_only_the_unadjusted_difference_is_shown():
    rows = [StudentRow(r.student_id, 2029, r.sessions, r.outcome, None) for r in _planted()]
    figures = analyse(rows, BANDS, title="Block 1", pass_fail=False, unit="points", has_previous=False)
    assert all(c.adjusted is None and c.unadjusted.shown for c in figures.comparisons)
    assert figures.dose is None and figures.change is None
    assert any("no previous exam" in m for m in figures.messages)


# --- pass/fail -------------------------------------------------------------------------------


def _planted_pass_fail(n: int = 600, seed: int = 11) -> list[StudentRow]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        previous = float(rng.normal(70, 10))
        sessions = int(rng.poisson(max(0.1, (78 - previous) / 3)))
        logit = -14 + 0.2 * previous + (1.0 if sessions >= 4 else 0.0)
        rows.append(StudentRow(i, 2029, sessions, float(rng.random() < 1 / (1 + np.exp(-logit))), previous))
    return rows


def _newton_logit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ beta))
        beta += np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (y - p))
    return beta


def test_pass_fail_adjusted_difference_is_the_average_marginal_effect_of_the_logistic_model():
    rows = _planted_pass_fail()
    _, previous, y, mid, top = _arrays(rows)
    x = np.column_stack([np.ones(len(y)), mid, top, previous])
    beta = _newton_logit(x, y)
    on, off = x.copy(), x.copy()
    on[:, 1], on[:, 2] = 0, 1
    off[:, 1], off[:, 2] = 0, 0
    ame = np.mean(1 / (1 + np.exp(-on @ beta)) - 1 / (1 + np.exp(-off @ beta))) * 100
    adjusted = _figures(rows, pass_fail=True).comparisons[-1].adjusted
    assert adjusted.estimate == pytest.approx(ame, rel=1e-6)
    assert adjusted.ci_low < adjusted.estimate < adjusted.ci_high
    assert adjusted.unit == "percentage points" and "had a pass rate" in adjusted.sentence


def test_pass_fail_unadjusted_difference_is_the_difference_in_pass_rates_with_a_wald_interval():
    rows = _planted_pass_fail()
    _, _, y, mid, top = _arrays(rows)
    treated, control = y[top == 1], y[(mid == 0) & (top == 0)]
    d = treated.mean() - control.mean()
    se = np.sqrt(treated.mean() * (1 - treated.mean()) / len(treated) + control.mean() * (1 - control.mean()) / len(control))
    raw = _figures(rows, pass_fail=True).comparisons[-1].unadjusted
    z = stats.norm.ppf(0.975)
    assert (raw.estimate, raw.ci_low, raw.ci_high) == pytest.approx((100 * d, 100 * (d - z * se), 100 * (d + z * se)))
    assert _figures(rows, pass_fail=True).bands[0].average == pytest.approx(100 * control.mean())


def test_pass_fail_with_perfect_separation_says_it_cannot_be_fitted():
    rows = [StudentRow(i, 2029, 0 if i < 10 else 5, 0.0 if i < 10 else 1.0, 60.0 + i % 4) for i in range(20)]
    adjusted = _figures(rows, pass_fail=True).comparisons[0].adjusted
    assert not adjusted.shown and "cannot be fitted" in adjusted.message


def test_an_estimate_that_rounds_to_zero_is_not_called_lower():
    from reports.selectors.impact_words import sentence

    fitted = type("Fitted", (), {"estimate": -0.03, "ci_low": -0.4, "ci_high": 0.3, "n": 40})()
    text = sentence("scored {amount} {direction}", fitted, "points", adjusted=False)

    assert text.startswith("scored 0.0 points higher")
