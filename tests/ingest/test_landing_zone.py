"""The landing zone as a hostile delivery would fill it, without Spark: every entry is listed and ends with a
reason or as a candidate; nothing outside is read; mtimes compare exactly; names are kept losslessly."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from lake.core.settings import FileLimits
from lake.domain.ingest.landing import (
    Candidate,
    list_landing,
    modified_at,
    process_file,
    read_landing_file,
    readable_name,
    sighting_key,
    to_process,
)

SECRET = b"metastore-password-do-not-leak-0123456789"


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("L", (200, 300), 255).save(buf, "JPEG", dpi=(300, 300))
    return buf.getvalue()


@pytest.fixture
def zone(tmp_path):
    landing = tmp_path / "landing"
    batch = landing / "batches" / "B1"
    batch.mkdir(parents=True)
    outside = tmp_path / "secrets"
    outside.mkdir()
    (outside / "postgres_password").write_bytes(SECRET)
    (batch / "0001.jpg").write_bytes(_jpeg())
    (batch / "passwd.jpg").symlink_to("/etc/passwd")
    (batch / "secret.tif").symlink_to(outside / "postgres_password")
    (batch / "dangling.jpg").symlink_to(tmp_path / "nowhere.jpg")
    (landing / "batches" / "B2").symlink_to(outside, target_is_directory=True)
    (batch / ".hidden.jpg").write_bytes(_jpeg())
    (batch / "new\nline.jpg").write_bytes(_jpeg())
    (batch / os.fsdecode(b"t\xean-c\xf3-d\xe1u.jpg")).write_bytes(_jpeg())  # Latin-1 bytes, not UTF-8
    os.mkfifo(batch / "pipe.jpg")
    (batch / "big.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 5000)
    (batch / "notes.jpg").write_bytes(SECRET)  # content that is no image: the reason must not quote it
    return landing, tmp_path


def test_every_entry_is_listed_and_refusals_need_no_read(zone):
    landing, _root = zone
    cands = {c.rel_path: c for c in list_landing(landing, FileLimits(max_file_bytes=4096))}
    refusals = {p: c.refusal[0] for p, c in cands.items() if c.refusal}
    assert refusals == {
        "batches/B1/passwd.jpg": "symlink",
        "batches/B1/secret.tif": "symlink",
        "batches/B1/dangling.jpg": "symlink",
        "batches/B2": "symlink",
        "batches/B1/.hidden.jpg": "hidden_file",
        "batches/B1/new\\x0aline.jpg": "odd_name",
        "batches/B1/t\\xean-c\\xf3-d\\xe1u.jpg": "odd_name",
        "batches/B1/pipe.jpg": "not_a_regular_file",
        "batches/B1/big.jpg": "file_too_large",
    }
    assert {p for p, c in cands.items() if not c.refusal} == {"batches/B1/0001.jpg", "batches/B1/notes.jpg"}
    odd = cands["batches/B1/t\\xean-c\\xf3-d\\xe1u.jpg"]
    assert odd.raw_name == b"batches/B1/t\xean-c\xf3-d\xe1u.jpg"  # the bytes, losslessly
    assert os.path.exists(os.path.join(os.fsencode(landing), odd.raw_name))


def test_nothing_outside_the_landing_zone_is_read(zone):
    landing, root = zone
    lake = root / "lake"
    results = [process_file(landing, lake, c) for c in list_landing(landing)]
    for r in results:
        if r["error"]:
            assert SECRET.decode() not in r["error"][1] and "0x" not in r["error"][1]
    by_path = {r["rel_path"]: r for r in results}
    for link in ("batches/B1/passwd.jpg", "batches/B1/secret.tif", "batches/B1/dangling.jpg", "batches/B2"):
        assert by_path[link]["error"][0] == "symlink" and not by_path[link]["read"]
        assert by_path[link]["sha256"] == "" and by_path[link]["raw_path"] is None
    stored = [p.read_bytes() for p in (lake / "raw").rglob("*") if p.is_file()]
    assert SECRET in stored  # notes.jpg itself is kept as evidence ...
    passwd = Path("/etc/passwd").read_bytes()
    assert passwd not in stored  # ... but no file behind a link
    assert by_path["batches/B1/notes.jpg"]["error"][0] == "unknown_format"
    assert by_path["batches/B1/0001.jpg"]["error"] is None and by_path["batches/B1/0001.jpg"]["read"]


def test_a_link_swapped_in_after_the_listing_is_refused_not_followed(zone, tmp_path):
    landing, root = zone
    target = landing / "batches" / "B1" / "0001.jpg"
    (cand,) = [c for c in list_landing(landing) if c.rel_path == "batches/B1/0001.jpg"]
    target.unlink()
    target.symlink_to(root / "secrets" / "postgres_password")
    r = process_file(landing, root / "lake", cand)
    assert r["error"][0] == "symlink" and not r["read"]
    # a parent folder swapped for a link is refused the same way
    (landing / "batches" / "B1").rename(landing / "batches" / "B1-moved")
    (landing / "batches" / "B1").symlink_to(root / "secrets", target_is_directory=True)
    with pytest.raises(Exception) as err:
        read_landing_file(landing, b"batches/B1/postgres_password", 1 << 20)
    assert err.value.reason[0] == "symlink"


def test_a_file_that_vanishes_between_listing_and_reading_is_quarantined(zone):
    landing, root = zone
    (cand,) = [c for c in list_landing(landing) if c.rel_path == "batches/B1/0001.jpg"]
    (landing / "batches" / "B1" / "0001.jpg").unlink()
    r = process_file(landing, root / "lake", cand)
    assert r["error"][0] == "vanished" and not r["read"]


def test_mtimes_compare_exactly_in_integer_microseconds(tmp_path):
    f = tmp_path / "landing" / "batches" / "B" / "a.jpg"
    f.parent.mkdir(parents=True)
    f.write_bytes(_jpeg())
    ns = 1_756_861_234_123_456_999  # what cp -a / rsync -t leave: a nanosecond fraction
    os.utime(f, ns=(ns, ns))
    (cand,) = list_landing(tmp_path / "landing")
    assert cand.mtime_ns == ns
    stored = modified_at(cand.mtime_ns)
    assert stored == dt.datetime(2025, 9, 3, 1, 0, 34, 123456, tzinfo=dt.UTC)
    micros = (stored - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    known = {(cand.rel_path, cand.size, micros)}
    assert to_process([cand], known) == []  # the float route (ns / 1e9) lands 1 µs off and re-reads
    assert sighting_key(cand.rel_path, cand.size, ns)[2] == micros
    assert dt.datetime.fromtimestamp(ns / 1e9, dt.UTC) != stored  # the float route rounds to ...457 µs
    touched = Candidate(cand.rel_path, cand.size, ns + 1000)
    assert to_process([touched], known) == [touched]


def test_readable_names_are_printable_utf8():
    assert readable_name("Quyết định.jpg".encode()) == "Quyết định.jpg"
    assert readable_name(b"a\nb\tc.jpg") == "a\\x0ab\\x09c.jpg"
    assert readable_name(b"\xff.jpg") == "\\xff.jpg"
    assert readable_name(b"\xff.jpg").encode("utf-8")
