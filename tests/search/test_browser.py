"""Headless Chromium in the reading room: logs in, searches a known document's subject typed without diacritics,
opens the result, sees the page image in the viewer (OpenSeadragon) and the recognised text with the hits
highlighted. Screenshots go to test-artifacts/search/."""

from __future__ import annotations

import pytest

from lake.apps.search.mapping import INDEX_NAME, fold

pytestmark = [pytest.mark.spark, pytest.mark.services]
BROWSER_WINDOW = (1500, 1300)  # the `browser` fixture (tests/conftest.py)


def test_search_open_and_read_a_document(browser, reading_room, readers, search_client, artifacts_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    out = artifacts_dir / "search"
    out.mkdir(exist_ok=True)
    hit = search_client.search(index=INDEX_NAME, body={"size": 1, "sort": [{"document_code": "asc"}], "query": {
        "bool": {"filter": [{"exists": {"field": "subject"}}]}}})["hits"]["hits"][0]["_source"]
    words = [w for w in fold(hit["subject"]).split() if len(w) > 2][:4]
    query = " ".join(words)
    wait = WebDriverWait(browser, 60)

    browser.get(f"{reading_room.url}/search")
    wait.until(EC.presence_of_element_located((By.ID, "username")))
    browser.save_screenshot(str(out / "01_dang_nhap.png"))
    browser.find_element(By.ID, "username").send_keys("docgia.phantich")
    browser.find_element(By.ID, "password").send_keys(readers["docgia.phantich"][0])
    browser.find_element(By.ID, "login").click()
    wait.until(EC.presence_of_element_located((By.ID, "q")))

    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query)
    browser.find_element(By.ID, "search-button").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".result-link")))
    assert "Tìm thấy" in browser.find_element(By.ID, "total").text
    assert browser.find_elements(By.CSS_SELECTOR, ".facet[data-facet='type'] a")  # facets with counts
    marks = browser.find_elements(By.CSS_SELECTOR, ".result mark")
    assert marks, "the results show highlighted snippets"
    browser.save_screenshot(str(out / "02_ket_qua.png"))

    links = browser.find_elements(By.CSS_SELECTOR, ".result-link")
    target = next((a for a in links if f"/documents/{hit['document_code']}" in a.get_attribute("href")), links[0])
    target.click()
    wait.until(EC.presence_of_element_located((By.ID, "viewer")))
    wait.until(lambda d: d.find_element(By.ID, "viewer").get_attribute("data-opened") in ("1", "failed"))
    assert browser.find_element(By.ID, "viewer").get_attribute("data-opened") == "1", "the page image opened"
    drawn = browser.execute_script(
        "const c = document.querySelector('#viewer canvas'); return c ? [c.width, c.height] : null;")
    assert drawn and drawn[0] > 100 and drawn[1] > 100
    text = browser.find_element(By.ID, "page-text")
    assert text.text.strip()
    assert text.find_elements(By.TAG_NAME, "mark"), "the recognised text shows the hits highlighted"
    assert browser.find_element(By.ID, "download-pdf").get_attribute("href").endswith("/pdf")
    browser.save_screenshot(str(out / "03_van_ban.png"))
