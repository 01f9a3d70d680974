"""Seeds of the gold layer, written from the project's own reference data by a documented rule.

`lakehouse plan` (see `write_seeds`) writes into `transformations/seeds/`:

- `programme_deadlines.csv`: per stage × level × priority group the deadline of Decision 155/QĐ-UBND:
  handover 15 Aug 2025; arranged / scanned / recognised / QC passed by 30 Nov 2025 (district level) or
  31 Dec 2025 (commune level); loaded when the shared database goes live, 1 Feb 2026. Priority 3 ("ưu
  tiên 3 and the rest") is scheduled for 2026: its deadline is 31 Dec 2026 for every stage after handover.
- `document_types.csv`: the document types of Decree 30/2020 and Guide 36 (`lake.domain.documents.doctypes`).

The plan itself is not a seed: `gold.fct_digitization_plan` derives it from the handover reports and inventories
the pipeline ingests (rule in `transformations/models/intermediate/int_plan__handover.sql`); the hand-kept seed
`official_targets.csv` (not written here) overrides it per row where the city sets a target.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lake.core.settings import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "transformations" / "seeds"
LEVELS = ("district", "commune")
PRIORITY_GROUPS = (1, 2, 3)
STAGES = ("handed_over", "arranged", "scanned", "recognised", "qc_passed", "loaded")
HANDOVER_DEADLINE = "2025-08-15"
ARRANGED_DEADLINE = {"district": "2025-11-30", "commune": "2025-12-31"}
LOADED_DEADLINE = "2026-02-01"
PRIORITY3_DEADLINE = "2026-12-31"

TYPE_NAMES_EN = {
    "NQ": "Resolution", "QĐ": "Decision", "CT": "Directive", "QC": "Regulation (quy chế)",
    "QyĐ": "Regulation (quy định)", "TB": "Notice", "HD": "Guidance", "CTr": "Programme", "KH": "Plan",
    "PA": "Scheme (phương án)", "ĐA": "Project proposal (đề án)", "DA": "Project (dự án)", "BC": "Report",
    "BB": "Minutes", "TTr": "Submission", "HĐ": "Contract", "CĐ": "Official telegram", "GUQ": "Power of attorney",
    "GM": "Invitation", "GGT": "Letter of introduction", "GNP": "Leave permit", "PG": "Dispatch note",
    "PC": "Transfer note", "PB": "Notification slip", "TC": "Communiqué", "CV": "Official letter (Party)",
    "KL": "Conclusion", "TT": "Circular (thông tri)", "QĐi": "Regulation (Party)", None: "Official letter",
}


def deadline_rows() -> list[dict]:
    """The programme's deadline of every stage, level and priority group (seed `programme_deadlines`)."""
    rows = []
    for stage in STAGES:
        for level in LEVELS:
            for prio in PRIORITY_GROUPS:
                if stage == "handed_over":
                    deadline = HANDOVER_DEADLINE
                elif prio == 3:
                    deadline = PRIORITY3_DEADLINE
                elif stage == "loaded":
                    deadline = LOADED_DEADLINE
                else:
                    deadline = ARRANGED_DEADLINE[level]
                rows.append({"stage": stage, "level": level, "priority_group": prio, "deadline": deadline})
    return rows


def document_type_rows() -> list[dict]:
    """Every document type with its Vietnamese and English name (seed `document_types`)."""
    from lake.domain.documents.doctypes import ALL_TYPES, CONG_VAN

    rows = []
    for t in (*ALL_TYPES, CONG_VAN):
        rows.append({"type_abbr": t.abbr or "", "type_name": t.name, "type_name_en": TYPE_NAMES_EN[t.abbr],
                     "party_only": str(t.party_only).lower()})
    return rows


def _csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def render_seeds(reference_dir: Path) -> dict[str, str]:
    """The generated seeds by file name (`reference_dir` is kept for the CLI's signature; no seed reads it now)."""
    return {"programme_deadlines.csv": _csv(deadline_rows()),
            "document_types.csv": _csv(document_type_rows())}


def write_seeds(reference_dir: Path, seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write the generated dbt seeds (`render_seeds`) into `seeds_dir`; returns their paths."""
    seeds_dir.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in render_seeds(reference_dir).items():
        path = seeds_dir / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    from lake.core.settings import get_settings

    for p in write_seeds(get_settings().reference_dir):
        print(p)
