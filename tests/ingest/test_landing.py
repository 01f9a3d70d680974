import dataclasses
import datetime as dt
import hashlib

import pytest

from lake.domain.ingest.landing import (
    Candidate,
    classify,
    ingest_batches,
    list_landing,
    parse_timestamp,
    process_file,
    store_raw,
)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("batches/B1/manifest.csv", "manifest"),
        ("batches/B1/qc_log.csv", "qc_log"),
        ("batches/B1/0001.jpg", "scan"),
        ("batches/B1/anything.tif", "scan"),
        ("inventories/H001.UBND/muc_luc_ho_so.xlsx", "inventory_records"),
        ("inventories/H001.UBND/muc_luc_van_ban.csv", "inventory_documents"),
        ("handover/H001.UBND/bien_ban_ban_giao.csv", "handover"),
        ("registry/co_quan.csv", "registry"),
        ("inventories/H001.UBND/notes.txt", None),
        ("stray.jpg", None),
        ("batches/B1/sub/deeper.jpg", None),
    ],
)
def test_classify(path, kind):
    assert classify(path) == kind


def test_raw_store_is_content_addressed_and_write_once(tmp_path):
    data = b"hello archive"
    sha = hashlib.sha256(data).hexdigest()
    rel = store_raw(tmp_path, sha, data)
    assert rel == f"raw/{sha[:2]}/{sha[2:4]}/{sha}"
    target = tmp_path / rel
    assert target.read_bytes() == data
    mtime = target.stat().st_mtime_ns
    assert store_raw(tmp_path, sha, data) == rel
    assert target.stat().st_mtime_ns == mtime  # not rewritten
    assert not (target.stat().st_mode & 0o222)  # read-only


def test_a_raw_write_cut_short_leaves_nothing_beside_the_store_and_the_next_sweep_removes_it(tmp_path, monkeypatch):
    from lake.core import runlog
    from lake.core.settings import Settings

    data = b"half-written scan"
    sha = hashlib.sha256(data).hexdigest()

    def killed(src, dst):
        raise KeyboardInterrupt("worker killed before the rename")

    monkeypatch.setattr("lake.domain.ingest.landing.os.replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store_raw(tmp_path, sha, data)
    monkeypatch.undo()
    raw = tmp_path / "raw"
    assert [p for p in raw.rglob("*") if p.is_file()] == []  # nothing half-written among the contents
    (left,) = [p for p in (tmp_path / runlog.SCRATCH).rglob(sha)]
    assert left.read_bytes() == data
    folder = left.parent
    (folder / ".owner").write_text("999999999\n")  # the worker that wrote it is gone
    removed = runlog.clean_dead_scratch(dataclasses.replace(Settings.from_env(), lake_root=tmp_path))
    assert removed == [folder] and not folder.exists()
    assert store_raw(tmp_path, sha, data) == f"raw/{sha[:2]}/{sha[2:4]}/{sha}"  # the next run stores it whole
    assert (tmp_path / "raw" / sha[:2] / sha[2:4] / sha).read_bytes() == data


def test_process_file_quarantines_with_reason_and_keeps_the_bytes(tmp_path):
    landing = tmp_path / "landing"
    (landing / "batches" / "B1").mkdir(parents=True)
    (landing / "batches" / "B1" / "bad.tif").write_text("plain text")
    (landing / "stray.txt").write_text("x")
    cands = {c.rel_path: c for c in list_landing(landing)}
    bad = process_file(landing, tmp_path, cands["batches/B1/bad.tif"])
    assert bad["error"][0] == "unknown_format"
    assert (tmp_path / bad["raw_path"]).read_text() == "plain text"
    stray = process_file(landing, tmp_path, cands["stray.txt"])
    assert stray["error"][0] == "unexpected_location"
    assert isinstance(cands["stray.txt"], Candidate)


def test_parse_timestamp_forms():
    hanoi = dt.timezone(dt.timedelta(hours=7))
    assert parse_timestamp("2025-09-03T08:15:00+07:00") == dt.datetime(2025, 9, 3, 8, 15, tzinfo=hanoi)
    assert parse_timestamp("2025:09:03 08:15:00") == dt.datetime(2025, 9, 3, 8, 15, tzinfo=hanoi)
    assert parse_timestamp("D:20250903081500+07'00'") == dt.datetime(2025, 9, 3, 8, 15, tzinfo=hanoi)
    assert parse_timestamp("not a date") is None
    assert parse_timestamp(None) is None


def test_ingest_batches_put_every_manifest_first_and_lose_no_file():
    names = [f"batches/b{b}/p{i}.tif" for b in range(3) for i in range(4)] + [f"batches/b{b}/manifest.csv"
                                                                             for b in range(3)]
    names += ["registry/co_quan.csv", "inventories/H271.UBND/muc_luc_ho_so.csv"]
    todo = [Candidate(n, 10, 0) for n in reversed(names)]
    batches = ingest_batches(todo, 4)
    flat = [c.rel_path for b in batches for c in b]
    assert sorted(flat) == sorted(names) and len(flat) == len(set(flat))  # each file once
    assert [len(b) for b in batches] == [4, 4, 4, 4, 1]
    assert flat[:3] == [f"batches/b{b}/manifest.csv" for b in range(3)]  # the records come before any scan
    assert flat[3:] == sorted(flat[3:])
    with pytest.raises(ValueError, match="at least 1"):
        ingest_batches(todo, 0)
    assert ingest_batches([], 5) == []
