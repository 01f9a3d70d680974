"""Readers for the official Hà Nội reference lists (read from the configured reference directory).

The files are inputs, never copied into the repository. Codes stay zero-padded strings; names are NFC.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REFERENCE_FILES = {
    "old_districts": "old_districts_2025-01-04.csv",
    "old_communes": "old_communes_2025-01-04.csv",
    "new_communes": "new_communes_2025-07-01.csv",
    "old_to_new_communes": "old_to_new_communes_2025-07-01.csv",
}


class ReferenceError(RuntimeError):
    pass


def nfc(text: str) -> str:
    """`text` trimmed and in Unicode NFC."""
    return unicodedata.normalize("NFC", text.strip())


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of one reference CSV as dicts of NFC strings, in file order."""
    if not path.is_file():
        raise ReferenceError(f"reference file missing: {path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: nfc(v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


@dataclass(frozen=True)
class District:
    code: str
    name: str
    kind: str  # Quận, Huyện, Thị xã


@dataclass(frozen=True)
class OldCommune:
    code: str
    name: str
    level: str  # Phường, Xã, Thị trấn
    district_code: str
    district_name: str


@dataclass(frozen=True)
class NewCommune:
    code: str
    name: str
    level: str  # Phường, Xã


@dataclass(frozen=True)
class Reference:
    districts: list[District]
    old_communes: list[OldCommune]
    new_communes: list[NewCommune]
    conversion: list[dict[str, str]]

    def communes_of(self, district_code: str) -> list[OldCommune]:
        """The old communes of the old district `district_code`, in list order."""
        return [c for c in self.old_communes if c.district_code == district_code]


def load_reference(ref_dir: Path) -> Reference:
    """Read the official lists of `ref_dir` (districts, old and new communes, conversion table);
    ReferenceError naming a missing file."""
    ref_dir = Path(ref_dir)
    districts = [
        District(r["district_code"], r["district_name"], r["district_type"])
        for r in read_rows(ref_dir / REFERENCE_FILES["old_districts"])
    ]
    old = [
        OldCommune(r["ward_code"], r["ward_name"], r["level"], r["district_code"], r["district_name"])
        for r in read_rows(ref_dir / REFERENCE_FILES["old_communes"])
    ]
    new = [
        NewCommune(r["ward_code"], r["ward_name"], r["level"])
        for r in read_rows(ref_dir / REFERENCE_FILES["new_communes"])
    ]
    conversion = read_rows(ref_dir / REFERENCE_FILES["old_to_new_communes"])
    return Reference(districts, old, new, conversion)
