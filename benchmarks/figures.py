"""One way for a benchmark to report a figure: a line for a person, a line for run_all.

Each figure is a median over runs, its range over those runs, the baseline it is divided
by (measured in the same run), the ratio and the target it is held to. The person's line
says all of it; the ``FIGURE`` line after it carries the same as JSON, which
``run_all.py`` gathers into its one table.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass

PREFIX = "FIGURE "


@dataclass(frozen=True)
class Figure:
    benchmark: str
    name: str
    unit: str
    value: float
    low: float
    high: float
    baseline_name: str = ""
    baseline: float | None = None
    ratio: float | None = None
    ratio_low: float | None = None
    ratio_high: float | None = None
    target: str = ""
    met: bool | None = None

    def verdict(self) -> str:
        if self.met is None:
            return "(no target)"
        return "met" if self.met else "NOT met"


def _spread(values: Sequence[float], digits: int) -> str:
    low, high = min(values), max(values)
    return f"{low:.{digits}f}" if round(low, digits) == round(high, digits) else (
        f"{low:.{digits}f}-{high:.{digits}f}"
    )


def digits_for(unit: str) -> int:
    return {"s": 3, "ms": 2, "us": 1, "MiB": 1}.get(unit, 2)


def ratio_figure(
    benchmark: str,
    name: str,
    unit: str,
    values: Sequence[float],
    baseline_name: str,
    baselines: Sequence[float],
    limit: float,
) -> Figure:
    """A figure held to ``ratio <= limit`` against a baseline. With as many baselines as
    values (runs interleaved), the ratio's range is over those pairs; the verdict is on
    the ratio of the medians."""
    value, base = statistics.median(values), statistics.median(baselines)
    ratio = value / base
    if len(values) == len(baselines):
        pairs = [v / b for v, b in zip(values, baselines, strict=True)]
    else:
        pairs = [min(values) / max(baselines), max(values) / min(baselines)]
    return Figure(
        benchmark=benchmark,
        name=name,
        unit=unit,
        value=value,
        low=min(values),
        high=max(values),
        baseline_name=baseline_name,
        baseline=base,
        ratio=ratio,
        ratio_low=min(pairs),
        ratio_high=max(pairs),
        target=f"<= {limit:g}x",
        met=ratio <= limit,
    )


def absolute_figure(
    benchmark: str,
    name: str,
    unit: str,
    values: Sequence[float],
    limit: float | None,
    baseline_name: str = "",
    baselines: Sequence[float] = (),
) -> Figure:
    """A figure held to ``value <= limit`` (or to nothing: shown for context); a baseline,
    when given, is shown beside it with the ratio but decides nothing."""
    value = statistics.median(values)
    base = statistics.median(baselines) if baselines else None
    return Figure(
        benchmark=benchmark,
        name=name,
        unit=unit,
        value=value,
        low=min(values),
        high=max(values),
        baseline_name=baseline_name,
        baseline=base,
        ratio=value / base if base else None,
        target=f"<= {limit:g}{' ' + unit if unit else ''}" if limit is not None else "",
        met=value <= limit if limit is not None else None,
    )


def describe(figure: Figure) -> str:
    """The figure in one line for a person."""
    digits = digits_for(figure.unit)
    unit = f" {figure.unit}" if figure.unit else ""
    text = (
        f"{figure.name}: {figure.value:.{digits}f}{unit} "
        f"(range {_spread([figure.low, figure.high], digits)})"
    )
    if figure.baseline is not None:
        text += f"; {figure.baseline_name} {figure.baseline:.{digits}f}{unit}"
    if figure.ratio is not None:
        text += f"; {figure.ratio:.2f}x"
        if figure.ratio_low is not None and figure.ratio_high is not None:
            text += f" (range {_spread([figure.ratio_low, figure.ratio_high], 2)})"
    if figure.target:
        text += f"; target {figure.target}: {figure.verdict()}"
    return text


def report(figure: Figure) -> None:
    print(f"  {describe(figure)}")
    print(PREFIX + json.dumps(asdict(figure)))


def parse(line: str) -> Figure | None:
    if not line.startswith(PREFIX):
        return None
    return Figure(**json.loads(line[len(PREFIX):]))
