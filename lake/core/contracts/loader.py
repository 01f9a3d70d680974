"""The contracts' YAML files read into `TableContract`s and `Column`s (the model stays in `model`).

The files beside this module, read in this order:

- ``columns.yml``: the columns several tables share, under ``columns:``; an entry is one column (named by
  its key unless it says ``name:``) or a list, a group of columns taken together;
- ``bronze.yml``, ``ops.yml``, ``silver.yml``, ``gold.yml``: ``layer:``, optionally the file's own shared
  ``columns:`` (gold's), and its tables under ``tables:``; a further ``<group>_tables:`` list is a group of its
  own (bronze's ``ocr_tables:``, the OCR output).

A table is ``name``, ``vi``, ``en``, ``key``, ``columns`` and optionally ``partition_by``, ``owner``,
``tags``, ``properties``, ``zone``, ``freshness`` and ``change_feed: true`` (the Delta change data feed,
`CHANGE_FEED`). A column entry is one of:

- a column: ``name``, ``type``, ``vi``, ``en`` and optionally ``nullable``, ``source``, ``tags``,
  ``references``, ``accepted_values`` (the fields of `Column`);
- ``use: <shared name>``: a shared column, as it is or with the fields given beside ``use`` changed (a
  group of columns is taken as it is);
- ``like: <layer>.<table>.<column>``: a column of a table read before, nullable unless it says
  ``nullable: false`` (a mart's not_null test), with the fields given beside it changed.

A bronze table of delivered CSV/XLSX rows says ``tabular:`` instead of ``columns:`` and ``key``: each field
``{name, header, vi, en}`` is a string column whose delivered header is ``header`` (default: the name), or
``use: <shared name>`` (its header is its name); the ``lineage`` columns follow and the key is the source
file, its SHA-256, the sheet and the line (`TABULAR_KEY`).

A file that breaks these rules (unknown key, unknown shared column or table, a value of the wrong type, a key
given twice) is refused with a `ContractFileError` naming the file and the table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from lake.core.contracts.model import CHANGE_FEED, Column, TableContract

SHARED_FILE = "columns"
#: the layer files, in the order they are read (a ``like:`` names a table of an earlier file or table)
FILES = ("bronze", "ops", "silver", "gold")
#: the key of every tabular bronze table: one row per line of a delivered file version
TABULAR_KEY = ("source_file", "source_sha256", "source_sheet", "source_line")

_FIELDS = {f.name: f for f in dataclasses.fields(Column)}
_REQUIRED = ("name", "type", "vi", "en")
# the type each key's YAML value must have ("strs": a list of strings, "list": a list of scalars)
_COLUMN_TYPES = {"name": str, "type": str, "vi": str, "en": str, "nullable": bool, "source": str, "tags": "strs",
                 "references": str, "accepted_values": "list"}
_TABLE_TYPES = {"name": str, "vi": str, "en": str, "key": "strs", "partition_by": "strs", "owner": str,
                "tags": "strs", "properties": dict, "zone": str, "freshness": bool, "change_feed": bool,
                "columns": list, "tabular": list}
_TABULAR_FIELD_KEYS = ("name", "header", "vi", "en")


class ContractFileError(ValueError):
    """A contract YAML file that breaks the rules of `lake.core.contracts.loader` (the message names the file
    and the table)."""


@dataclass(frozen=True)
class Contracts:
    """What the files declare: the shared columns by file (``"columns"`` for columns.yml, then a layer file's
    own) and the tables by group (``"BRONZE_TABLES"``, ``"OCR_TABLES"``, ...), each in file order."""

    shared: dict[str, dict[str, Column | tuple[Column, ...]]]
    groups: dict[str, tuple[TableContract, ...]]


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader, refusing a mapping that gives a key twice (plain YAML keeps the last silently)."""


def _no_duplicate_keys(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    twice = sorted({k for k in keys if keys.count(k) > 1}, key=str)
    if twice:
        raise yaml.constructor.ConstructorError(None, None, f"key(s) given twice: {twice}", node.start_mark)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


def table_python_name(contract: TableContract) -> str:
    """The name of `lake.core.contracts` for a table's contract: its name in capitals, ``SILVER_`` before a
    silver one's (a shared column's is its key in capitals).

    >>> from lake.core.contracts import get_contract
    >>> [table_python_name(get_contract(n)) for n in ("bronze.raw_contents", "silver.documents")]
    ['RAW_CONTENTS', 'SILVER_DOCUMENTS']
    """
    prefix = "SILVER_" if contract.layer == "silver" else ""
    return prefix + contract.name.upper()


def _checked(value, expected, what: str, where: str):
    """`value` converted for the model (lists to tuples), or a ContractFileError when its type is wrong."""
    if expected in ("strs", "list"):
        ok = isinstance(value, list) and all(
            isinstance(v, str) if expected == "strs" else isinstance(v, (str, int, float, bool)) for v in value)
        if ok:
            return tuple(value)
        kind = "a list of strings" if expected == "strs" else "a list of values"
    else:
        ok = isinstance(value, expected) and not (expected is not bool and isinstance(value, bool))
        if ok and expected is dict and not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            ok = False
        if ok:
            return dict(value) if expected is dict else value
        kind = {str: "a string", bool: "true or false", dict: "a mapping of strings to strings (quote 'true')",
                list: "a list"}[expected]
    raise ContractFileError(f"{where}: {what} must be {kind}, not {value!r}")


def _fields(spec: Mapping, allowed: Mapping, where: str, skip: tuple[str, ...] = ()) -> dict:
    """The entry's fields checked against `allowed` (key → expected type), `skip` keys left out."""
    unknown = [k for k in spec if k not in allowed and k not in skip]
    if unknown:
        raise ContractFileError(f"{where}: unknown key(s) {unknown}; allowed: {[*skip, *allowed]}")
    return {k: _checked(v, allowed[k], k, where) for k, v in spec.items() if k not in skip}


def _mapping(spec, where: str) -> Mapping:
    if not isinstance(spec, Mapping):
        raise ContractFileError(f"{where}: expected a mapping, not {spec!r}")
    return spec


def _new_column(spec, where: str, default_name: str | None = None) -> Column:
    """A column written out in full."""
    fields = _fields(_mapping(spec, where), _COLUMN_TYPES, where)
    if default_name is not None:
        fields.setdefault("name", default_name)
    missing = [k for k in _REQUIRED if k not in fields]
    if missing:
        raise ContractFileError(f"{where}: missing key(s) {missing}")
    return Column(**fields)


def _shared_entries(columns, where: str) -> dict[str, Column | tuple[Column, ...]]:
    """A file's ``columns:`` section: key → one column, or a group (tuple) of columns."""
    out: dict[str, Column | tuple[Column, ...]] = {}
    for key, spec in _mapping(columns, f"{where}: columns").items():
        at = f"{where}: shared column {key!r}"
        if isinstance(spec, list):
            out[key] = tuple(_new_column(s, f"{at}[{i}]") for i, s in enumerate(spec))
        else:
            out[key] = _new_column(spec, at, default_name=key)
    return out


class _Reader:
    """Reads the files in order, keeping what later entries may refer to: shared columns and earlier tables."""

    def __init__(self, shared: dict[str, Column | tuple[Column, ...]]):
        self.shared = shared
        self.tables: dict[str, TableContract] = {}

    def _use(self, name, where: str, scope: Mapping) -> Column | tuple[Column, ...]:
        if not isinstance(name, str) or name not in scope:
            raise ContractFileError(f"{where}: unknown shared column {name!r}; known: {sorted(scope)}")
        return scope[name]

    def _like(self, ref, where: str) -> Column:
        parts = ref.split(".") if isinstance(ref, str) else []
        if len(parts) != 3:
            raise ContractFileError(f"{where}: like: {ref!r} is not <layer>.<table>.<column>")
        table = self.tables.get(f"{parts[0]}.{parts[1]}")
        if table is None:
            raise ContractFileError(f"{where}: like: unknown table {parts[0]}.{parts[1]} (a table of this or an "
                                    f"earlier file, declared above); known: {sorted(self.tables)}")
        if parts[2] not in table.column_names:
            raise ContractFileError(f"{where}: like: {table.full_name} has no column {parts[2]!r}")
        return table.column(parts[2]).but(nullable=True)

    def column(self, spec, where: str, scope: Mapping) -> tuple[Column, ...]:
        """The columns of one entry of a table's ``columns:`` (a group gives several)."""
        spec = _mapping(spec, where)
        if "use" in spec or "like" in spec:
            if "use" in spec and "like" in spec:
                raise ContractFileError(f"{where}: an entry is `use:` or `like:`, not both")
            ref_key = "use" if "use" in spec else "like"
            base = self._use(spec["use"], where, scope) if ref_key == "use" else self._like(spec["like"], where)
            changes = _fields(spec, _COLUMN_TYPES, where, skip=(ref_key,))
            if isinstance(base, tuple):
                if changes:
                    raise ContractFileError(f"{where}: {spec['use']!r} is a group of columns, taken as it is")
                return base
            return (base.but(**changes),)
        return (_new_column(spec, where),)

    def tabular_field(self, spec, where: str, scope: Mapping) -> Column:
        """One field of a tabular table: a string column and its delivered header."""
        spec = _mapping(spec, where)
        if "use" in spec:
            if len(spec) > 1:
                raise ContractFileError(f"{where}: a tabular `use:` takes no other key, not {sorted(spec)}")
            base = self._use(spec["use"], where, scope)
            if isinstance(base, tuple):
                raise ContractFileError(f"{where}: {spec['use']!r} is a group of columns, not a field")
            return base.but(source=base.name)
        fields = _fields(spec, dict.fromkeys(_TABULAR_FIELD_KEYS, str), where)
        missing = [k for k in ("name", "vi", "en") if k not in fields]
        if missing:
            raise ContractFileError(f"{where}: missing key(s) {missing}")
        return Column(fields["name"], "string", fields["vi"], fields["en"], source=fields.get("header", fields["name"]))

    def table(self, spec, layer: str, file: str, scope: Mapping) -> TableContract:
        """One table of a layer file."""
        spec = _mapping(spec, f"{file}: a table")
        where = f"{file}: table {spec.get('name', '?')!r}"
        fields = _fields(spec, _TABLE_TYPES, where)
        if ("columns" in fields) == ("tabular" in fields):
            raise ContractFileError(f"{where}: a table has `columns:` or `tabular:`, one of them")
        if "tabular" in fields:
            if "key" in fields:
                raise ContractFileError(f"{where}: a tabular table's key is fixed {TABULAR_KEY}, not given")
            lineage = self._use("lineage", where, scope)
            columns = (*(self.tabular_field(f, f"{where}: field {i + 1}", scope)
                         for i, f in enumerate(fields.pop("tabular"))), *lineage)
            fields["key"] = TABULAR_KEY
        else:
            columns = tuple(c for i, s in enumerate(fields.pop("columns"))
                            for c in self.column(s, f"{where}: column {i + 1}", scope))
        missing = [k for k in ("name", "vi", "en", "key") if k not in fields]
        if missing:
            raise ContractFileError(f"{where}: missing key(s) {missing}")
        if fields.pop("change_feed", False):
            fields["properties"] = {**CHANGE_FEED, **fields.get("properties", {})}
        try:
            contract = TableContract(layer=layer, columns=columns, **fields)
        except ValueError as e:
            raise ContractFileError(f"{where}: {e}") from None
        self.tables[contract.full_name] = contract
        return contract

    def layer_file(self, data, file: str) -> tuple[dict, dict[str, tuple[TableContract, ...]]]:
        """A layer file: its own shared columns and its groups of tables."""
        data = _mapping(data, file)
        groups_keys = [k for k in data if k == "tables" or (isinstance(k, str) and k.endswith("_tables"))]
        unknown = [k for k in data if k not in ("layer", "columns", *groups_keys)]
        if unknown:
            raise ContractFileError(f"{file}: unknown key(s) {unknown}; allowed: layer, columns, tables, "
                                    "<group>_tables")
        layer = data.get("layer")
        if not isinstance(layer, str) or "tables" not in data:
            raise ContractFileError(f"{file}: a layer file says `layer:` and has `tables:`")
        own = _shared_entries(data.get("columns") or {}, file)
        clash = sorted(set(own) & set(self.shared))
        if clash:
            raise ContractFileError(f"{file}: shared column(s) {clash} already declared in {SHARED_FILE}.yml")
        scope = {**self.shared, **own}
        groups = {}
        for key in groups_keys:
            group = (layer if key == "tables" else key.removesuffix("_tables")).upper() + "_TABLES"
            if not isinstance(data[key], list):
                raise ContractFileError(f"{file}: {key} must be a list of tables")
            groups[group] = tuple(self.table(t, layer, file, scope) for t in data[key])
        return own, groups


def _read(directory: Path | None, stem: str):
    name = f"{stem}.yml"
    source = resources.files(__package__) / name if directory is None else Path(directory) / name
    try:
        return yaml.load(source.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as e:
        raise ContractFileError(f"{name}: {e}") from None


def load_contracts(directory: Path | None = None, files: tuple[str, ...] = FILES) -> Contracts:
    """The shared columns and the tables the YAML files declare (those of this package unless `directory`
    names another folder), in file order; a `ContractFileError` for a file that breaks the rules.

    >>> loaded = load_contracts()
    >>> list(loaded.groups)
    ['BRONZE_TABLES', 'OCR_TABLES', 'OPS_TABLES', 'SILVER_TABLES', 'GOLD_TABLES']
    >>> loaded.shared["columns"]["district_code"].en
    'Old district code'
    """
    data = _mapping(_read(directory, SHARED_FILE), f"{SHARED_FILE}.yml")
    unknown = [k for k in data if k != "columns"]
    if unknown:
        raise ContractFileError(f"{SHARED_FILE}.yml: unknown key(s) {unknown}; allowed: columns")
    shared = {SHARED_FILE: _shared_entries(data.get("columns") or {}, f"{SHARED_FILE}.yml")}
    reader = _Reader(shared[SHARED_FILE])
    groups: dict[str, tuple[TableContract, ...]] = {}
    for stem in files:
        own, file_groups = reader.layer_file(_read(directory, stem), f"{stem}.yml")
        if own:
            shared[stem] = own
        groups.update(file_groups)
    return Contracts(shared=shared, groups=groups)


def check_names(namespace: Mapping, loaded: Contracts) -> None:
    """Check that `namespace` (the package's globals) binds every group, table and shared column of `loaded`
    to its name (`table_python_name`; a shared column's key in capitals); a ContractFileError names the first
    one bound wrong or missing (a name added to a YAML file and not to the package, or an unpacking out of
    order)."""
    expected = {group: tables for group, tables in loaded.groups.items()}
    expected.update({table_python_name(t): t for tables in loaded.groups.values() for t in tables})
    expected.update({k.upper(): v for entries in loaded.shared.values() for k, v in entries.items()})
    for name, value in expected.items():
        if namespace.get(name) is not value:
            raise ContractFileError(f"lake.core.contracts binds {name} to something else than the YAML's "
                                    f"{getattr(value, 'full_name', name)}: unpack the tables and columns in "
                                    "the files' order")
