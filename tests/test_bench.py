"""The benchmark's pure helpers (ondernemerspunt/bench/wrk.py): no wrk, gunicorn or database
needed. The benchmark itself (`make bench`) is not part of `make test`."""

import pytest

from ondernemerspunt.bench.wrk import END, START, Result, Target, parse, replace_section

OUTPUT = """Running 15s test @ http://127.0.0.1:8020/bewoners/
  8 threads and 8 connections
BENCH requests=750 duration_us=15000000 p50_us=152000 p95_us=210500 p99_us=260000 max_us=300000 \
errors=0 unexpected=0 first_unexpected=0
"""


def test_parse_reads_the_summary_line():
    result = parse(OUTPUT)
    assert result.requests == 750
    assert result.per_second == pytest.approx(50.0)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (152.0, 210.5, 260.0)
    assert result.errors == result.unexpected == 0


def test_parse_without_the_line_says_so():
    with pytest.raises(ValueError, match="no BENCH line"):
        parse("unable to connect to 127.0.0.1:8020 Connection refused")


def test_targets_by_ratio_and_by_p95():
    slow = Result(10, 1.0, 50, 120, 150, 200, 0, 0)
    assert Target(ratio=0.08).verdict(slow, 0.09) == "met"
    assert "not met" in Target(ratio=0.08).verdict(slow, 0.02)
    assert "not met" in Target(p95_ms=100).verdict(slow, 0.0)
    assert Target().verdict(slow, 0.0) == ""


def test_replace_section_keeps_the_rest_of_the_document():
    document = f"# Title\n\nBefore.\n\n{START}\nold figures\n{END}\n\n## Query budgets\n"
    new = replace_section(document, "new figures")
    assert new == f"# Title\n\nBefore.\n\n{START}\nnew figures\n{END}\n\n## Query budgets\n"
    assert replace_section(new, "new figures") == new


def test_replace_section_adds_the_markers_when_missing():
    assert replace_section("# Title\n", "figures") == f"# Title\n\n{START}\nfigures\n{END}\n"


def test_the_two_server_table_has_a_column_per_layout_and_a_row_per_page():
    from ondernemerspunt.bench.report import proxied_lines

    one = Result(3000, 15.0, 3.0, 5.0, 6.0, 9.0, 0, 0)  # 200/s
    two = Result(2850, 15.0, 3.0, 5.5, 6.0, 9.0, 0, 0)  # 190/s
    rows = [
        ("one server, 2 workers", "resident list (search + filter)", 8, one),
        ("two servers, 1 worker each", "resident list (search + filter)", 8, two),
    ]
    lines = proxied_lines(rows)
    assert "| page | one server, 2 workers | two servers, 1 worker each |" in lines
    assert (
        "| resident list (search + filter) (8 connections) | 200/s, 5.0 ms | 190/s, 5.5 ms |"
        in lines
    )
    assert any("Not run" in line for line in proxied_lines([]))


def test_the_proxy_passes_requests_to_every_server_as_https(settings, tmp_path):
    from ondernemerspunt.bench import servers

    settings.BASE_DIR = tmp_path
    conf = servers.write_conf(8023, [8021, 8022]).read_text()
    assert "server 127.0.0.1:8021;" in conf and "server 127.0.0.1:8022;" in conf
    assert "listen 127.0.0.1:8023;" in conf
    assert "proxy_set_header X-Forwarded-Proto https;" in conf
    assert "proxy_set_header Host $http_host;" in conf  # the port too: the CSRF origin check
