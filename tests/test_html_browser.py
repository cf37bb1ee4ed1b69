"""The HTML report in a real browser: Debian's Chromium, headless, driven by selenium through Debian's chromedriver.

Nothing is downloaded at run time: selenium is told where the driver is and to stay offline. Without Chromium
the test fails, saying what to install (scripts/test installs it); it never skips. It runs in the SQLite pass
only (tests/conftest.py, SQLITE_MECHANICS): the page is the same whatever database the ledger is in.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1600")


@pytest.fixture
def browser(tmp_path, monkeypatch):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"{' and '.join(missing)} missing: install Debian's chromium and chromium-driver "
                    "(apt-get install -y chromium chromium-driver; scripts/test does it when run as root)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed: pip install -e '.[test]'")
    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium manager never fetches a driver or a browser
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_seed_report_in_chromium(cli, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    cli.run("demo")
    findings = cli.json("report")["findings"]
    page = tmp_path / "report.html"
    cli.run("report", "--format", "html", "-o", str(page))
    browser.get(page.as_uri())
    assert browser.title == "Conflict report"

    sections = browser.find_elements(By.CSS_SELECTOR, "section.finding")
    assert len(sections) == len(findings) == 2
    for section, finding in zip(sections, findings):
        marks = section.find_elements(By.CSS_SELECTOR, "svg .mark[data-claim]")
        expected = ["+".join(map(str, c["parts"])) if c["derived"] else str(c["id"]) for c in finding["claims"]]
        assert [m.get_attribute("data-claim") for m in marks] == expected
        assert all(m.is_displayed() and m.size["height"] > 0 for m in marks)

    # A click on each mark shows its claim's verbatim quote (a derived total: each part's) in that chart's panel.
    for section, finding in zip(sections, findings):
        panel = section.find_element(By.CSS_SELECTOR, ".panel")
        for mark, claim in zip(section.find_elements(By.CSS_SELECTOR, "svg .mark[data-claim]"), finding["claims"]):
            mark.click()
            shown = " ".join(panel.text.split())
            for claim_id in claim.get("parts") or [claim["id"]]:
                quote = cli.json("audit", str(claim_id))["quote"]["text"]
                assert " ".join(quote.split()) in shown, f"claim {claim_id}: its quote is not in the panel"
            assert "selected" in mark.get_attribute("class")

    # The keyboard reaches a mark too: focus, Enter.
    first = sections[0].find_elements(By.CSS_SELECTOR, "svg .mark[data-claim]")[0]
    sections[0].find_elements(By.CSS_SELECTOR, "svg .mark[data-claim]")[1].click()
    first.send_keys(Keys.ENTER)
    quote = cli.json("audit", str(findings[0]["claims"][0]["id"]))["quote"]["text"]
    assert quote in sections[0].find_element(By.CSS_SELECTOR, ".panel").text

    shot = tmp_path / "report.png"
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(shot))
    width, height = png_size(shot)
    assert width >= 1000 and height >= 800 and shot.stat().st_size > 20_000  # a page, not a blank

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors
