"""The contracts' YAML files (lake/core/contracts/*.yml) and their loader: what a file may say, and the clear
refusal, naming the file and the table, of what it may not (lake.core.contracts.loader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lake.core import contracts as C
from lake.core.contracts import loader
from lake.core.contracts.loader import ContractFileError, load_contracts

CONTRACTS_DIR = Path(loader.__file__).parent

SHARED = """\
columns:
  district_code: {type: string, vi: Mã quận/huyện cũ, en: Old district code}
  lineage:
    - {name: source_file, type: string, vi: Tệp nguồn, en: Source file, nullable: false}
    - {name: source_sha256, type: string, vi: SHA-256, en: SHA-256, nullable: false}
    - {name: source_sheet, type: string, vi: Trang tính, en: Sheet}
    - {name: source_line, type: int, vi: Dòng, en: Line, nullable: false}
"""

TABLE = """\
layer: bronze
tables:
  - name: things
    vi: Vật
    en: Things
    key: [thing_id]
    columns:
      - {name: thing_id, type: string, vi: Mã, en: Id, nullable: false}
EXTRA
"""


def _load(tmp_path: Path, bronze: str, shared: str = SHARED):
    (tmp_path / "columns.yml").write_text(shared, encoding="utf-8")
    (tmp_path / "bronze.yml").write_text(bronze, encoding="utf-8")
    return load_contracts(tmp_path, files=("bronze",))


def _table(extra: str) -> str:
    return TABLE.replace("EXTRA", extra)


def test_a_small_file_builds_the_model(tmp_path):
    loaded = _load(tmp_path, _table("      - use: district_code\n        nullable: false\n") + """\
  - name: sheets
    vi: Bảng
    en: Sheets
    change_feed: true
    tabular:
      - {name: stt, header: STT, vi: Số thứ tự, en: Row number}
      - {name: note, vi: Ghi chú, en: Note}
      - use: district_code
""")
    things, sheets = loaded.groups["BRONZE_TABLES"]
    assert things.column("district_code") == C.Column("district_code", "string", "Mã quận/huyện cũ",
                                                      "Old district code", nullable=False)
    assert [(c.name, c.type, c.source) for c in sheets.columns[:3]] == [
        ("stt", "string", "STT"), ("note", "string", "note"), ("district_code", "string", "district_code")]
    assert sheets.column_names[3:] == ["source_file", "source_sha256", "source_sheet", "source_line"]
    assert sheets.key == loader.TABULAR_KEY
    assert sheets.properties == C.CHANGE_FEED and sheets.properties is not C.CHANGE_FEED


def test_an_unknown_shared_column_is_refused_with_file_and_table(tmp_path):
    with pytest.raises(ContractFileError, match=r"bronze\.yml: table 'things': column 2: unknown shared column "
                                                r"'district'; known: \['district_code', 'lineage'\]"):
        _load(tmp_path, _table("      - use: district"))


@pytest.mark.parametrize(("extra", "message"), [
    ("      - {name: a, type: string, vi: a, en: a, descr: a}", r"column 2: unknown key\(s\) \['descr'\]"),
    ("      - {use: district_code, colour: red}", r"column 2: unknown key\(s\) \['colour'\]"),
    ("    partitioned: [thing_id]", r"table 'things': unknown key\(s\) \['partitioned'\]"),
    ("      - {name: a, type: string, vi: a}", r"column 2: missing key\(s\) \['en'\]"),
    ("      - {name: a, type: string, vi: a, en: a, nullable: 'no'}", r"nullable must be true or false"),
    ("    properties: {delta.appendOnly: true}", r"properties must be a mapping of strings to strings"),
    ("      - {use: lineage, nullable: true}", r"'lineage' is a group of columns, taken as it is"),
    ("      - {like: silver.nothing.here}", r"like: unknown table silver\.nothing"),
    ("      - {like: bronze.things}", r"is not <layer>\.<table>\.<column>"),
    ("      - {use: district_code, like: bronze.things.thing_id}", r"`use:` or `like:`, not both"),
    ("    zone: vault", r"table 'things': bronze\.things: unknown zone 'vault'"),
])
def test_a_table_that_breaks_the_rules_is_refused(tmp_path, extra, message):
    with pytest.raises(ContractFileError, match=r"bronze\.yml: .*" + message):
        _load(tmp_path, _table(extra))


def test_a_key_given_twice_is_refused(tmp_path):
    with pytest.raises(ContractFileError, match=r"bronze\.yml: .*key\(s\) given twice: \['vi'\]"):
        _load(tmp_path, _table("      - {name: a, type: string, vi: a, vi: b, en: a}"))


def test_an_unknown_top_level_key_or_shared_clash_is_refused(tmp_path):
    with pytest.raises(ContractFileError, match=r"columns\.yml: unknown key\(s\) \['tables'\]"):
        _load(tmp_path, _table(""), shared=SHARED + "tables: []\n")
    with pytest.raises(ContractFileError, match=r"bronze\.yml: unknown key\(s\) \['owners'\]"):
        _load(tmp_path, _table("owners: {}"))
    clash = "columns:\n  district_code: {type: int, vi: a, en: a}\n"
    with pytest.raises(ContractFileError, match=r"bronze\.yml: shared column\(s\) \['district_code'\] already"):
        _load(tmp_path, clash + _table(""))


def test_like_takes_an_earlier_column_nullable_unless_told(tmp_path):
    loaded = _load(tmp_path, _table("""\
  - name: copies
    vi: Bản sao
    en: Copies
    key: [thing_id]
    columns:
      - {like: bronze.things.thing_id, nullable: false}
      - {like: bronze.things.thing_id, name: other_id, en: Other id}
"""))
    copies = loaded.groups["BRONZE_TABLES"][1]
    assert [(c.name, c.nullable, c.vi, c.en) for c in copies.columns] == [
        ("thing_id", False, "Mã", "Id"), ("other_id", True, "Mã", "Other id")]


def test_the_package_names_each_declared_table_and_column_and_a_wrong_name_is_caught():
    loaded = load_contracts()  # objects of their own: the package's names hold equal ones
    names = {**loaded.groups, **{k.upper(): v for entries in loaded.shared.values() for k, v in entries.items()},
             **{loader.table_python_name(t): t for tables in loaded.groups.values() for t in tables}}
    assert {n: getattr(C, n) for n in names} == names
    loader.check_names(names, loaded)
    with pytest.raises(ContractFileError, match="binds QC_LOGS"):
        loader.check_names({**names, "QC_LOGS": names["BATCH_MANIFESTS"]}, loaded)
    assert C.FCT_RECORDS.column("archive_code") == C.SILVER_RECORDS.column("archive_code").but(nullable=True)


def test_the_files_keep_vietnamese_as_utf8_text():
    text = (CONTRACTS_DIR / "columns.yml").read_text(encoding="utf-8")
    assert "vi: Mã quận/huyện cũ" in text and "\\u" not in text
    assert sorted(p.name for p in CONTRACTS_DIR.glob("*.yml")) == [
        "bronze.yml", "columns.yml", "gold.yml", "ops.yml", "silver.yml"]


def test_the_yaml_files_ship_with_the_package():
    import tomllib

    pyproject = tomllib.loads((CONTRACTS_DIR.parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "core/contracts/*.yml" in pyproject["tool"]["setuptools"]["package-data"]["lake"]
