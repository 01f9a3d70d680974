"""One integer rule for delivered cells, on both sides: silver's Python (`lake.domain.silver.inventory.parse_int`) and
the dbt macro `parse_int` (transformations/macros/parsing.sql, used by the handover reports' staging model) give
the same answer for every case below. The Python side runs without Spark; the macro is rendered with Jinja as dbt
renders it and evaluated in Spark SQL (marker `spark`)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from lake.domain.silver.inventory import parse_int

MACROS = Path(__file__).resolve().parents[2] / "transformations" / "macros" / "parsing.sql"

# (text as delivered, integer or None)
CASES = [
    ("12", 12), ("0", 0), (" 012 ", 12), ("+7", 7), ("-3", -3),
    ("12.0", 12), ("12,00", 12), ("1.000", 1), ("12.", 12), (".0", 0), ("-.0", 0),  # spreadsheet numbers
    ("12.5", None), ("1,5", None), ("1.234", None), (".5", None),  # a real fraction: not an integer
    ("Hộp 03", 3), ("12 hộp", 12), ("khoảng 40 hồ sơ", 40),  # one number in the text
    ("1-2", None), ("12.5 hộp", None), ("3 hộp, 40 hồ sơ", None), ("1e3", None), ("1_000", None),  # several
    ("", None), ("   ", None), (None, None), ("không rõ", None), ("inf", None), ("nan", None), ("-", None),
    ("\u00a012\u00a0", 12), ("\t12.0\n", 12), ("\u00a0-3", -3),  # what a spreadsheet leaves around a value
    ("\u0663", None), ("12\u2028", 12),  # a non-ASCII digit is no digit; a line separator is no space
    ("2147483647", 2147483647), ("-2147483648", -2147483648), ("2147483648", None), ("99999999999", None),
    ("Hộp 99999999999", None),  # outside the int columns' range
]


@pytest.mark.parametrize("text, expected", CASES)
def test_python_rule(text, expected):
    assert parse_int(text) == expected


def macro_sql(column: str) -> str:
    """The macro's SQL for `column`, rendered by Jinja from the macro file (no dbt context needed)."""
    call = "{{ parse_int(" + repr(column) + ") }}"
    template = jinja2.Environment().from_string(MACROS.read_text(encoding="utf-8") + call)
    return template.render().rsplit("{%- endmacro %}", 1)[-1].strip()


def test_macro_renders_from_the_file():
    sql = macro_sql("v")
    assert sql.startswith("case") and sql.endswith("end") and "try_cast" in sql and "{{" not in sql


@pytest.mark.spark
def test_sql_rule_gives_the_same_answers(spark):
    rows = [(i, text) for i, (text, _) in enumerate(CASES)]
    got = dict(spark.createDataFrame(rows, "i int, v string").selectExpr("i", f"{macro_sql('v')} AS n").collect())
    wrong = [(text, expected, got[i]) for i, (text, expected) in enumerate(CASES) if got[i] != expected]
    assert not wrong, f"(text, Python rule, SQL macro): {wrong}"
