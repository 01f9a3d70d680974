"""The analyst notebooks execute headless (nbclient, a real IPython kernel) against the sample's gold tables
through the Thrift endpoint, and the figures in their summary cells equal the same figures computed with Spark.
Executed copies (with outputs and charts) are kept in test-artifacts/notebooks/."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.services]
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(scope="module")
def thrift_up(gold, lake_env):
    from lake.platform.services import Services

    assert gold.ok, gold.summary()
    Services(lake_env).up(thrift=True)
    from lake.platform.directory import ensure_person

    # the kernels connect as an analyst of the directory (lake.platform.sql_endpoint.credentials)
    path = ensure_person(lake_env, "phantich", ("analyst",), "Chuyên viên phân tích")
    saved = {k: os.environ.get(k) for k in ("LAKEHOUSE_SQL_USER", "LAKEHOUSE_SQL_PASSWORD")}
    os.environ.update(LAKEHOUSE_SQL_USER="phantich", LAKEHOUSE_SQL_PASSWORD=path.read_text(encoding="utf-8").strip())
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _execute(name: str, artifacts_dir: Path, env: dict[str, str] | None = None) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    saved = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    out = artifacts_dir / "notebooks"
    out.mkdir(exist_ok=True)
    nbformat.write(nb, out / name)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs) or name.startswith("02"), "a chart was drawn"
    last = nb.cells[-1].outputs[-1]
    return ast.literal_eval(last["data"]["text/plain"])


def _one(spark, query: str):
    return spark.sql(query).collect()[0][0]


def test_notebooks_are_committed_without_outputs():
    import nbformat

    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert len(names) == 3
    for name in names:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(nb)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), name


def test_locality_progress_notebook(thrift_up, spark, artifacts_dir):
    summary = _execute("01_tien_do_dia_ban.ipynb", artifacts_dir)
    district = summary["district_code"]
    pages = _one(spark, f"""SELECT count(*) FROM gold.fct_pages p JOIN gold.dim_agency a USING (agency_code)
                            WHERE a.district_code = '{district}'""")
    assert summary["pages_loaded"] == pages > 0
    planned = _one(spark, f"""SELECT sum(planned_pages) FROM gold.fct_digitization_progress
                              WHERE district_code = '{district}' AND stage = 'loaded'
                              AND date_day = (SELECT max(date_day) FROM gold.fct_digitization_progress)""")
    assert summary["pages_planned"] == planned
    agencies = _one(spark, f"""SELECT count(DISTINCT a.agency_code) FROM gold.dim_agency a
                               JOIN gold.fct_pages p USING (agency_code) WHERE a.district_code = '{district}'""")
    assert summary["agencies_with_pages"] == agencies


def test_document_search_notebook(thrift_up, spark, artifacts_dir):
    everything = _execute("02_tra_cuu_van_ban.ipynb", artifacts_dir)
    assert everything["documents_matching"] == _one(
        spark, "SELECT count(*) FROM gold.fct_documents WHERE NOT is_restricted") > 0
    # a narrower search: the commonest type and year of the sample
    row = spark.sql("""SELECT t.type_abbr, year(d.document_date) AS y, count(*) AS n FROM gold.fct_documents d
                       JOIN gold.dim_document_type t USING (type_key)
                       WHERE NOT d.is_restricted AND t.type_abbr IS NOT NULL AND d.document_date IS NOT NULL
                       GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 1""").collect()[0]
    narrow = _execute("02_tra_cuu_van_ban.ipynb", artifacts_dir,
                      {"LAKEHOUSE_NB_TYPE": row.type_abbr, "LAKEHOUSE_NB_YEAR": str(row.y)})
    assert narrow["documents_matching"] == narrow["rows_shown"] == row.n
    assert narrow["types"] == 1


def test_ocr_quality_notebook(thrift_up, spark, artifacts_dir):
    summary = _execute("03_chat_luong_ocr.ipynb", artifacts_dir)
    assert summary["pages"] == _one(spark, "SELECT count(*) FROM gold.fct_pages") > 0
    assert summary["qc_issues"] == _one(spark, "SELECT count(*) FROM silver.qc_issues")
    classes = {r[0] for r in spark.sql("SELECT DISTINCT quality_class FROM gold.fct_pages").collect() if r[0]}
    assert set(summary["quality_classes"]) == classes
