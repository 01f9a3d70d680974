"""Storage zones: who may read which part of the lake root, enforced by OS permissions.

- `pipeline` (dirs 0700, the pipeline's own group): bronze and ops tables, the raw store, landing/, OCR
  text, access copies, ground truth.
- `shared` (dirs 2750, group `lakehouse-shared`): silver but restricted_documents, gold, the Iceberg copies,
  the dbt docs.
- `restricted` (dirs 2750, group `lakehouse-restricted`): `<lake root>/restricted/`, the rows of
  silver.restricted_documents and any copy of a classified / personal-data document kept outside bronze.

Nothing under the lake root has "other" permission bits: every lake process runs with `UMASK` (027),
Spark's Hadoop file system is told the same (`spark.hadoop.fs.permissions.umask-mode`, see lake.platform.runtime;
Hadoop's RawLocalFileSystem chmods every file and directory it creates to 0644/0755 otherwise, whatever the
process umask), and a zone directory is set-group-id, so what is created below it belongs to the zone's
group: a Parquet file in gold is `-rw-r----- pipeline lakehouse-shared`, one in bronze sits in a 0700
directory. The lake root itself is 0711: every service account may traverse it to reach its own place, none
may list it. `secrets/` is 0700 (lake.core.secrets), the Postgres data directory belongs to `postgres`, and the
places the services write themselves (conf/, run/, logs/, tmp/) keep their owner and group and only lose world
bits here; Superset's home `superset/` belongs to `lakehouse-web`, 0700 (lake.platform.superset, when run as root).

On object storage the same zones become one bucket or prefix per zone with its own policy (README).

>>> ZONE_GROUPS["shared"], ZONE_GROUPS["restricted"], ZONE_GROUPS["pipeline"]
('lakehouse-shared', 'lakehouse-restricted', None)
>>> oct(dir_mode("shared")), oct(dir_mode("pipeline")), oct(UMASK)
('0o2750', '0o700', '0o27')
"""

from __future__ import annotations

import grp
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from lake.core.os_accounts import RESTRICTED_GROUP, SHARED_GROUP, SQL_USER, ensure_group
from lake.core.settings import Settings

UMASK = 0o027
#: Hadoop's spelling of UMASK for spark.hadoop.fs.permissions.umask-mode
HADOOP_UMASK = f"{UMASK:03o}"

ZONE_GROUPS: dict[str, str | None] = {"pipeline": None, "shared": SHARED_GROUP, "restricted": RESTRICTED_GROUP}
ROOT_MODE = 0o711
SERVICE = "service"  # a place a service manages itself: only world bits are removed


def dir_mode(zone: str, group: str | None = None) -> int:
    """The mode of a directory of `zone`: 0700 when no group may read it, else 2750 (setgid group)."""
    return 0o700 if (group or ZONE_GROUPS[zone]) is None else 0o2750


@dataclass(frozen=True)
class ZoneDir:
    """One directory of the lake root and the zone (hence the group and mode) it belongs to."""

    path: Path
    zone: str  # a key of ZONE_GROUPS, or SERVICE
    own_group: str | None = None  # a service's own place: readable by that group only (dirs 2750)

    @property
    def group(self) -> str | None:
        """The group that may read this directory (its own, else the zone's); None = owner only."""
        return self.own_group or ZONE_GROUPS.get(self.zone)


def layout(settings: Settings) -> list[ZoneDir]:
    """Every zone directory of the lake root, parents before children."""
    w = settings.warehouse_dir
    return [
        ZoneDir(settings.landing_dir, "pipeline"),
        ZoneDir(settings.ground_truth_dir, "pipeline"),
        ZoneDir(settings.raw_store, "pipeline"),
        ZoneDir(settings.access_dir, "pipeline"),
        ZoneDir(w, "shared"),  # traversal to silver and gold; bronze and ops below it are closed
        ZoneDir(w / "bronze", "pipeline"),
        ZoneDir(w / "ops", "pipeline"),
        ZoneDir(w / "silver", "shared"),
        ZoneDir(w / "gold", "shared"),
        ZoneDir(settings.iceberg_dir, "shared"),
        ZoneDir(settings.dbt_dir, "shared"),  # target/ = the catalog site's dbt docs
        ZoneDir(settings.dbt_dir / "logs", "pipeline"),
        ZoneDir(settings.restricted_dir, "restricted"),
        ZoneDir(settings.restricted_dir / "warehouse", "restricted"),
        # the SQL endpoint's own config (no secret) for its account; its work dir inside is 0700, its own
        ZoneDir(settings.lake_root / "sql", "pipeline", own_group=SQL_USER),
        ZoneDir(settings.conf_dir, SERVICE),
        ZoneDir(settings.run_dir, SERVICE),
        ZoneDir(settings.log_dir, SERVICE),
        ZoneDir(settings.spark_local_dir.parent, SERVICE),
    ]


def apply_umask() -> int:
    """Set the process umask every lake process runs with (children and Spark JVMs inherit it)."""
    return os.umask(UMASK)


def _gid(group: str | None) -> int | None:
    if group is None:
        return None
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        return None  # no such group (not set up as root): the zone stays owner-only, i.e. closed
    if os.geteuid() != 0 and gid not in os.getgroups():
        return None  # we may not give files to a group we are not in
    return gid


def ensure_zones(settings: Settings) -> list[ZoneDir]:
    """Create the zone directories with their mode and group (idempotent, cheap: no walk).

    Called by every process before it writes (the CLI, `get_spark`, `services up`). As root the zone groups are
    created first (`lake.core.os_accounts.ensure_group`): a lake written before any service was started would
    otherwise keep owner-only folders that the services, started later, cannot read."""
    root = settings.lake_root
    for missing in reversed([p for p in (root, *root.parents) if not p.exists()]):
        # folders made here to reach a new lake root are traversable (ROOT_MODE), as the root itself: under the
        # umask they would be 0750 and the service accounts could not reach their places in the lake
        missing.mkdir(exist_ok=True)
        os.chmod(missing, ROOT_MODE)
    os.chmod(root, ROOT_MODE)
    dirs = layout(settings)
    for group in sorted({zd.group for zd in dirs if zd.group}):
        ensure_group(group)  # root only; a no-op for an ordinary user and for a group that exists
    for zd in dirs:
        zd.path.mkdir(parents=True, exist_ok=True)
        if zd.zone == SERVICE:
            _strip_world(zd.path)
            continue
        gid = _gid(zd.group)
        if gid is not None and zd.path.stat().st_gid != gid:
            os.chown(zd.path, -1, gid)
        os.chmod(zd.path, dir_mode(zd.zone, zd.group) if gid is not None else 0o700)
    return dirs


def _strip_world(path: Path) -> None:
    mode = stat.S_IMODE(path.lstat().st_mode)
    if mode & 0o007:
        os.chmod(path, mode & ~0o007)


def repair(settings: Settings) -> int:
    """Walk every zone and bring what an older version wrote into line: world bits off everywhere, the zone's
    group on shared and restricted files. Returns the number of entries changed. For lakes written before the
    zones existed (`lakehouse zones apply`); new files are created right and need no walk."""
    ensure_zones(settings)
    changed = 0
    owned = {zd.path: zd for zd in layout(settings)}
    for zd in layout(settings):
        gid = _gid(zd.group)
        for dirpath, dirnames, filenames in os.walk(zd.path):
            here = Path(dirpath)
            # a nested zone directory is handled by its own entry
            dirnames[:] = [d for d in dirnames if here / d not in owned]
            for name in [*dirnames, *filenames]:
                p = here / name
                st = p.lstat()
                if stat.S_ISLNK(st.st_mode):
                    continue
                mode = stat.S_IMODE(st.st_mode)
                new = mode & ~0o007
                if gid is not None:
                    new |= 0o040 | (0o2010 if stat.S_ISDIR(st.st_mode) else 0)
                    if st.st_gid != gid:
                        os.chown(p, -1, gid, follow_symlinks=False)
                        changed += 1
                if new != mode:
                    os.chmod(p, new)
                    changed += 1
    return changed


def _modes(root: Path, skip: tuple[Path, ...] = (), passable=lambda here: True):
    """(path, mode) of every entry under `root`, symlinks aside: not below a `skip` folder (nor the folder itself),
    and nothing in or below a directory for which `passable(directory)` is False."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        if not passable(here):
            dirnames[:] = []
            continue
        for name in [*dirnames, *filenames]:
            p = here / name
            try:
                st = p.lstat()
            except FileNotFoundError:
                continue
            if not stat.S_ISLNK(st.st_mode):
                yield p, st.st_mode


def world_accessible(root: Path, skip: tuple[Path, ...] = ()) -> list[Path]:
    """Every entry under `root` (not `root` itself, nor below a `skip` folder) with any "other" permission bit
    set, symlinks aside."""
    return [p for p, mode in _modes(root, skip) if mode & 0o007]


def reachable_by_others(root: Path) -> list[Path]:
    """Every entry under `root` that an account with no owner or group right could open: "other" bits on the
    entry and "other" search (x) on every directory from `root` down to it."""
    # nobody else can pass a directory without o+x: nothing below it is reachable
    return [p for p, mode in _modes(root, passable=lambda here: here.lstat().st_mode & 0o001) if mode & 0o006]
