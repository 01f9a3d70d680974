"""Localities, work sites and agencies of the sample (chosen deterministically from the reference lists).

Codes (documented in README.md):
- agency_code: ``H<district_code>.<UNIT>`` for district-level agencies (``H271.UBND``, ``H271.HU``,
  ``H001.QU``, ``H271.PTCKH``), ``X<old_commune_code>.<UNIT>`` for commune-level ones (``X09619.DU``).
- archive_code (mã cơ quan lưu trữ): ``LT<district_code>``, one archive per locality.
- fonds_code (mã phông): ``P<NNN>``, numbered within the locality's archive.
- site_code (điểm thi công): ``DTC<district_code>-<n>``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from lake.domain.reference_lists import District, OldCommune, Reference
from lakehouse_sample.util import rng_for, upper_vi

# First year a district-level unit existed under Hà Nội with its 2025 name (earlier years are not sampled).
FIRST_YEAR = {
    "003": 1996,
    "005": 1997,
    "009": 1997,
    "004": 2004,
    "008": 2004,
    "019": 2014,
    "021": 2014,
    "268": 2009,
    "269": 2009,
    "250": 2009,
    **{f"{c}": 2009 for c in range(271, 283)},
}


@dataclass
class Locality:
    district_code: str
    district_name: str  # "Huyện Ba Vì"
    kind: str  # Quận | Huyện | Thị xã
    short: str  # "Ba Vì"
    communes: list[OldCommune]
    pace: str = "dung_han"  # som | dung_han | tre
    first_year: int = 1990
    sites: list[dict] = field(default_factory=list)
    archive_code: str = ""


@dataclass
class Agency:
    agency_code: str
    agency_name: str
    level: str  # huyen | xa
    block: str  # dang | chinh_quyen | doan_the
    kind: str  # party | ubnd | hdnd | phong | mttq | hnd | hlhpn | doan | ccb
    unit: str
    district_code: str
    district_name: str
    commune_code: str
    commune_name: str
    fonds_code: str
    archive_code: str
    site_code: str
    abbr: str  # issuer abbreviation in document symbols (UBND, HU, TCKH, ...)
    header_parent: str  # upper line of the header ("" when none)
    header_name: list[str]  # issuer lines of the header, upper case
    place: str  # place name of the place-and-date line
    locality_short: str
    fonds_name: str = ""
    year_scheme: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


PHONG = [
    ("PTCKH", "Phòng Tài chính - Kế hoạch", "TCKH"),
    ("PNV", "Phòng Nội vụ", "NV"),
    ("PTP", "Phòng Tư pháp", "TP"),
    ("PTNMT", "Phòng Tài nguyên và Môi trường", "TNMT"),
    ("PLDTBXH", "Phòng Lao động - Thương binh và Xã hội", "LĐTBXH"),
]


def _district_agency_specs(loc: Locality) -> list[dict]:
    kind_l = loc.kind.lower()  # quận | huyện | thị xã
    short = loc.short
    up_loc = upper_vi(f"{kind_l} {short}")
    party_word = {"Quận": "Quận ủy", "Huyện": "Huyện ủy", "Thị xã": "Thị ủy"}[loc.kind]
    party_unit = {"Quận": "QU", "Huyện": "HU", "Thị xã": "TU"}[loc.kind]
    doan_word = {"Quận": "Quận đoàn", "Huyện": "Huyện đoàn", "Thị xã": "Thị đoàn"}[loc.kind]
    specs = [
        dict(
            unit=party_unit,
            name=f"{party_word} {short}",
            block="dang",
            kind="party",
            abbr=party_unit,
            parent="ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
            header=[upper_vi(f"{party_word} {short}")],
        ),
        dict(
            unit="UBND",
            name=f"Ủy ban nhân dân {kind_l} {short}",
            block="chinh_quyen",
            kind="ubnd",
            abbr="UBND",
            parent="",
            header=["ỦY BAN NHÂN DÂN", up_loc],
        ),
        dict(
            unit="MTTQ",
            name=f"Ủy ban Mặt trận Tổ quốc Việt Nam {kind_l} {short}",
            block="doan_the",
            kind="mttq",
            abbr="MTTQ",
            parent="ỦY BAN MTTQ VIỆT NAM",
            header=[up_loc],
        ),
    ]
    phong = [
        dict(
            unit=u,
            name=f"{n} {kind_l} {short}",
            block="chinh_quyen",
            kind="phong",
            abbr=a,
            parent=f"UBND {up_loc}",
            header=[upper_vi(n)],
        )
        for u, n, a in PHONG
    ]
    others = [
        dict(
            unit="HDND",
            name=f"Hội đồng nhân dân {kind_l} {short}",
            block="chinh_quyen",
            kind="hdnd",
            abbr="HĐND",
            parent="",
            header=["HỘI ĐỒNG NHÂN DÂN", up_loc],
        ),
        dict(
            unit="HLHPN",
            name=f"Hội Liên hiệp Phụ nữ {kind_l} {short}",
            block="doan_the",
            kind="hlhpn",
            abbr="HLHPN",
            parent="HỘI LHPN THÀNH PHỐ HÀ NỘI",
            header=[f"HỘI LHPN {up_loc}"],
        ),
        dict(
            unit="DTN",
            name=f"{doan_word} {short}",
            block="doan_the",
            kind="doan",
            abbr="ĐTN",
            parent="THÀNH ĐOÀN HÀ NỘI",
            header=[upper_vi(f"BCH {doan_word} {short}")],
        ),
        dict(
            unit="CCB",
            name=f"Hội Cựu chiến binh {kind_l} {short}",
            block="doan_the",
            kind="ccb",
            abbr="CCB",
            parent="HỘI CCB THÀNH PHỐ HÀ NỘI",
            header=[f"HỘI CỰU CHIẾN BINH {up_loc}"],
        ),
    ]
    if loc.kind != "Quận":
        others.insert(
            2,
            dict(
                unit="HND",
                name=f"Hội Nông dân {kind_l} {short}",
                block="doan_the",
                kind="hnd",
                abbr="HND",
                parent="HỘI NÔNG DÂN THÀNH PHỐ HÀ NỘI",
                header=[f"BCH HỘI NÔNG DÂN {up_loc}"],
            ),
        )
    # interleave so that a short prefix covers every block
    return [
        specs[0],
        specs[1],
        specs[2],
        phong[0],
        others[0],
        phong[1],
        others[1],
        phong[2],
        others[2],
        *phong[3:],
        *others[3:],
    ]


def _commune_agency_specs(loc: Locality, com: OldCommune) -> list[dict]:
    c_short = (
        com.name.split(" ", 1)[1]
        if com.name.startswith(("Xã ", "Phường "))
        else com.name.removeprefix("Thị trấn ")
    )
    up_com = upper_vi(com.name)
    level_word = com.level.lower()
    up_loc = upper_vi(f"{loc.kind} {loc.short}")
    return [
        dict(
            unit="UBND",
            name=f"Ủy ban nhân dân {level_word} {c_short}",
            block="chinh_quyen",
            kind="ubnd",
            abbr="UBND",
            parent="",
            header=["ỦY BAN NHÂN DÂN", up_com],
            place=c_short,
        ),
        dict(
            unit="DU",
            name=f"Đảng ủy {level_word} {c_short}",
            block="dang",
            kind="party",
            abbr="ĐU",
            parent=f"ĐẢNG BỘ {up_loc}",
            header=[upper_vi(f"Đảng ủy {com.name}")],
            place=c_short,
        ),
        dict(
            unit="MTTQ",
            name=f"Ủy ban Mặt trận Tổ quốc Việt Nam {level_word} {c_short}",
            block="doan_the",
            kind="mttq",
            abbr="MTTQ",
            parent="ỦY BAN MTTQ VIỆT NAM",
            header=[up_com],
            place=c_short,
        ),
        dict(
            unit="HDND",
            name=f"Hội đồng nhân dân {level_word} {c_short}",
            block="chinh_quyen",
            kind="hdnd",
            abbr="HĐND",
            parent="",
            header=["HỘI ĐỒNG NHÂN DÂN", up_com],
            place=c_short,
        ),
    ]


def choose_localities(reference: Reference, n: int, seed: int) -> list[Locality]:
    rng = rng_for(seed, "localities")
    n = max(1, min(n, len(reference.districts)))
    urban = [d for d in reference.districts if d.kind in ("Quận", "Thị xã")]
    rural = [d for d in reference.districts if d.kind == "Huyện"]
    n_urban = n // 2 if n > 1 else rng.randint(0, 1)
    chosen: list[District] = rng.sample(urban, n_urban) + rng.sample(rural, n - n_urban)
    chosen.sort(key=lambda d: d.code)
    paces = ["som", "dung_han", "tre", "dung_han"]
    rng.shuffle(paces)
    locs = []
    for i, d in enumerate(chosen):
        short = (
            d.name.split(" ", 1)[1]
            if d.name.startswith(("Quận ", "Huyện "))
            else d.name.removeprefix("Thị xã ")
        )
        locs.append(
            Locality(
                d.code,
                d.name,
                d.kind,
                short,
                [],
                paces[i % len(paces)],
                FIRST_YEAR.get(d.code, 1990),
                archive_code=f"LT{d.code}",
            )
        )
    return locs


def build_agencies(reference: Reference, locs: list[Locality], pages: int, seed: int) -> list[Agency]:
    per_district = max(6, min(40, round(pages / max(1, len(locs)) / 11)))
    n_communes = 2 if per_district < 14 else (3 if per_district < 22 else 4)
    agencies: list[Agency] = []
    for loc in locs:
        rng = rng_for(seed, "agencies", loc.district_code)
        communes = reference.communes_of(loc.district_code)
        loc.communes = sorted(rng.sample(communes, min(n_communes, len(communes))), key=lambda c: c.code)
        n_sites = 1 if rng.random() < 0.5 else 2
        for k in range(1, n_sites + 1):
            place = rng.choice(["Trụ sở UBND", "Trung tâm Văn hóa", "Trụ sở Huyện ủy", "Hội trường"])
            if loc.kind == "Quận":
                place = place.replace("Huyện ủy", "Quận ủy")
            loc.sites.append(
                {
                    "site_code": f"DTC{loc.district_code}-{k}",
                    "site_name": f"Điểm thi công số {k} {loc.kind.lower()} {loc.short} "
                    f"({place} {loc.kind.lower()} cũ)",
                }
            )
        d_specs = [(s, None) for s in _district_agency_specs(loc)]
        c_specs = [[(s, c) for s in _commune_agency_specs(loc, c)] for c in loc.communes]
        # order: alternate district and commune agencies so any prefix mixes levels and blocks
        ordered: list = []
        di = 0
        rounds = max(len(x) for x in c_specs) if c_specs else 0
        for r in range(max(rounds, 1) + 20):
            for _ in range(2):
                if di < len(d_specs):
                    ordered.append(d_specs[di])
                    di += 1
            for cs in c_specs:
                if r < len(cs):
                    ordered.append(cs[r])
        ordered = ordered[:per_district]
        for fonds_no, (spec, com) in enumerate(ordered, start=1):
            site = loc.sites[(fonds_no - 1) % len(loc.sites)]["site_code"]
            if com is None:
                code = f"H{loc.district_code}.{spec['unit']}"
                level, ccode, cname = "huyen", "", ""
                place = loc.short
            else:
                code = f"X{com.code}.{spec['unit']}"
                level, ccode, cname = "xa", com.code, com.name
                place = spec["place"]
            agencies.append(
                Agency(
                    agency_code=code,
                    agency_name=spec["name"],
                    level=level,
                    block=spec["block"],
                    kind=spec["kind"],
                    unit=spec["unit"],
                    district_code=loc.district_code,
                    district_name=loc.district_name,
                    commune_code=ccode,
                    commune_name=cname,
                    fonds_code=f"P{fonds_no:03d}",
                    archive_code=loc.archive_code,
                    site_code=site,
                    abbr=spec["abbr"],
                    header_parent=spec["parent"],
                    header_name=spec["header"],
                    place=place,
                    locality_short=loc.short,
                    fonds_name=f"Phông lưu trữ {spec['name']}",
                    year_scheme=rng.random() < 0.7,
                )
            )
    return agencies
