"""The directory of people: one password each, groups as roles, disabled people locked out everywhere."""

from __future__ import annotations

import io
import os
import stat
import subprocess
from pathlib import Path

import pytest

from lake.platform.directory import GROUPS, DirectoryError, check_name


def test_doctests():
    import doctest

    import lake.platform.directory

    assert doctest.testmod(lake.platform.directory, optionflags=doctest.ELLIPSIS).failed == 0


def test_user_names_are_checked_before_reaching_ldap():
    assert check_name("nguyen.van.an") == "nguyen.van.an"
    for bad in ("a", "Admin", "x*)(uid=*", "uid=x,ou=people", "1abc", "", "an an"):
        with pytest.raises(DirectoryError, match="invalid user name"):
            check_name(bad)



def _cli(*argv: str, stdin: str | None = None, capsys=None, monkeypatch=None) -> tuple[int, str, str]:
    from lake.apps.cli import main

    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.services
def test_seeded_groups_and_service_accounts(directory, lake_env):
    from lake.platform.directory import DirectoryServer, manager_groups, service_password

    groups = directory.known_groups()
    managers = manager_groups(lake_env)
    assert len(managers) == 30 and all(g.startswith("quanly_") for g in managers)
    assert set(GROUPS) | set(managers) == set(groups)
    DirectoryServer(lake_env).start()  # a second start seeds again: nothing doubled, nothing lost
    assert directory.known_groups() == groups
    for account in ("superset", "dbt"):
        assert directory.authenticate(account, service_password(lake_env, account))
        assert not directory.authenticate(account, service_password(lake_env, account) + "x")


@pytest.mark.services
def test_users_add_list_disable_round_trip(directory, lake_env, capsys, monkeypatch):
    rc, out, err = _cli("users", "add", "nguyen.van.an", "--group", "analyst", "--group", "quanly_001",
                        "--full-name", "Nguyễn Văn An", capsys=capsys)
    assert rc == 0, err
    path = lake_env.secrets_dir / "users" / "nguyen.van.an"
    assert str(path) in out
    password = path.read_text(encoding="utf-8").strip()
    assert password and password not in out and password not in err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    rc, out, err = _cli("users", "add", "tran.thi.binh", "--group", "steward", "--password-stdin",
                        stdin="mật-khẩu-riêng-của-Bình\n", capsys=capsys, monkeypatch=monkeypatch)
    assert rc == 0, err
    assert not (lake_env.secrets_dir / "users" / "tran.thi.binh").exists()

    assert directory.authenticate("nguyen.van.an", password)
    assert directory.authenticate("tran.thi.binh", "mật-khẩu-riêng-của-Bình")
    # nobody gets in with someone else's password, a wrong one, an empty one
    assert not directory.authenticate("tran.thi.binh", password)
    assert not directory.authenticate("nguyen.van.an", "mật-khẩu-riêng-của-Bình")
    assert not directory.authenticate("nguyen.van.an", password[:-1])
    assert not directory.authenticate("nguyen.van.an", "")
    assert directory.groups_of("nguyen.van.an") == ["analyst", "quanly_001"]

    rc, out, _ = _cli("users", "list", capsys=capsys)
    assert rc == 0
    line = next(x for x in out.splitlines() if x.startswith("nguyen.van.an "))
    assert "Nguyễn Văn An" in line and "analyst,quanly_001" in line and "enabled" in line
    assert password not in out

    rc, out, err = _cli("users", "disable", "nguyen.van.an", capsys=capsys)
    assert rc == 0, err
    assert not directory.authenticate("nguyen.van.an", password)
    user = directory.get_user("nguyen.van.an")
    assert not user.enabled and user.groups == ("analyst", "quanly_001")  # kept for the record
    rc, out, _ = _cli("users", "list", capsys=capsys)
    assert "DISABLED" in next(x for x in out.splitlines() if x.startswith("nguyen.van.an "))
    # the other person is untouched
    assert directory.authenticate("tran.thi.binh", "mật-khẩu-riêng-của-Bình")


@pytest.mark.services
def test_users_add_refuses_bad_requests(directory, capsys):
    rc, _, err = _cli("users", "add", "le.van.cuong", "--group", "superusers", capsys=capsys)
    assert rc == 1 and "unknown group" in err and "analyst" in err
    rc, _, err = _cli("users", "add", "le.van.cuong", capsys=capsys)
    assert rc == 1 and "at least one group" in err
    rc, _, err = _cli("users", "add", "superset", "--group", "admin", capsys=capsys)
    assert rc == 1 and "service account" in err
    rc, _, err = _cli("users", "disable", "nobody.here", capsys=capsys)
    assert rc == 1 and "no user" in err


@pytest.mark.services
def test_directory_refuses_anonymous_and_hides_passwords(directory, lake_env):
    import ldap3

    server = ldap3.Server("127.0.0.1", port=lake_env.ldap_port)
    anon = ldap3.Connection(server)
    assert not anon.bind() or not anon.search(directory.base_dn, "(objectClass=*)")
    # an unauthenticated bind (a DN with an empty password) is no login either
    unauth = ldap3.Connection(server, user=directory.user_dn("quanly_001"), password="")
    with pytest.raises(ldap3.core.exceptions.LDAPException):
        unauth.bind()  # ldap3 refuses to send it; slapd refuses it too ("allow bind_anon_cred" is off)

    from lake.platform.directory import ensure_person

    path = ensure_person(lake_env, "pham.thi.dung", ("analyst",), "Phạm Thị Dung")
    conn = ldap3.Connection(server, user=directory.user_dn("pham.thi.dung"),
                            password=path.read_text(encoding="utf-8").strip())
    assert conn.bind()
    conn.search(directory.ou_dn("services"), "(uid=*)", attributes=["userPassword", "cn"])
    assert conn.entries and all(not e.userPassword.values for e in conn.entries)  # names yes, hashes no
    conn.search(directory.ou_dn("groups"), "(cn=analyst)", attributes=["member"])
    assert directory.user_dn("pham.thi.dung") in conn.entries[0].member.values
    conn.unbind()


@pytest.mark.services
def test_demo_people_one_per_kind_and_a_manager_per_district(directory, lake_env):
    from lake.platform.directory import how_to_log_in, seed_demo_people

    people = seed_demo_people(lake_env, ["001", "269"])
    again = seed_demo_people(lake_env, ["001", "269"])  # idempotent: same people, same password files
    assert people == again
    names = {name for _, name, _ in people}
    assert {"quantri", "phantich", "luutru", "vanhanh", "baomat", "quanly_001", "quanly_269"} <= names
    text = how_to_log_in(people)
    passwords = {name: path.read_text(encoding="utf-8").strip() for _, name, path in people}
    assert len(set(passwords.values())) == len(passwords)  # nobody shares a password
    for name, password in passwords.items():
        assert name in text and password not in text
        assert directory.authenticate(name, password)
    assert directory.groups_of("quanly_269") == ["quanly_269"]
    assert directory.groups_of("baomat") == ["restricted_reader"]
    # a manager cannot log in with another manager's password (issue 13)
    assert not directory.authenticate("quanly_269", passwords["quanly_001"])


@pytest.mark.services
def test_slapd_runs_unprivileged_and_no_secret_on_disk_or_command_line(directory, lake_env):
    from lake.platform.directory import DirectoryServer, admin_password, service_password

    server = DirectoryServer(lake_env)
    pid = server.pid
    assert pid is not None
    uid = int(Path(f"/proc/{pid}/status").read_text().split("Uid:")[1].split()[1])
    if os.geteuid() == 0:
        import pwd

        assert pwd.getpwuid(uid).pw_name == "openldap"
        assert pwd.getpwuid((lake_env.lake_root / "ldap").stat().st_uid).pw_name == "openldap"
    assert stat.S_IMODE((lake_env.lake_root / "ldap").stat().st_mode) == 0o700
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A" and int(local.split(":")[1], 16) == lake_env.ldap_port:
                listening.add(local.split(":")[0])
    assert listening == {"0100007F"}, listening  # 127.0.0.1 only
    secrets = [admin_password(lake_env), *(service_password(lake_env, a) for a in ("superset", "dbt"))]
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    conf = server.conf.read_text(encoding="utf-8")
    assert "rootpw {ARGON2}" in conf
    for value in secrets:
        assert value not in ps and value not in conf
        assert value not in server.log.read_text(encoding="utf-8", errors="replace")
