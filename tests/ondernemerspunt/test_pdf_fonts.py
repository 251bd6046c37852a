"""PDFs subset their fonts with HarfBuzz; start-up warns where its library is missing."""

import os

import pytest

from ondernemerspunt import pdf


def test_a_missing_subsetting_library_is_a_start_up_warning(monkeypatch):
    monkeypatch.setattr(pdf.ctypes.util, "find_library", lambda name: None)
    (warning,) = pdf.check_font_subsetting()
    assert warning.id == "ondernemerspunt.W010"
    assert "libharfbuzz-subset0" in warning.hint


def test_no_warning_where_it_is_installed(monkeypatch):
    monkeypatch.setattr(pdf.ctypes.util, "find_library", lambda name: f"lib{name}.so.0")
    assert pdf.check_font_subsetting() == []


def test_this_machine_has_it():
    """CI installs it (.ci/run), and there it must be there; a developer's machine without it
    is told how to get it, as for Chromium."""
    if not pdf.harfbuzz_subset_available() and not os.environ.get("CI"):
        pytest.skip("No libharfbuzz-subset0 here: apt-get install libharfbuzz-subset0")
    assert pdf.harfbuzz_subset_available()
