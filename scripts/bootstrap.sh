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
APT_PACKAGES=(openjdk-17-jre-headless openjdk-17-jdk-headless maven postgresql postgresql-client libpostgresql-jdbc-java
              tesseract-ocr tesseract-ocr-vie fonts-liberation2 poppler-utils ghostscript
              chromium chromium-driver redis-server slapd ldap-utils
              libldap2-dev libsasl2-dev gcc  # python-ldap (Superset AUTH_LDAP) builds from source
              python3-venv python3-dev  # side virtualenvs on Debian's python3 (lakehouse-web services)
              fonts-noto-core fonts-freefont-ttf fonts-urw-base35 tesseract-ocr-script-viet unzip  # hard OCR set
              openssl)  # the search engine's TLS certificates (lake.platform.search_security)
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

# --- side virtualenvs (Superset, reading room, OpenMetadata ingestion) ----------------------------------
# Each lives apart from the project's venv (their pins clash with it and with each other) and is re-installed
# only when its requirement/constraint files change; a virtualenv built on another interpreter than PYTHON
# (pyvenv.cfg `home`) is rebuilt from scratch. side_venv DIR SKIP_VAR WHAT PYTHON REQUIREMENTS [CONSTRAINTS]
# Services that run as lakehouse-web (Superset, the reading room, the catalog site) are built on Debian's
# /usr/bin/python3: a Python under /root (mode 0700) would not execute for that account.
side_venv() {
  local dir=$1 skip=$2 what=$3 py=$4 req=$5 con=${6:-}
  [ "${!skip:-0}" = "1" ] && return 0
  local stamp="$dir/.lakehouse-installed" want home
  home=$(dirname "$("$py" -c 'import os, sys; print(os.path.realpath(sys.executable))')")
  want=$(cat "$req" ${con:+"$con"} | sha256sum | cut -c1-16)
  if [ -f "$dir/pyvenv.cfg" ] && ! grep -qx "home = $(dirname "$py")" "$dir/pyvenv.cfg" \
     && ! grep -qx "home = $home" "$dir/pyvenv.cfg"; then
    log "rebuilding the $what virtualenv $dir on $py"
    rm -rf "$dir"
  fi
  if [ ! -x "$dir/bin/python" ]; then
    log "creating the $what virtualenv $dir"
    mkdir -p "$(dirname "$dir")"
    "$py" -m venv "$dir"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    log "installing $what into $dir (a few minutes, once)"
    "$dir/bin/pip" install -q --upgrade pip >/dev/null
    "$dir/bin/pip" install -q -r "$req" ${con:+-c "$con"}
    echo "$want" > "$stamp"
  fi
}

# Superset: pinned by scripts/superset-requirements.txt (-c superset-constraints.txt inside);
# LAKEHOUSE_SKIP_SUPERSET=1 skips it (pipeline-only machines).
SUPERSET_VENV=${LAKEHOUSE_SUPERSET_VENV:-$ROOT/.venvs/superset}
WEB_PY=${LAKEHOUSE_WEB_PYTHON:-/usr/bin/python3}
side_venv "$SUPERSET_VENV" LAKEHOUSE_SKIP_SUPERSET Superset "$WEB_PY" scripts/superset-requirements.txt \
  scripts/superset-constraints.txt

# Reading room (lake/apps/search/app.py) and the catalog site (lake/apps/docs_site.py): FastAPI + iiif-prezi3 in
# their own virtualenv (iiif-prezi3 pins Pillow<=12), on Debian's python3 like Superset.
READING_ROOM_VENV=${LAKEHOUSE_READING_ROOM_VENV:-$ROOT/.venvs/reading-room}
READING_ROOM_PY=${LAKEHOUSE_READING_ROOM_PYTHON:-$WEB_PY}
side_venv "$READING_ROOM_VENV" LAKEHOUSE_SKIP_READING_ROOM "reading room" "$READING_ROOM_PY" \
  scripts/reading-room-requirements.txt

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
# --- SQL endpoint guard ---------------------------------------------------------------------------
# A Spark check rule (scripts/sql-guard, lake.platform.sql_endpoint) compiled once with javac against the pyspark jars
# into $JARS/sql-guard/; rebuilt only when its source or the pyspark version changes.
PYSPARK_JARS=$("$VENV/bin/python" -c 'import pathlib, pyspark; print(pathlib.Path(pyspark.__file__).parent / "jars")')
GUARD_STAMP=$( (find scripts/sql-guard/src -name '*.java' | sort | xargs cat; ls "$PYSPARK_JARS" | grep '^spark-sql_') \
  | sha256sum | cut -c1-12)
if [ ! -f "$JARS/sql-guard/.stamp-$GUARD_STAMP" ]; then
  log "compiling the SQL endpoint guard into $JARS/sql-guard"
  tmp=$(mktemp -d)
  javac --release 17 -nowarn -cp "$PYSPARK_JARS/*" -d "$tmp" $(find scripts/sql-guard/src -name '*.java')
  mkdir -p "$JARS/sql-guard"
  rm -f "$JARS/sql-guard"/*.jar "$JARS/sql-guard"/.stamp-*
  jar --create --file "$JARS/sql-guard/lakehouse-sql-guard.jar" -C "$tmp" .
  rm -rf "$tmp"
  touch "$JARS/sql-guard/.stamp-$GUARD_STAMP"
fi

# --- search engine (OpenSearch integ-test distribution + analysis-common module + security plugin) --------
# The versions must match OPENSEARCH_VERSION / SECURITY_PLUGIN_VERSION in lake/platform/search_engine.py
# (tests/search/test_search_logic.py). 2.19.4 because Maven Central serves the opensearch-security plugin for
# 2.19.4.0 but not for 2.19.5.0 / 2.19.6.0; the plugin, the zip and analysis-common must be the same version.
OPENSEARCH_VERSION=2.19.4
SECURITY_PLUGIN_VERSION=2.19.4.0
OS_HOME="$JARS/opensearch-$OPENSEARCH_VERSION"
if [ ! -f "$OS_HOME/.installed-security-$SECURITY_PLUGIN_VERSION" ]; then
  log "fetching OpenSearch $OPENSEARCH_VERSION, its analysis-common module and the security plugin from Maven Central"
  tmp=$(mktemp -d)
  mvn -q -B dependency:copy -DoutputDirectory="$tmp" \
      -Dartifact="org.opensearch.distribution.integ-test-zip:opensearch:$OPENSEARCH_VERSION:zip"
  mvn -q -B dependency:copy -DoutputDirectory="$tmp" \
      -Dartifact="org.opensearch.plugin:analysis-common:$OPENSEARCH_VERSION:jar"
  mvn -q -B dependency:copy -DoutputDirectory="$tmp" \
      -Dartifact="org.opensearch.plugin:opensearch-security:$SECURITY_PLUGIN_VERSION:zip"
  unzip -q "$tmp/opensearch-$OPENSEARCH_VERSION.zip" -d "$tmp/dist"
  dist="$tmp/dist/opensearch-$OPENSEARCH_VERSION"
  mod="$dist/modules/analysis-common"
  mkdir -p "$mod"
  cp "$tmp/analysis-common-$OPENSEARCH_VERSION.jar" "$mod/"
  printf '%s\n' 'description=Adds "built in" analyzers to OpenSearch.' "version=$OPENSEARCH_VERSION" \
    "name=analysis-common" "classname=org.opensearch.analysis.common.CommonAnalysisPlugin" "java.version=11" \
    "opensearch.version=$OPENSEARCH_VERSION" "custom.foldername=" "extended.plugins=" \
    "has.native.controller=false" > "$mod/plugin-descriptor.properties"
  # offline install from the fetched zip (the plugin tool checks its version against the engine's); --batch
  # accepts the permissions the plugin asks for (plugin-security.policy)
  OPENSEARCH_JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture) \
    "$dist/bin/opensearch-plugin" install --batch --silent "file://$tmp/opensearch-security-$SECURITY_PLUGIN_VERSION.zip"
  rm -rf "$dist/config/opensearch-security"  # its demo users and roles: the engine writes its own (search_engine.py)
  mkdir -p "$JARS"
  rm -rf "$OS_HOME"
  mv "$dist" "$OS_HOME"
  chmod -R a+rX "$OS_HOME"
  chmod a+x "$OS_HOME"/plugins/opensearch-security/tools/*.sh
  rm -rf "$tmp"
  touch "$OS_HOME/.installed-security-$SECURITY_PLUGIN_VERSION"
fi

# --- page viewer (OpenSeadragon from npm, served by the reading room) ------------------------------
VIEWER_DIR=${LAKEHOUSE_VIEWER_DIR:-$ROOT/.cache/viewer}
OPENSEADRAGON_VERSION=6.1.1
if [ ! -f "$VIEWER_DIR/.openseadragon-$OPENSEADRAGON_VERSION" ]; then
  log "installing OpenSeadragon $OPENSEADRAGON_VERSION from npm into $VIEWER_DIR"
  mkdir -p "$VIEWER_DIR"
  npm install --silent --no-audit --no-fund --prefix "$VIEWER_DIR" "openseadragon@$OPENSEADRAGON_VERSION" >/dev/null
  touch "$VIEWER_DIR/.openseadragon-$OPENSEADRAGON_VERSION"
fi

# OpenMetadata ingestion: `metadata ingest -c catalog/*.yaml` and the catalog contract tests;
# LAKEHOUSE_SKIP_OPENMETADATA=1 skips it.
OM_VENV=${LAKEHOUSE_OM_VENV:-$ROOT/.venvs/openmetadata}
side_venv "$OM_VENV" LAKEHOUSE_SKIP_OPENMETADATA "OpenMetadata ingestion" "$PY" \
  scripts/openmetadata-requirements.txt scripts/openmetadata-constraints.txt

log "ready: $VENV, $SUPERSET_VENV, $OM_VENV, $(ls "$JARS"/*.jar | wc -l) jars in $JARS, OpenSearch in $OS_HOME"
