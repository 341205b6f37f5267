"""An independent numpy reading of the token regression behind `name_parameters` (int_model_tokens_predicted),
for tests that check the SQL against it. Written from the model's documented rules, not from its SQL:

- fit log10(tokens) = a + b1 log10(total parameters) + b2 (years since 2023-01-01) by least squares;
- every calibration point is predicted by the fit without it, and its miss measured in standard errors of a new
  observation, sqrt(s2 (1 + x' (X'X)^-1 x)); the interval's multiplier is the conformal 90% quantile of those
  misses, the ceil(0.9 (n + 1))-th smallest;
- a model beyond the data in size or year is predicted at the nearest edge, and the interval widened by the
  distance between that and the extrapolated trend;
- the FLOP interval adds operation counting's log10(1.5) to the tokens' half-width in quadrature.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np


def years(day: date) -> float:
    return (day - date(2023, 1, 1)).days / 365.25


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    return beta, float(resid @ resid) / (len(y) - x.shape[1]), np.linalg.inv(x.T @ x)


def token_regression(points: list[tuple[float, float, float]], params: float, day: date) -> tuple[float, float, float]:
    """(log10 tokens at the edge, 90% half-width in dex, distance extrapolated) for a model of `params` on `day`,
    from calibration `points` (log10 parameters, years since 2023, log10 tokens)."""
    x = np.array([[1.0, a, b] for a, b, _ in points])
    y = np.array([c for _, _, c in points])
    ratios = []
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        beta, s2, inv = _fit(x[keep], y[keep])
        ratios.append(abs(y[i] - x[i] @ beta) / math.sqrt(s2 * (1 + x[i] @ inv @ x[i])))
    quantile = sorted(ratios)[min(math.ceil(0.9 * (len(y) + 1)), len(y)) - 1]
    beta, s2, inv = _fit(x, y)
    at = np.array([1.0, math.log10(params), years(day)])
    edge = np.array([1.0, min(max(at[1], x[:, 1].min()), x[:, 1].max()), min(max(at[2], x[:, 2].min()), x[:, 2].max())])
    centre = float(edge @ beta)
    extrapolated = abs(float(at @ beta) - centre)
    return centre, quantile * math.sqrt(s2 * (1 + edge @ inv @ edge)) + extrapolated, extrapolated


def name_parameters_flop(active: float, log10_tokens: float, tokens_half_width: float) -> tuple[float, float, float]:
    """(FLOP, low, high): 6 x active x tokens, the half-width the tokens' and 6ND's x1.5 in quadrature."""
    half = math.sqrt(tokens_half_width**2 + math.log10(1.5) ** 2)
    flop = 6 * active * 10**log10_tokens
    return flop, flop / 10**half, flop * 10**half
