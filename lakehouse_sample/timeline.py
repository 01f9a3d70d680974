"""The programme timeline (Jul 2025 - Feb 2026): each locality's pace drives handover, arrangement, scanning
and QC dates, always in the order handover <= arranged <= scanned <= checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lakehouse_sample.agencies import Agency, Locality
from lakehouse_sample.util import random_date, rng_for, workday

PROGRAMME_START = date(2025, 7, 1)
HANDOVER_DEADLINE = date(2025, 8, 15)
DEADLINES = {"huyen": date(2025, 11, 30), "xa": date(2025, 12, 31)}
LAST_SCAN = date(2026, 2, 20)
LAST_CHECK = date(2026, 2, 27)


@dataclass
class AgencyPlan:
    handover: date
    arrange_start: date
    arrange_end: date
    deadline: date

    def to_dict(self) -> dict:
        return {k: v.isoformat() for k, v in self.__dict__.items()}


def plan_agency(seed: int, loc: Locality, agency: Agency) -> AgencyPlan:
    rng = rng_for(seed, "timeline", agency.agency_code)
    deadline = DEADLINES[agency.level]
    if loc.pace == "tre" and rng.random() < 0.45:
        handover = random_date(rng, HANDOVER_DEADLINE + timedelta(days=1), date(2025, 9, 20))
    else:
        handover = random_date(rng, PROGRAMME_START, HANDOVER_DEADLINE)
    handover = workday(handover)
    if loc.pace == "som":
        end = deadline - timedelta(days=rng.randint(20, 60))
    elif loc.pace == "dung_han":
        end = deadline - timedelta(days=rng.randint(0, 15))
    else:
        end = deadline + timedelta(days=rng.randint(5, 60))
    start = handover + timedelta(days=rng.randint(7, 21))
    end = max(end, start + timedelta(days=10))
    return AgencyPlan(handover, start, min(end, LAST_SCAN - timedelta(days=10)), deadline)


def record_dates(seed: int, plan: AgencyPlan, key: str, frac: float) -> tuple[date, date, date]:
    """(arranged, scanned, checked) of one record placed at ``frac`` through the agency's arrangement."""
    rng = rng_for(seed, "record-dates", key)
    span = (plan.arrange_end - plan.arrange_start).days
    arranged = plan.arrange_start + timedelta(days=round(span * frac))
    scanned = min(workday(arranged + timedelta(days=rng.randint(1, 8))), LAST_SCAN)
    return arranged, scanned, min(workday(scanned + timedelta(days=rng.randint(0, 4))), LAST_CHECK)
