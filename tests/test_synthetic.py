"""The synthetic volume lake (lakehouse_sample/synthetic.py, used by benchmarks/transform.py and
benchmarks/dashboards.py) must hold every bronze/silver table that the dbt project and the Superset datasets
read, or a benchmark at volume fails half-way (as it did once on silver.qc_issues)."""

import re
from pathlib import Path

from lake.core import contracts as C
from lakehouse_sample.synthetic import COPIED_ONCE, REPLICATED

ROOT = Path(__file__).resolve().parent.parent


def _tables_read() -> set[str]:
    found = set()
    for path in (ROOT / "transformations").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        found |= {f"{a}.{b}" for a, b in re.findall(r"source\('(bronze|silver)',\s*'(\w+)'\)", text)}
        found |= set(re.findall(r"\b((?:bronze|silver)\.\w+)", text))
    for path in (ROOT / "dashboards" / "datasets").rglob("*.yaml"):
        found |= set(re.findall(r"\b((?:bronze|silver)\.\w+)", path.read_text(encoding="utf-8")))
    return found & {c.full_name for c in C.tables()}  # not module paths such as lake.domain.silver.inventory


def test_synthetic_lake_holds_every_table_dbt_and_dashboards_read():
    read = _tables_read()
    assert {"silver.documents", "bronze.scan_pages", "silver.qc_issues"} <= read  # the scan itself works
    held = set(COPIED_ONCE) | set(REPLICATED)
    assert read - held == set()


def test_synthetic_expressions_name_real_contract_columns():
    by_name = {c.full_name: c for c in C.tables()}
    for table, exprs in REPLICATED.items():
        columns = {c.name for c in by_name[table].columns}
        assert set(exprs) <= columns, (table, set(exprs) - columns)
    for table in COPIED_ONCE:
        assert table in by_name
