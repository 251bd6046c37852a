"""Pure helpers of the benchmark: read wrk's summary line, judge against issue 15's targets,
and write the section of docs/performance.md between its markers. No wrk, gunicorn or database
needed (tests/test_bench.py)."""

import re
from dataclasses import dataclass

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


@dataclass
class Result:
    """One wrk run of one page."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # connection errors, time-outs and statuses >= 400 that wrk counted
    unexpected: int  # answers with another status than the page should give
    first_unexpected: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse(output: str) -> Result:
    """The ``BENCH key=value ...`` line that ondernemerspunt/bench/session.lua prints at the end."""
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise ValueError(f"no BENCH line in wrk's output:\n{output}")
    values = {key: int(value) for key, value in re.findall(r"(\w+)=(-?\d+)", line)}
    return Result(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1000,
        p95_ms=values["p95_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        errors=values["errors"],
        unexpected=values["unexpected"],
        first_unexpected=values.get("first_unexpected", 0),
    )


@dataclass
class Target:
    """Issue 15's target for a page: a ratio to the trivial view, or a p95 in ms."""

    ratio: float | None = None
    p95_ms: float | None = None

    def describe(self) -> str:
        if self.ratio is not None:
            return f"ratio ≥ {self.ratio:g}"
        if self.p95_ms is not None:
            return f"p95 < {self.p95_ms:g} ms"
        return "–"

    def verdict(self, result: Result, ratio: float) -> str:
        if self.ratio is not None:
            return "met" if ratio >= self.ratio else "**not met**"
        if self.p95_ms is not None:
            return "met" if result.p95_ms < self.p95_ms else "**not met**"
        return ""


def number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def replace_section(document: str, section: str) -> str:
    """``document`` with the text between the markers replaced (markers added at the end when
    missing)."""
    block = f"{START}\n{section.strip()}\n{END}"
    if START in document and END in document:
        before, rest = document.split(START, 1)
        _old, after = rest.split(END, 1)
        return before + block + after
    return document.rstrip("\n") + "\n\n" + block + "\n"
