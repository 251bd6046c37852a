"""The section of docs/performance.md that ``manage.py bench`` writes (between the markers)."""

from ondernemerspunt.bench.wrk import Result, Target, number

PROFILE_PARTS = (
    "template rendering",
    "crispy forms",
    "form and widget rendering",
    "SQL (sending and waiting)",
    "ORM (queries and rows)",
    "session, user and memberships",
)


def mean_trivial(first: Result, last: Result) -> Result:
    """The trivial view's two runs (before and after the pages) as one denominator."""
    return Result(
        requests=first.requests + last.requests,
        seconds=first.seconds + last.seconds,
        p50_ms=(first.p50_ms + last.p50_ms) / 2,
        p95_ms=(first.p95_ms + last.p95_ms) / 2,
        p99_ms=(first.p99_ms + last.p99_ms) / 2,
        max_ms=max(first.max_ms, last.max_ms),
        errors=first.errors + last.errors,
        unexpected=first.unexpected + last.unexpected,
    )


def section(*, results, targets: dict, profiles, memory: dict, facts: dict, proxied=()) -> str:
    (_n, _c, first), *pages, (_m, _d, last) = results
    trivial = mean_trivial(first, last)
    data = facts["data"]
    out = [
        "## Page benchmark (`make bench`, issue 15)",
        "",
        f"Written by `{facts['command']}` on {facts['date']} (`manage.py bench` took "
        f"{facts['minutes']:.1f} minutes after the migrations and the generator). Do not edit "
        "by hand: the next run rewrites everything between the markers.",
        "",
        f"- **Machine**: {facts['machine']}; wrk ran on the same machine.",
        f"- **Versions**: {facts['versions']}.",
        f"- **Data**: `generate_national_data --scale {facts['scale']:g}`: {data['desks']} desks, "
        f"{data['residents']:,} residents, {data['conversations']:,} conversations"
        + (
            " (city scale, as issue 15 asks)."
            if facts["scale"] == 0.1
            else " — **not** the city scale of issue 15 (`BENCH_SCALE=0.1`)."
        ),
        f"- **Server**: `{facts['gunicorn']}`, DEBUG off, a fresh random `SECRET_KEY`, "
        "`ALLOWED_HOSTS=127.0.0.1`, the production settings otherwise (`bench.settings` adds "
        "only the trivial view `/bench/trivial/`); wrk sends `X-Forwarded-Proto: https` as "
        "the TLS proxy does.",
        f"- **Load**: {facts['connections']} connections (one wrk thread each), "
        f"{facts['seconds']} s per page after a 2 s warm-up, pages one after another; e.g. "
        f"`{facts['wrk']}`. The trivial view ran first and last "
        f"({number(first.per_second)} and {number(last.per_second)} requests/s); ratios are "
        f"to their mean, {number(trivial.per_second)} requests/s.",
        "",
        "| page | requests/s | p50 ms | p95 ms | p99 ms | ratio to trivial | target (issue 15) | |",
        "|---|---:|---:|---:|---:|---:|---|---|",
        row("trivial view (mean of both runs)", trivial, trivial, None, None),
    ]
    for name, connections, result in pages:
        label = name if "connections" in name else f"{name}"
        out.append(row(label, result, trivial, targets.get(name), connections))
    out += [
        "",
        "Pages: the login page anonymous; the coach's home, the resident list "
        "(`?q=jansen&stage=in_trajectory`) and a resident's page "
        f"({facts['resident_conversations']} conversations, the tenth-busiest of the desk) as "
        'the desk\'s coach; saving the part "De ondernemer" of the plan (POST, answered with '
        "the redirect: every request a real save with the part's current version) as residents, "
        "each connection its own; the review queue as a coordinator; the inbox as a partner "
        "contact; the dashboard of the whole year as a project group member; the public list "
        "of a desk's info evenings (twelve coming, with speakers and 25 registrations each) "
        "and the first evening's page with its registration form, anonymous. Staff sessions "
        "have passed the second factor. The generator makes no plans handed in and no "
        "referrals, so the bench adds them: 25 residents of the desk hand in a plan (the "
        "review queue lists 25 versions) and are referred to the partner (its inbox lists 25 "
        "referrals).",
        "",
        "Reading the times: with sync workers a request waits for those ahead of it, so under "
        "a steady load p50 is about (connections ÷ workers) × the page's own time. At 16 "
        "connections and 2 workers a p95 under 100 ms needs a page that takes some 12 ms of "
        "CPU. The other way round, a page's own time is about workers ÷ its requests/s.",
        "",
        memory_line(memory),
        "",
        *proxied_lines(proxied),
        "### What limits each page (profiled)",
        "",
        "Each page once more in-process (Django's test client, same settings and database, "
        "the whole middleware): the median of 20 requests, its queries, and cProfile of 20 "
        "more. Under the profiler Python runs some 2× slower; the shares are of the profiled "
        "request. The parts overlap (crispy forms and form rendering are inside template "
        "rendering; SQL is inside whichever part asks).",
        "",
        "| page | in-process ms | queries | template rendering | crispy forms | form widgets "
        "| SQL | ORM | session + user |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for profile in profiles:
        shares = " | ".join(f"{profile.share(part):.0%}" for part in PROFILE_PARTS)
        out.append(
            f"| `{profile.url}` | {number(profile.median_ms)} | {profile.queries} | {shares} |"
        )
    out.append("")
    for profile in sorted(profiles, key=lambda p: -p.median_ms):
        top = "; ".join(f"`{name}` {ms:.1f} ms" for name, ms in profile.top[:5])
        out.append(
            f"- `{profile.url}` ({number(profile.median_ms)} ms in-process, "
            f"{number(profile.profiled_ms)} ms profiled); our code's biggest entries "
            f"(cumulative, per request, profiled): {top}."
        )
    return "\n".join(out)


def row(name, result: Result, trivial: Result, target: Target | None, connections) -> str:
    ratio = result.per_second / trivial.per_second if trivial.per_second else 0.0
    target = target or Target()
    if connections and connections != 8:
        name = name if "connections" in name else f"{name} ({connections} connections)"
    return (
        f"| {name} | {number(result.per_second)} | {number(result.p50_ms)} | "
        f"{number(result.p95_ms)} | {number(result.p99_ms)} | {ratio:.3f} | "
        f"{target.describe()} | {target.verdict(result, ratio)} |"
    )


def proxied_lines(rows) -> list[str]:
    """The run with more than one application server behind one nginx (issue 15, point 4)."""
    if not rows:
        return [
            "### Two servers behind one proxy",
            "",
            "Not run: nginx is missing (`make bench` installs it as root).",
            "",
        ]
    layouts = list(dict.fromkeys(layout for layout, _p, _c, _r in rows))
    pages = list(dict.fromkeys((page, connections) for _l, page, connections, _r in rows))
    found = {(layout, page): result for layout, page, _c, result in rows}
    out = [
        "### Two servers behind one proxy",
        "",
        "The same database, the same sessions; wrk talks to one nginx (Debian's, "
        "`ondernemerspunt/bench/servers.py`: upstream with keepalive, `X-Forwarded-Proto: "
        "https`, `client_max_body_size 11m`), which passes each request to a gunicorn in turn. "
        "Each cell: requests/s, and p95 in ms. Sessions, tasks, PDFs and uploads live in the "
        "database, so a session made on one server is served by the other, and every save of "
        "a plan part, whichever server took it, checks the version the other wrote.",
        "",
        "| page | " + " | ".join(layouts) + " |",
        "|---|" + "---:|" * len(layouts),
    ]
    for page, connections in pages:
        cells = [
            f"{number(found[(layout, page)].per_second)}/s, "
            f"{number(found[(layout, page)].p95_ms)} ms"
            for layout in layouts
        ]
        out.append(f"| {page} ({connections} connections) | " + " | ".join(cells) + " |")
    out += [
        "",
        "On this machine both layouts share the same two cores with nginx and wrk, so two "
        "servers cannot be faster than one with two workers: the table shows that nothing is "
        "lost by spreading the workers over servers (no server-local state, no sticky "
        "sessions). On separate machines each server adds its cores; PostgreSQL is the shared "
        "part (see the queries per page below).",
        "",
    ]
    return out


def memory_line(memory: dict) -> str:
    before, after = memory["before"], memory["after"]
    parts = [f"{before[pid]:.0f} → {after[pid]:.0f} MB" for pid in sorted(before) if pid in after]
    grew = max((after[pid] - before[pid] for pid in before if pid in after), default=0.0)
    per_worker = memory["requests"] / max(1, len(before))
    return (
        f"**Worker memory** (resident set of each gunicorn worker, after the warm-up and after "
        f"the last run; {memory['requests']:,} requests in all, about {per_worker:,.0f} per "
        f"worker): {', '.join(parts)}; the most a worker grew: {grew:.1f} MB (target: less "
        f"than 20 MB over 10,000 requests — {'met' if grew < 20 else '**not met**'}"
        + ("" if per_worker >= 10_000 else ", but over fewer requests than that")
        + ")."
    )
