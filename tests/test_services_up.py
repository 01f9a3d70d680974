"""`Services.up` is all or nothing: a service that fails to start takes down the ones this call started, and
leaves alone those that were already running (no half-started lake holding ports and pid files)."""

import pytest

import lake.platform.services as services_mod
from lake.platform.services import ServiceError, Services


class FakeService:
    def __init__(self, name, log, running=False, fail=False, fail_stop=False):
        self.name, self.log, self.is_running, self.fail, self.fail_stop = name, log, running, fail, fail_stop

    def running(self):
        return self.is_running

    def start(self, *args):
        if self.fail:
            raise ServiceError(f"port of {self.name} is taken by another program")
        self.is_running = True
        self.log.append(f"start {self.name}")

    def ensure_metastore(self):
        self.start()

    def stop(self):
        if self.fail_stop:
            raise ServiceError(f"{self.name} did not stop")
        self.is_running = False
        self.log.append(f"stop {self.name}")

    def status(self):
        return (self.name, self.is_running)


def _services(monkeypatch, log, **overrides):
    monkeypatch.setattr(services_mod, "write_spark_conf", lambda settings: None)
    svc = Services.__new__(Services)
    svc.settings = None
    for name in ("postgres", "directory", "thrift", "cache", "superset", "catalog", "search", "reading_room"):
        setattr(svc, name, FakeService(name, log, **overrides.get(name, {})))
    return svc


def test_failed_start_stops_what_this_call_started(monkeypatch):
    log = []
    svc = _services(monkeypatch, log, catalog={"fail": True})
    with pytest.raises(ServiceError, match="catalog"):
        svc.up(thrift=True, superset=True)
    # the failed one is stopped too (it may have left a process or a pid file behind)
    assert log == ["start postgres", "start directory", "start thrift", "start cache", "start superset",
                   "stop reading_room", "stop search", "stop catalog", "stop superset", "stop cache", "stop thrift",
                   "stop directory", "stop postgres"]
    names = ("postgres", "directory", "thrift", "cache", "superset", "catalog")
    assert not any(getattr(svc, n).running() for n in names)


def test_failed_start_leaves_services_that_were_already_running(monkeypatch):
    log = []
    svc = _services(monkeypatch, log, postgres={"running": True}, superset={"fail": True})
    with pytest.raises(ServiceError, match="superset"):
        svc.up(thrift=True, superset=True)
    assert svc.postgres.running() and not svc.thrift.running()
    assert "stop postgres" not in log and "stop thrift" in log


def test_successful_start_starts_everything_asked(monkeypatch):
    log = []
    svc = _services(monkeypatch, log)
    status = svc.up(thrift=True, superset=False)
    assert dict(status) == {"postgres": True, "directory": True, "thrift": True, "cache": False, "superset": False,
                            "catalog": True, "search": False, "reading_room": False}
    assert not [line for line in log if line.startswith("stop")]


def test_down_stops_every_service_even_when_one_fails_to_stop(monkeypatch):
    log = []
    svc = _services(monkeypatch, log,
                    **{n: {"running": True} for n in ("postgres", "directory", "thrift", "cache", "catalog")},
                    superset={"running": True, "fail_stop": True})
    with pytest.raises(ServiceError, match="superset did not stop"):
        svc.down()
    assert log == ["stop reading_room", "stop search", "stop catalog", "stop cache", "stop thrift", "stop directory",
                   "stop postgres"]
    assert svc.running() == {svc.superset}
