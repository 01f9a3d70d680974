"""The generated Spark configuration: fair pools so one OCR batch is committed while the next is read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lake.platform.runtime import write_spark_conf


def test_commit_pool_is_served_before_the_ocr_pool(lake_env, tmp_path):
    conf = write_spark_conf(lake_env, conf_dir=tmp_path)
    defaults = dict(line.split(" ", 1) for line in (conf / "spark-defaults.conf").read_text().splitlines()
                    if line and not line.startswith("#"))
    assert defaults["spark.scheduler.mode"] == "FAIR"
    assert defaults["spark.scheduler.allocation.file"] == str(tmp_path / "fairscheduler.xml")
    pools = {p.get("name"): {c.tag: c.text for c in p} for p in ET.parse(tmp_path / "fairscheduler.xml").getroot()}
    assert set(pools) == {"commit", "ocr", "default"}
    # a waiting commit task takes the next free core (minShare), ahead of the OCR tasks still queued
    assert int(pools["commit"]["minShare"]) >= 1 and int(pools["ocr"]["minShare"]) == 0
    assert int(pools["commit"]["weight"]) > int(pools["ocr"]["weight"])
    assert (tmp_path / "fairscheduler.xml").stat().st_mode & 0o777 == 0o640
