#!/usr/bin/env bash
# One idempotent set-up for `make demo` and `make test`: Debian packages (only when missing), the
# project virtualenv (re-installed only when pyproject.toml changes), Superset's own virtualenv
# (.venvs/superset, pinned), the Delta jars (fetched once from Maven Central into .cache/jars).
# A second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
VENV=${LAKEHOUSE_VENV:-$ROOT/.venv}
JARS=${LAKEHOUSE_JAR_CACHE:-$ROOT/.cache/jars}
DELTA_VERSION=$(sed -n 's:.*<delta.version>\(.*\)</delta.version>.*:\1:p' scripts/delta-jars/pom.xml)
JARS_STAMP="$DELTA_VERSION-$(sha256sum scripts/delta-jars/pom.xml | cut -c1-12)"

log() { printf '[bootstrap] %s\n' "$*"; }

# --- Debian packages ------------------------------------------------------------------------------
APT_PACKAGES=(openjdk-17-jre-headless maven postgresql postgresql-client libpostgresql-jdbc-java
              tesseract-ocr tesseract-ocr-vie fonts-liberation2 poppler-utils ghostscript
              chromium chromium-driver)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's postgresql package starts a system cluster on 5432; the project runs its own cluster on its
# own port under the lake root and does not need it.

# --- virtualenv -----------------------------------------------------------------------------------
stamp="$VENV/.lakehouse-installed"
want=$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -x "$VENV/bin/python" ]; then
  log "creating virtualenv $VENV"
  "$PY" -m venv "$VENV"
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing the project into $VENV"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null
  "$VENV/bin/pip" install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi

# --- Superset (own virtualenv, separate from the project's) --------------------------------------
# Pinned by scripts/superset-requirements.txt + scripts/superset-constraints.txt; re-installed only when
# either file changes. LAKEHOUSE_SKIP_SUPERSET=1 skips it (pipeline-only machines).
SUPERSET_VENV=${LAKEHOUSE_SUPERSET_VENV:-$ROOT/.venvs/superset}
if [ "${LAKEHOUSE_SKIP_SUPERSET:-0}" != "1" ]; then
  sstamp="$SUPERSET_VENV/.lakehouse-installed"
  swant=$(cat scripts/superset-requirements.txt scripts/superset-constraints.txt | sha256sum | cut -c1-16)
  if [ ! -x "$SUPERSET_VENV/bin/python" ]; then
    log "creating Superset virtualenv $SUPERSET_VENV"
    mkdir -p "$(dirname "$SUPERSET_VENV")"
    "$PY" -m venv "$SUPERSET_VENV"
  fi
  if [ "$(cat "$sstamp" 2>/dev/null)" != "$swant" ]; then
    log "installing Superset into $SUPERSET_VENV (a few minutes, once)"
    "$SUPERSET_VENV/bin/pip" install -q --upgrade pip >/dev/null
    "$SUPERSET_VENV/bin/pip" install -q -r scripts/superset-requirements.txt
    echo "$swant" > "$sstamp"
  fi
fi

# --- Delta jars -----------------------------------------------------------------------------------
if [ ! -f "$JARS/.jars-$JARS_STAMP" ]; then
  log "fetching Delta $DELTA_VERSION (and hive-llap-common) jars from Maven Central into $JARS"
  tmp=$(mktemp -d)
  mvn -q -B -f scripts/delta-jars/pom.xml dependency:copy-dependencies \
      -DoutputDirectory="$tmp" -DincludeScope=runtime -DincludeGroupIds=io.delta,io.unitycatalog,org.apache.hive
  mkdir -p "$JARS"
  rm -f "$JARS"/*.jar "$JARS"/.jars-* "$JARS"/.delta-*
  cp "$tmp"/*.jar "$JARS"/
  rm -rf "$tmp"
  touch "$JARS/.jars-$JARS_STAMP"
fi
# --- OpenMetadata ingestion venv (issue 8) --------------------------------------------------------------
# Its own virtualenv: openmetadata-ingestion pins pydantic/sqlalchemy/dbt versions that clash with the
# project's and with Superset. Used for `metadata ingest -c catalog/*.yaml` and by the catalog contract tests.
# Re-installed only when the requirement/constraint files change. LAKEHOUSE_SKIP_OPENMETADATA=1 skips it.
OM_VENV=${LAKEHOUSE_OM_VENV:-$ROOT/.venvs/openmetadata}
if [ "${LAKEHOUSE_SKIP_OPENMETADATA:-0}" != "1" ]; then
  om_stamp="$OM_VENV/.lakehouse-installed"
  om_want=$(cat scripts/openmetadata-requirements.txt scripts/openmetadata-constraints.txt | sha256sum | cut -c1-16)
  if [ ! -x "$OM_VENV/bin/python" ]; then
    log "creating the OpenMetadata virtualenv $OM_VENV"
    mkdir -p "$(dirname "$OM_VENV")"
    "$PY" -m venv "$OM_VENV"
  fi
  if [ "$(cat "$om_stamp" 2>/dev/null)" != "$om_want" ]; then
    log "installing openmetadata-ingestion into $OM_VENV"
    "$OM_VENV/bin/pip" install -q --upgrade pip >/dev/null
    "$OM_VENV/bin/pip" install -q -r scripts/openmetadata-requirements.txt -c scripts/openmetadata-constraints.txt
    echo "$om_want" > "$om_stamp"
  fi
fi

log "ready: $VENV, $SUPERSET_VENV, $OM_VENV, $(ls "$JARS"/*.jar | wc -l) jars in $JARS"
