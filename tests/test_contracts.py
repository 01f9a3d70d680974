import pytest

from lake.core import contracts as C
from lake.core.delta import create_table_sql
from lake.core.settings import Settings
from lake.domain.ingest.landing import TABULAR_KINDS


@pytest.mark.parametrize("contract", C.tables(), ids=lambda c: c.full_name)
def test_every_table_and_column_is_described_in_both_languages(contract):
    assert contract.vi.strip() and contract.en.strip()
    assert contract.layer in C.LAYERS
    for col in contract.columns:
        assert col.vi.strip() and col.en.strip(), f"{contract.full_name}.{col.name}"
    assert contract.key, "every table declares its key"


@pytest.mark.parametrize("contract", C.tables(), ids=lambda c: c.full_name)
def test_contract_schema_parses_and_ddl_names_every_column(contract):
    schema = contract.spark_schema()
    assert [f.name for f in schema] == contract.column_names
    ddl = create_table_sql(contract, Settings.from_env())
    for name in contract.column_names:
        assert f"`{name}`" in ddl
    assert "USING delta" in ddl
    if contract.partition_by:
        assert f"PARTITIONED BY ({', '.join(contract.partition_by)})" in ddl


def test_bad_contracts_are_rejected():
    col = C.Column("a", "string", "a", "a")
    with pytest.raises(ValueError, match="not in the schema"):
        C.TableContract("bronze", "x", "x", "x", (col,), key=("b",))
    with pytest.raises(ValueError, match="unknown layer"):
        C.TableContract("platinum", "x", "x", "x", (col,), key=("a",))
    with pytest.raises(ValueError, match="declared twice"):
        C.register(C.TableContract("bronze", "landing_files", "x", "x", (col,), key=("a",)))


def test_tabular_contracts_map_every_delivered_header_once():
    for kind, contract in TABULAR_KINDS.items():
        sources = [c.source for c in contract.columns if c.source]
        assert sources, kind
        assert len(sources) == len(set(sources)), kind
        assert {"source_file", "source_sha256", "source_line"} <= set(contract.column_names)


def test_inventory_contract_carries_the_circular_02_fields():
    headers = {c.source for c in C.INVENTORY_RECORDS.columns if c.source}
    for field in ("Mã hồ sơ", "Mã phông", "Tiêu đề hồ sơ", "Thời hạn bảo quản", "Thời gian bắt đầu",
                  "Thời gian kết thúc", "Số lượng trang", "Hộp số", "Nhóm ưu tiên"):
        assert field in headers


def test_spark_type_strings():
    from pyspark.sql import types as T

    assert C.spark_type("map<string,bigint>") == T.MapType(T.StringType(), T.LongType())
    assert C.spark_type("array<struct<text:string,conf:double>>") == T.ArrayType(
        T.StructType([T.StructField("text", T.StringType()), T.StructField("conf", T.DoubleType())])
    )
    with pytest.raises(ValueError, match="unsupported"):
        C.spark_type("varchar2")


def test_every_owner_is_a_layer_team_and_gold_names_its_marts():
    assert {t.owner for t in C.tables()} <= set(C.DEFAULT_OWNER.values())
    assert C.get_contract("gold.fct_documents").owner == "lakehouse-gold"
    assert C.job_tables() == [t for t in C.tables() if t.layer != "gold"]


@pytest.mark.parametrize("contract", C.tables("gold"), ids=lambda c: c.full_name)
def test_gold_contracts_reference_real_columns_and_carry_no_banned_column(contract):
    for col in contract.columns:
        assert not set(col.tags) & set(C.MART_BANNED_TAGS), f"{contract.full_name}.{col.name}"
        if col.references:
            model, field = col.references.split(".")
            assert field in C.get_contract(f"gold.{model}").column_names, col.references
    banned = {c.name for t in C.tables() for c in t.columns if set(c.tags) & set(C.MART_BANNED_TAGS)}
    assert not banned & set(contract.column_names)


def test_restricted_columns_are_tagged_in_the_contracts():
    """The columns dbt's assert_no_restricted_data_in_marts bans: personal data, and what stays in silver."""
    assert "PII" in C.SILVER_RESTRICTED_DOCUMENTS.column("full_text").tags
    for name in ("signer_title", "recipients", "secrecy"):
        assert "restricted" in C.SILVER_DOCUMENTS.column(name).tags, name
    for name in ("title", "keywords", "notes"):
        assert "restricted" in C.SILVER_RECORDS.column(name).tags, name


def test_gold_columns_carried_from_silver_keep_their_declaration_but_not_their_nullability():
    silver, gold = C.SILVER_RECORDS.column("first_scanned_at"), C.FCT_RECORDS.column("first_scanned_at")
    assert (gold.type, gold.vi, gold.en) == (silver.type, silver.vi, silver.en)
    assert not C.SILVER_RECORDS.column("page_count_scanned").nullable
    assert C.FCT_RECORDS.column("page_count_scanned").nullable  # no not_null test on the mart
