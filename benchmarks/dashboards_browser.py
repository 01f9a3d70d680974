"""Every dashboard opened in headless Chromium as each kind of user (admin, analyst, steward, a locality
manager), the way people open them: the login form with the person's own directory password, then each
dashboard the person may see, cold (results cache emptied) and warm (from the Redis cache), until every chart
and native filter has rendered. Then the reading room: login, a search, a document with its page viewer.
Prints seconds per user and page, and any chart in error; asserts nothing.

    .venv/bin/python benchmarks/dashboards_browser.py                      # the demo lake (lake_data/)
    .venv/bin/python benchmarks/dashboards_browser.py --lake-root /tmp/demo-lake

Services that are not running are started and stopped again at the end. The people are the demo's
(`lakehouse demo` seeds them; passwords in <lake root>/secrets/users/).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: the demo's people by role (lake.platform.directory.seed_demo_people); a manager is added per locality
ROLES = {"quantri": "quản trị / admin", "phantich": "phân tích / analyst", "luutru": "lưu trữ / steward"}


def reading_room(browser, url: str, user: str, password: str, query: str) -> dict[str, float]:
    """Seconds for the reading room's login, one search and the first hit's document page (viewer opened)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 120)
    browser.delete_all_cookies()
    t = time.monotonic()
    browser.get(f"{url}/search")
    wait.until(EC.presence_of_element_located((By.ID, "username")))
    browser.find_element(By.ID, "username").send_keys(user)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "login").click()
    wait.until(EC.presence_of_element_located((By.ID, "q")))
    out = {"login": time.monotonic() - t}
    t = time.monotonic()
    browser.find_element(By.ID, "q").send_keys(query)
    browser.find_element(By.ID, "search-button").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".result-link")))
    out["search"] = time.monotonic() - t
    t = time.monotonic()
    browser.find_element(By.CSS_SELECTOR, ".result-link").click()
    wait.until(lambda d: d.find_elements(By.ID, "viewer")
               and d.find_element(By.ID, "viewer").get_attribute("data-opened") in ("1", "failed"))
    out["document"] = time.monotonic() - t
    out["viewer_opened"] = browser.find_element(By.ID, "viewer").get_attribute("data-opened") == "1"
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lake-root", type=Path, default=ROOT / "lake_data")
    p.add_argument("--query", default="kế hoạch", help="the reading room search")
    args = p.parse_args(argv)
    os.environ["LAKEHOUSE_ROOT"] = str(args.lake_root.resolve())

    from lake.core.settings import get_settings
    from lake.platform.directory import user_password_path
    from lake.platform.results_cache import ResultsCache
    from lake.platform.services import Services
    from lake.platform.superset import SupersetClient
    from tests.browser import chromium, dashboards, log_in, open_and_wait

    settings = get_settings()
    svc = Services(settings)
    was_up = svc.running()
    started = time.monotonic()
    svc.up(thrift=True, superset=True, search=svc.search.installed())
    print(f"services up in {time.monotonic() - started:.1f} s")
    managers = sorted(p.name for p in user_password_path(settings, "x").parent.glob("quanly_*"))
    people = {**ROLES, **({managers[0]: f"quản lý địa bàn / manager ({managers[0]})"} if managers else {})}
    charts = {slug: (title, n) for slug, title, n in dashboards()}
    cache = ResultsCache(settings)
    browser = chromium()
    if browser is None:
        raise SystemExit("Debian chromium and chromium-driver are needed (make bootstrap installs them)")
    try:
        print(f"{'user':<12} {'dashboard':<34} {'charts':>6} {'cold s':>7} {'warm s':>7}  errors")
        for user, role in people.items():
            password = user_password_path(settings, user).read_text(encoding="utf-8").strip()
            t = time.monotonic()
            if not log_in(browser, svc.superset, user, password):
                print(f"{user:<12} login refused ({role})")
                continue
            login_s = time.monotonic() - t
            api = SupersetClient.login(svc.superset.url, user, password, provider="ldap")
            slugs = sorted(d["slug"] for d in api.list_all("dashboard", ["slug"]))
            print(f"{user:<12} login {login_s:.2f} s ({role}); sees {len(slugs)} dashboards")
            for slug in slugs:
                title, n = charts[slug]
                url = f"{svc.superset.url}/superset/dashboard/{slug}/?standalone=1"
                cache.flush()
                _, _, cold = open_and_wait(browser, url, n)
                state, _, warm = open_and_wait(browser, url, n)
                errors = [s["title"] for s in state if s["errors"]]
                print(f"{'':<12} {title[:34]:<34} {len(state):>3}/{n:<2} {cold:>7.2f} {warm:>7.2f}  "
                      f"{', '.join(errors) or '-'}")
        if svc.reading_room.running():
            for user in ("phantich", *managers[:1]):
                password = user_password_path(settings, user).read_text(encoding="utf-8").strip()
                r = reading_room(browser, svc.reading_room.url, user, password, args.query)
                print(f"reading room {user:<12} login {r['login']:.2f} s, search {r['search']:.2f} s, document "
                      f"{r['document']:.2f} s, viewer {'opened' if r['viewer_opened'] else 'FAILED'}")
    finally:
        browser.quit()
        svc.stop(keep=was_up)  # only what this run started
    return 0


if __name__ == "__main__":
    sys.exit(main())
