"""Catalog tests on the real sample (the session `gold` fixture: 40-page sample → ingest → OCR → silver → dbt
seed/build/docs generate): what `lakehouse catalog push` sends to a mock OpenMetadata server (a local recording
HTTP server; no real server can run here), the jobs' lineage declarations against the recorded runs, the dbt
docs sources, and the embedded catalog in headless Chromium.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lake.apps.metadata import lineage as L
from lake.core import contracts as C
from tests.catalog.om_venv import validate_bodies

pytestmark = [pytest.mark.spark]
TOKEN = "mock-om-token-123"


class _Recorder(BaseHTTPRequestHandler):
    calls: list[dict]

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _reply(self, code: int, payload: dict | None) -> None:
        raw = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_PUT(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        entity_id = str(uuid.uuid4())
        self.server.calls.append({"method": "PUT", "path": self.path, "auth": self.headers.get("Authorization"),
                                  "content_type": self.headers.get("Content-Type"), "body": body, "id": entity_id})
        self._reply(200, {"id": entity_id, "name": body.get("name")} if "edge" not in body else None)

    def do_GET(self):
        self.server.calls.append({"method": "GET", "path": self.path, "auth": self.headers.get("Authorization")})
        self._reply(404, {"message": "not found"})


@contextlib.contextmanager
def mock_openmetadata():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _label(call: dict) -> str:
    """A readable name for the entity a PUT created: layer.table, container path, pipeline/chart/dashboard."""
    b, path = call["body"], call["path"]
    if path.endswith("/tables"):
        return f"{b['databaseSchema'].rsplit('.', 1)[1]}.{b['name']}"
    if path.endswith("/containers"):
        return f"container:{b['fullPath']}"
    return f"{path.rsplit('/', 1)[1][:-1]}:{b.get('displayName') or b['name']}"


@pytest.fixture(scope="module")
def pushed(gold, lake_env, monkeypatch_module):
    from lake.apps import cli

    with mock_openmetadata() as server:
        url = f"http://127.0.0.1:{server.server_address[1]}/api"
        monkeypatch_module.setenv("OPENMETADATA_JWT_TOKEN", TOKEN)
        t0 = time.monotonic()
        # the real dashboards/ (Superset export committed in the repository)
        rc = cli.main(["catalog", "push", "--server", url])
        elapsed = time.monotonic() - t0
        assert rc == 0
        return {"calls": list(server.calls), "seconds": elapsed}


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_mock_om_server_records_catalog_push(pushed, lake_env, gold, artifacts_dir):
    calls = pushed["calls"]
    assert calls and all(c["method"] == "PUT" for c in calls), [c["path"] for c in calls if c["method"] != "PUT"]
    assert all(c["auth"] == f"Bearer {TOKEN}" and c["content_type"] == "application/json" for c in calls)
    assert all(c["path"].startswith("/api/v1/") for c in calls)
    by_path = Counter(c["path"] for c in calls)
    # dependencies go first: services before their entities, entities before lineage
    order = [c["path"] for c in calls]
    assert order.index("/api/v1/services/databaseServices") < order.index("/api/v1/tables")
    assert max(i for i, p in enumerate(order) if p != "/api/v1/lineage") < order.index("/api/v1/lineage")

    target = lake_env.lake_root / "dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    gold_nodes = L.dbt_tables(manifest)
    tables = {_label(c): c["body"] for c in calls if c["path"] == "/api/v1/tables"}
    assert {t.full_name for t in C.tables()} <= set(tables)
    assert {f"{n['schema']}.{L.dbt_relation(n)[1]}" for n in gold_nodes.values()} <= set(tables)
    fct = tables["gold.fct_pages"]
    assert fct["description"] == manifest["nodes"]["model.lakehouse.fct_pages"]["description"]
    assert fct["columns"] and all(c["dataType"] != "UNKNOWN" for c in fct["columns"])  # types from catalog.json
    assert tables["bronze.scan_pages"]["description"] == C.SCAN_PAGES.description
    # the dbt column tag "text" becomes the DocumentText sensitivity tag, as the contracts' tags do
    texts = {c["name"]: [t["tagFQN"] for t in c.get("tags", [])] for c in tables["gold.fct_page_texts"]["columns"]}
    assert any(t.endswith(".DocumentText") for t in texts["recognised_text"]), texts
    assert not any(t.endswith(".DocumentText") for t in texts["page_id"])

    batches = L.landing_batches(lake_env.landing_dir)
    assert batches
    containers = {_label(c) for c in calls if c["path"] == "/api/v1/containers"}
    assert {f"container:landing/batches/{b}" for b in batches} <= containers

    # every recorded body is accepted by openmetadata-ingestion's generated models
    results = validate_bodies([{"path": c["path"], "body": c["body"]} for c in calls])
    bad = [(c["path"], r["error"][:300]) for c, r in zip(calls, results, strict=True) if not r["ok"]]
    assert not bad, bad

    # the lineage graph as the server saw it (ids → entities), and the full chain batch → dashboard
    names = {c["id"]: _label(c) for c in calls if "edge" not in c["body"]}
    edges: dict[str, set[str]] = {}
    via: dict[tuple[str, str], str | None] = {}
    for c in calls:
        if c["path"] == "/api/v1/lineage":
            e = c["body"]["edge"]
            src, dst = names[e["fromEntity"]["id"]], names[e["toEntity"]["id"]]
            edges.setdefault(src, set()).add(dst)
            pipe = e["lineageDetails"].get("pipeline")
            via[(src, dst)] = names[pipe["id"]] if pipe else None

    def path(a: str, b: str) -> list[str]:
        prev, queue = {a: None}, [a]
        while queue:
            cur = queue.pop(0)
            if cur == b:
                out = [cur]
                while prev[out[-1]]:
                    out.append(prev[out[-1]])
                return out[::-1]
            for nxt in sorted(edges.get(cur, ())):
                if nxt not in prev:
                    prev[nxt] = cur
                    queue.append(nxt)
        return []

    batch = f"container:landing/batches/{batches[0]}"
    dashboard = "dashboard:Chất lượng số hóa"
    hops = [batch, "bronze.scan_pages", "bronze.ocr_pages", "silver.document_pages", dashboard]
    chain = [batch]
    for a, b in itertools.pairwise(hops):
        chain += path(a, b)[1:]
    assert chain[0] == batch and chain[-1] == dashboard, chain
    assert any(n.startswith("gold.") for n in chain) and chain[-2].startswith("chart:"), chain
    pipes = [via[(a, b)] for a, b in itertools.pairwise(chain)]
    assert pipes[0].startswith("pipeline:Nạp vùng tiếp nhận")  # ingest_landing
    assert any(p and p.startswith("pipeline:Nhận dạng chữ (OCR)") for p in pipes)  # ocr_pages
    assert any(p and p.startswith("pipeline:Dựng hồ sơ") for p in pipes)  # silver_documents
    assert any(p and p.startswith("pipeline:Mô hình dbt") for p in pipes)  # dbt

    counts = dict(sorted(Counter(c["path"].removeprefix("/api/v1/") for c in calls).items()))
    edge_kinds = Counter()
    for c in calls:
        if c["path"] == "/api/v1/lineage":
            e = c["body"]["edge"]
            edge_kinds[f"{e['fromEntity']['type']}→{e['toEntity']['type']} "
                       f"({e['lineageDetails']['source']})"] += 1
    report = {"requests_by_path": counts, "lineage_edges_by_kind": dict(sorted(edge_kinds.items())),
              "lineage_edges": by_path["/api/v1/lineage"], "batches": len(batches), "chain": chain,
              "push_seconds": round(pushed["seconds"], 2)}
    (artifacts_dir / "catalog-push-counts.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print("\ncatalog push to the mock OpenMetadata server:\n" + json.dumps(report, ensure_ascii=False, indent=1))


def test_job_writes_declarations_match_recorded_runs(gold, spark):
    from lake.core.job_registry import DEMO_COMMANDS, command_jobs

    ran = {j.name for j in command_jobs(*DEMO_COMMANDS)}  # the jobs the gold fixture runs
    declared = {j.name: {t.full_name for t in j.writes} for j in L.jobs() if j.name in ran}
    rows = spark.sql("SELECT job, rows_written FROM ops.pipeline_runs WHERE status = 'succeeded'").collect()
    seen: dict[str, set[str]] = {}
    for r in rows:
        if r.job in declared:
            seen.setdefault(r.job, set()).update(k for k, v in (r.rows_written or {}).items() if v)
    assert set(seen) == set(declared), seen
    for job, written in seen.items():
        assert written, job
        assert written <= declared[job], f"{job} wrote {written - declared[job]} without declaring it"


def test_dbt_docs_document_bronze_and_silver_sources_from_contracts(gold, lake_env):
    target = lake_env.lake_root / "dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    sources = {(s["source_name"], s["name"]): s for s in manifest["sources"].values()}
    for contract in [*C.tables("bronze"), *C.tables("silver")]:
        src = sources[(contract.layer, contract.name)]
        assert src["description"] == contract.description
        for col in contract.columns:
            assert src["columns"][col.name]["description"] == f"{col.vi} / {col.en}"
    assert {"source.lakehouse.bronze.ocr_pages", "source.lakehouse.silver.document_pages"} <= \
        set(catalog["sources"])
    assert (target / "index.html").is_file()


@pytest.fixture(scope="module")
def catalog_site(gold, lake_env):
    """The catalog site up (`lakehouse services up` starts it; idempotent) with the directory it logs in against,
    and its people: a steward (may read) and a locality manager (refused). -> (CatalogDocs, {name: password})."""
    from lake.platform.directory import DirectoryServer, seed_demo_people
    from lake.platform.services import Services

    DirectoryServer(lake_env).start()
    people = {name: path.read_text(encoding="utf-8").strip() for _, name, path in seed_demo_people(lake_env, ["001"])}
    docs = Services(lake_env).catalog
    docs.start()
    assert docs.running() and docs.address.startswith("127.0.0.1:")
    return docs, people


def _login(docs, name: str, password: str):
    import requests

    http = requests.Session()
    r = http.post(docs.url + "login", data={"username": name, "password": password, "next": "/"},
                  allow_redirects=False, timeout=30)
    return http, r


@pytest.mark.services
def test_catalog_site_refuses_anonymous_callers(catalog_site):
    import requests

    docs, _ = catalog_site
    r = requests.get(docs.url, allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    for path in ("manifest.json", "catalog.json", "index.html?x=1"):
        r = requests.get(docs.url + path, allow_redirects=False, timeout=30)
        assert r.status_code in (303, 401), (path, r.status_code)
        assert "nodes" not in r.text
    assert requests.get(docs.url + "manifest.json", timeout=30).status_code == 401
    assert "Đăng nhập" in requests.get(docs.url, timeout=30).text  # the redirect ends at the login form


@pytest.mark.services
def test_a_steward_reads_the_docs_a_manager_is_refused(catalog_site):
    docs, people = catalog_site
    http, r = _login(docs, "luutru", people["luutru"])  # steward
    assert r.status_code == 303 and r.headers["location"] == "/"
    r = http.get(docs.url + "manifest.json", timeout=30)
    assert r.status_code == 200 and "model.lakehouse.fct_pages" in r.json()["nodes"]
    assert http.get(docs.url + "../../secrets/catalog_secret_key", timeout=30).status_code in (401, 404)
    assert http.get(docs.url + "%2e%2e/%2e%2e/secrets/catalog_secret_key", timeout=30).status_code == 404
    # a locality manager has a valid directory password but no right to the catalog
    http, r = _login(docs, "quanly_001", people["quanly_001"])
    assert r.status_code == 403 and "không có quyền" in r.text
    assert http.get(docs.url + "manifest.json", allow_redirects=False, timeout=30).status_code == 401
    # a wrong password, an unknown account
    assert _login(docs, "luutru", "sai-mat-khau")[1].status_code == 401
    assert _login(docs, "khong_ai_ca", "x")[1].status_code == 401


@pytest.mark.services
def test_catalog_site_runs_as_the_web_account_never_root(catalog_site):
    from lake.core.os_accounts import WEB_USER
    from tests.process_owners import expected_service_user, group_owners, ps_user

    docs, _ = catalog_site
    procs = group_owners(docs.pid)
    assert procs, "no catalog site process"
    owners = {pid: ps_user(pid) for pid, _, _ in procs}
    assert set(owners.values()) == {expected_service_user(WEB_USER)}, owners
    assert "root" not in owners.values()
    out = subprocess.run(["ss", "-Hltn", f"sport = :{docs.s.catalog_port}"], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() and all(line.split()[3].startswith("127.0.0.1:") for line in out.splitlines()), out


@pytest.mark.services
def test_embedded_catalog_in_headless_chromium(catalog_site, lake_env, artifacts_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    docs, people = catalog_site
    opts = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=1600,1000"):
        opts.add_argument(flag)
    opts.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(options=opts, service=Service("/usr/bin/chromedriver"))
    try:
        wait = WebDriverWait(driver, 60)
        # the docs send an anonymous browser to the login form; the steward logs in with the directory password
        driver.get(docs.url + "#!/model/model.lakehouse.fct_pages")
        wait.until(EC.presence_of_element_located((By.ID, "username"))).send_keys("luutru")
        driver.find_element(By.ID, "password").send_keys(people["luutru"])
        driver.find_element(By.ID, "login").click()
        wait.until(lambda d: "/login" not in d.current_url)  # the docs' front page
        driver.get(docs.url + "#!/model/model.lakehouse.fct_pages")
        wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Depends On"))
        wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "stg_silver__document_pages"))
        body = driver.find_element(By.TAG_NAME, "body").text
        assert "fct_pages" in body and "int_pages__lifecycle" in body
        # its upstream sources, documented from the contracts
        driver.get(docs.url + "#!/source/source.lakehouse.bronze.ocr_pages")
        wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Referenced By"))
        wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), C.OCR_PAGES.en.split(".")[0]))
        assert "stg_bronze__ocr_pages" in driver.find_element(By.TAG_NAME, "body").text
        # back to the gold model and open its lineage graph
        driver.get(docs.url + "#!/model/model.lakehouse.fct_pages")
        wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "stg_silver__document_pages"))
        launcher = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, ".launcher-btn a")))
        launcher.click()
        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".launcher-content canvas")))
        time.sleep(3)  # let the graph layout settle before the screenshot
        expand = driver.find_elements(By.CSS_SELECTOR, ".launcher-actions a")
        if expand and expand[0].is_displayed():
            expand[0].click()
            time.sleep(3)
        shot = artifacts_dir / "catalog-lineage-fct_pages.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 20_000
    finally:
        (artifacts_dir / "catalog-lineage-fct_pages.html").write_text(driver.page_source, encoding="utf-8")
        driver.quit()
