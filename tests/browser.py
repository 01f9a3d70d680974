"""A real browser for the tests and benchmarks/dashboards_browser.py: headless Debian Chromium, and Superset
opened in it as people open it: the login form, a dashboard's charts and native filters rendered (or in
error), and the seconds it took."""

from __future__ import annotations

import shutil
import time

import yaml

from lake.platform.superset import DASHBOARDS_DIR


def chromium(width: int = 1600, height: int = 2400):
    """Headless Debian Chromium through selenium (Vietnamese locale), or None when chromium or chromium-driver
    is missing."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_bin = shutil.which("chromedriver")
    if not chrome or not driver_bin:
        return None
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 f"--window-size={width},{height}", "--disable-dev-shm-usage", "--lang=vi"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_bin), options=opts)
    driver.set_page_load_timeout(120)
    return driver


RENDERED_JS = """
const holders = [...document.querySelectorAll('[data-test="dashboard-component-chart-holder"]')];
return holders.map(h => {
  const t = h.querySelector('[data-test="editable-title"], .header-title, .editable-title');
  const title = t ? t.textContent : '';
  const errors = h.querySelectorAll('.ant-alert-error, [data-test="error-tooltip"], .error-alert, [role="alert"]');
  const loading = h.querySelectorAll('[data-test="loading-indicator"], .loading').length;
  const canvases = [...h.querySelectorAll('canvas')].filter(c => c.width > 0 && c.height > 0).length;
  const svgs = [...h.querySelectorAll('svg')].filter(s => s.querySelectorAll('path, rect, text').length > 3).length;
  const rows = h.querySelectorAll('table tbody tr').length;
  const bigNumber = ((h.querySelector('.header-line') || {}).textContent || '').trim();
  const empty = h.querySelectorAll('.ant-empty, [data-test="empty-state"]').length;
  return {title: title.trim(), errors: errors.length, errorText: [...errors].map(e => e.textContent).join(' | '),
          loading, canvases, svgs, rows, bigNumber, empty};
});
"""
# native filters in the filter bar: each one's value box, still loading or in error
FILTERS_JS = """
const boxes = [...document.querySelectorAll('[data-test="form-item-value"]')];
return {count: boxes.length,
        loading: boxes.filter(b => /Loading filter values/.test(b.textContent)).length,
        errors: boxes.filter(b => b.querySelector('.ant-alert-error, [role="alert"]')).length};
"""


def dashboards():
    paths = sorted((DASHBOARDS_DIR / "dashboards").glob("*.yaml"))
    docs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths]
    return [(d["slug"], d["dashboard_title"], sum(1 for k in d["position"] if k.startswith("CHART-"))) for d in docs]


def log_in(browser, superset, name: str, password: str) -> bool:
    """Fill Superset's login form (AUTH_LDAP: the person's directory password); True when it let us in."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    browser.get(f"{superset.url}/login/")
    wait = WebDriverWait(browser, 60)
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-test="username-input"]')))
    browser.find_element(By.CSS_SELECTOR, '[data-test="username-input"]').send_keys(name)
    browser.find_element(By.CSS_SELECTOR, '[data-test="password-input"]').send_keys(password)
    # mark this document: after the POST, a page without the mark is the server's answer. A refusal comes back as
    # a new login form; a success leaves /login. Waiting for either (not a fixed few seconds) keeps a slow first
    # login on a busy machine (LDAP bind, role sync, the welcome page) from reading as a refusal.
    browser.execute_script("window.__beforeLogin = true;")
    browser.find_element(By.CSS_SELECTOR, '[data-test="login-button"]').click()

    def answered(d):
        if "/login" not in d.current_url:
            return "in"
        page = d.execute_script("if (window.__beforeLogin || document.readyState !== 'complete') return null; "
                                "if (document.querySelector('[data-test=\"username-input\"]')) return 'form'; "
                                "return document.body ? document.body.innerText : '';")
        if page == "form":
            return "refused"
        if page and ("Too Many Requests" in page or "429" in page):
            return "rate limited"
        return False

    try:
        outcome = WebDriverWait(browser, 120, poll_frequency=0.5).until(answered)
    except TimeoutException:
        outcome = "no answer in 120 s"
    if outcome != "in":
        # say why on the test's output: the form's message (wrong password, too many attempts, a server error)
        text = browser.execute_script("return document.body ? document.body.innerText : ''") or ""
        print(f"login of {name}: {outcome} at {browser.current_url}: {' '.join(text.split())[:400]}")
        return False
    return True


def native_filters(slug: str) -> int:
    """How many native filters the dashboard `slug` declares (its YAML under dashboards/dashboards/)."""
    for p in sorted((DASHBOARDS_DIR / "dashboards").glob("*.yaml")):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        if d["slug"] == slug:
            return len(d.get("metadata", {}).get("native_filter_configuration", []))
    raise KeyError(slug)


def open_and_wait(browser, url: str, n_charts: int, n_filters: int = 1) -> tuple[list, dict, float]:
    """Open a dashboard and wait until every chart and its `n_filters` native filters have rendered (the filter
    bar draws its boxes one after another); the seconds it took."""
    t0 = time.monotonic()
    browser.get(url)
    deadline = t0 + 240
    state, filters = [], {}
    while time.monotonic() < deadline:
        state = browser.execute_script(RENDERED_JS)
        filters = browser.execute_script(FILTERS_JS)
        done = [s for s in state if not s["loading"] and (s["errors"] or s["canvases"] or s["svgs"] or s["rows"]
                                                          or s["bigNumber"] or s["empty"])]
        if (len(state) == n_charts and len(done) == n_charts and filters["count"] >= n_filters
                and not filters["loading"]):
            break
        time.sleep(0.1)
    return state, filters, time.monotonic() - t0
