"""The `lakehouse` command line: every subcommand parses and reaches its handler."""

import pytest

from lake.apps import cli


@pytest.mark.parametrize(
    ("argv", "handler"),
    [
        (["services", "up", "--no-thrift"], cli.cmd_services),
        (["services", "status"], cli.cmd_services),
        (["sample", "--pages", "30", "--districts", "2"], cli.cmd_sample),
        (["ingest"], cli.cmd_ingest),
        (["ocr", "--reprocess", "--limit-pages", "5"], cli.cmd_ocr),
        (["silver"], cli.cmd_silver),
        (["transform", "--target", "thrift"], cli.cmd_transform),
        (["sql", "SELECT 1"], cli.cmd_sql),
        (["sql", "SELECT 1", "--user", "phantich"], cli.cmd_sql),
        (["users", "add", "nguyen.van.an", "--group", "analyst", "--group", "quanly_001", "--full-name", "An"],
         cli.cmd_users),
        (["users", "add", "tran.thi.binh", "--group", "steward", "--password-stdin"], cli.cmd_users),
        (["users", "disable", "nguyen.van.an"], cli.cmd_users),
        (["users", "list"], cli.cmd_users),
        (["demo", "--pages", "40"], cli.cmd_demo),
    ],
)
def test_subcommands_parse(argv, handler):
    args = cli.build_parser().parse_args(argv)
    assert args.func is handler


def test_settings_error_is_reported_with_exit_code_2(monkeypatch, capsys):
    monkeypatch.setenv("LAKEHOUSE_THRIFT_PORT", "not-a-port")
    assert cli.main(["services", "status"]) == 2
    assert "LAKEHOUSE_THRIFT_PORT" in capsys.readouterr().err


CALLS = []


class _Stats:
    def __init__(self, name):
        self.name = name

    def summary(self):
        return f"{self.name} done"


def fake_job_a(spark, settings, **options):
    CALLS.append(("a", spark, options))
    return _Stats("a")


def fake_job_b(spark, settings, **options):
    CALLS.append(("b", spark, options))
    return _Stats("b")


def test_run_jobs_runs_each_registered_job_in_order_on_one_session(monkeypatch, capsys, tmp_path):
    import lake.platform.spark
    from lake.core import job_registry as registry

    monkeypatch.setenv("LAKEHOUSE_ROOT", str(tmp_path))
    monkeypatch.setattr(registry, "JOBS", (registry.JobSpec("a", "A", "tests.test_cli:fake_job_a"),
                                           registry.JobSpec("b", "B", "tests.test_cli:fake_job_b")))
    monkeypatch.setattr(registry, "COMMANDS", {"x": ("a", "b")})
    monkeypatch.setattr(lake.platform.spark, "get_spark", lambda app, settings: f"session:{app}")
    CALLS.clear()
    spark = cli.run_jobs(cli.get_settings(), "x", "x", limit_pages=3)
    assert spark == "session:x"
    assert CALLS == [("a", "session:x", {"limit_pages": 3}), ("b", "session:x", {"limit_pages": 3})]
    assert capsys.readouterr().out.splitlines() == ["a done", "b done"]
