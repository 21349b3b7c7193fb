"""The statistics behind the exam estimates: pure functions of numbers, no database.

Every fit is a statsmodels model with classical (non-robust) standard errors and 95% intervals:
OLS for scores, logistic regression for pass/fail with the average marginal effect (the mean
over students of their predicted pass probability in the band minus in the reference band, with
a delta-method interval; for the attendance count, statsmodels' average derivative). A model that
cannot be fitted (one band only, a singular design, perfect separation, too few students for
its terms) gives `Unfittable` with a reason a reader can act on, never a number.

numpy, scipy and statsmodels are imported inside the functions that fit: they are ~100 MiB in every
web worker that imports them, and only the report's estimates need them (a test keeps them out of
`import config.wsgi` and the URLconf).
"""

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Fitted:
    """One coefficient (or marginal effect) with its 95% interval and the students in the model."""

    estimate: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def includes_zero(self) -> bool:
        return self.ci_low <= 0 <= self.ci_high


@dataclass(frozen=True)
class Unfittable:
    reason: str


@dataclass(frozen=True)
class Design:
    """Columns of a design matrix by name (the intercept is added by the fit), one row per student."""

    names: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]
    outcome: tuple[float, ...]

    @classmethod
    def of(cls, columns: dict[str, Sequence[float]], outcome: Sequence[float]) -> "Design":
        names = tuple(columns)
        rows = tuple(zip(*(columns[name] for name in names), strict=True)) if names else tuple(() for _ in outcome)
        return cls(names, tuple(tuple(float(v) for v in row) for row in rows), tuple(float(v) for v in outcome))

    def matrix(self) -> "np.ndarray":
        import numpy as np

        body = np.array(self.rows, dtype=float).reshape(len(self.outcome), len(self.names))
        return np.column_stack([np.ones(len(self.outcome)), body])


def _checked_matrix(design: Design) -> "np.ndarray | Unfittable":
    import numpy as np

    x = design.matrix()
    n, k = x.shape
    if n <= k:
        return Unfittable(f"Too few students ({n}) for a model with {k} terms.")
    if np.linalg.matrix_rank(x) < k:
        return Unfittable(
            "The model cannot be fitted: its terms are not independent (for example every student in one "
            "attendance band, or everyone with the same previous score)."
        )
    return x


def ols(design: Design, terms: Sequence[str]) -> dict[str, Fitted] | Unfittable:
    """OLS of the outcome on the design; the coefficients of `terms` with 95% intervals."""
    import numpy as np
    from statsmodels.regression.linear_model import OLS  # type: ignore[import-untyped]

    x = _checked_matrix(design)
    if isinstance(x, Unfittable):
        return x
    result = OLS(np.array(design.outcome), x).fit()
    if not np.isfinite(result.bse).all() or result.df_resid < 1:
        return Unfittable("The model cannot be fitted: no variation left to estimate its uncertainty.")
    intervals = result.conf_int(alpha=1 - CONFIDENCE)
    fitted = {}
    for term in terms:
        i = design.names.index(term) + 1
        fitted[term] = Fitted(float(result.params[i]), float(intervals[i][0]), float(intervals[i][1]), len(design.outcome))
    return fitted


def logit_marginal_effects(
    design: Design, terms: Sequence[str], *, exclusive: Sequence[str] = ()
) -> dict[str, Fitted] | Unfittable:
    """Logistic regression of pass (1) / fail (0); the average marginal effect of `terms` on the pass
    probability, in percentage points, with 95% delta-method intervals.

    A term in `exclusive` (band indicators: a student is in one band at most) is a contrast: every
    student's predicted probability in that band minus in the reference band (all of `exclusive`
    at 0), averaged. Any other term (a count) is the average derivative (statsmodels get_margeff)."""
    import numpy as np
    from scipy import stats
    from statsmodels.discrete.discrete_model import Logit  # type: ignore[import-untyped]
    from statsmodels.tools.sm_exceptions import (  # type: ignore[import-untyped]
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    outcome = np.array(design.outcome)
    if outcome.min() == outcome.max():
        word = "passed" if outcome.min() == 1 else "failed"
        return Unfittable(f"Every student {word}: there is no difference in pass rates to estimate.")
    x = _checked_matrix(design)
    if isinstance(x, Unfittable):
        return x
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            result = Logit(outcome, x).fit(disp=0, maxiter=200)
            params, cov = np.asarray(result.params), np.asarray(result.cov_params())
            # The average derivative (with its numerical delta-method interval: dozens of predictions)
            # only for a term that is no band contrast; the contrasts are computed below.
            slopes = (
                result.get_margeff(at="overall", method="dydx").summary_frame(alpha=1 - CONFIDENCE).to_numpy()
                if any(term not in exclusive for term in terms)
                else None
            )
        except (PerfectSeparationError, PerfectSeparationWarning, ConvergenceWarning, np.linalg.LinAlgError):
            return Unfittable(
                "The pass/fail model cannot be fitted: within some group every student passed or every student "
                "failed (perfect separation), so the data cannot say how large the difference is."
            )
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    fitted = {}
    for term in terms:
        if term in exclusive:
            estimate, se = _contrast(x, params, cov, design.names.index(term) + 1,
                                     [design.names.index(t) + 1 for t in exclusive])  # fmt: skip
            low, high = estimate - z * se, estimate + z * se
        else:
            assert slopes is not None
            row = slopes[design.names.index(term)]  # the frame has no row for the intercept
            estimate, low, high = row[0], row[4], row[5]
        if not all(math.isfinite(v) for v in (estimate, low, high)):
            return Unfittable("The pass/fail model cannot be fitted: its uncertainty is not finite (separation).")
        fitted[term] = Fitted(100 * float(estimate), 100 * float(low), 100 * float(high), len(design.outcome))
    return fitted


def _contrast(
    x: "np.ndarray", params: "np.ndarray", cov: "np.ndarray", column: int, group: list[int]
) -> tuple[float, float]:
    """Mean over students of P(pass | in `column`'s band) - P(pass | reference band), and its delta-method se."""
    import numpy as np

    on, off = x.copy(), x.copy()
    on[:, group], off[:, group] = 0.0, 0.0
    on[:, column] = 1.0
    p_on, p_off = 1 / (1 + np.exp(-on @ params)), 1 / (1 + np.exp(-off @ params))
    gradient = ((p_on * (1 - p_on))[:, None] * on - (p_off * (1 - p_off))[:, None] * off).mean(axis=0)
    return float(np.mean(p_on - p_off)), float(np.sqrt(gradient @ cov @ gradient))


def difference_in_proportions(treated: Sequence[bool], control: Sequence[bool]) -> Fitted | Unfittable:
    """Pass rate of `treated` minus that of `control`, in percentage points, with a Wald 95% interval."""
    n1, n0 = len(treated), len(control)
    if not n1 or not n0:
        return Unfittable("One of the groups has no students.")
    p1, p0 = sum(treated) / n1, sum(control) / n0
    if p1 == p0 and p1 in (0, 1):
        word = "passed" if p1 == 1 else "failed"
        return Unfittable(f"Every student {word}: there is no difference in pass rates to estimate.")
    if p1 in (0, 1) and p0 in (0, 1):
        return Unfittable("One group all passed and the other all failed: the interval cannot be estimated.")
    from scipy import stats

    se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    d = p1 - p0
    return Fitted(100 * d, 100 * (d - z * se), 100 * (d + z * se), n1 + n0)
