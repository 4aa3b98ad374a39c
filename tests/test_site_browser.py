"""The dashboard site in real headless Chromium (Debian's chromium + chromedriver, Selenium).

Every page loads from file:// with no console error and no request outside the site, the charts
render (trace counts, non-blank screenshots), and hostile document text does not execute.
Skips with a reason when chromium or chromedriver is absent.
"""

import json
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from dashboards.demo import demo_tables
from dashboards.site import build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(demo_tables(4, 8, hostile=True), out, generated_for="browser test")
    return out


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium/chromedriver not installed "
                    "(apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    try:
        drv = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    except Exception as exc:  # noqa: BLE001 - a broken browser install is a skip, not a failure
        pytest.skip(f"chromium did not start: {exc}")
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


def _open(driver, path: Path, fragment: str = "") -> None:
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri() + fragment)
    driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const t0 = Date.now();
        (function wait() {
          const plots = document.querySelectorAll('.plot');
          const ok = Array.from(plots).every(d => d.getAttribute('data-rendered') === '1');
          if ((document.readyState === 'complete' && ok) || Date.now() - t0 > 20000) done(ok);
          else setTimeout(wait, 50);
        })();"""
    )


def _problems(driver, site: Path) -> list[str]:
    """SEVERE console entries and any request that leaves the site folder."""
    out = [f"console: {e['message']}" for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    root = str(site.resolve())
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    urls += driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension", "devtools"):
            continue  # inline data and the browser's own pages (its start page), not network
        if parts.scheme != "file" or not unquote(parts.path).startswith(root):
            out.append(f"request outside the site: {url}")
    return out


def _traces(driver) -> dict[str, int]:
    return driver.execute_script(
        """const out = {};
        document.querySelectorAll('.plot').forEach(d => { out[d.id] = (d.data || []).length; });
        return out;""")


def _non_blank(driver, element_id: str) -> tuple[int, float]:
    """(distinct colours, share of non-white pixels) of a screenshot of one element."""
    png = driver.find_element("id", element_id).screenshot_as_base64
    return tuple(driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const img = new Image();
        img.onload = () => {
          const c = document.createElement('canvas');
          c.width = img.width; c.height = img.height;
          const g = c.getContext('2d'); g.drawImage(img, 0, 0);
          const px = g.getImageData(0, 0, c.width, c.height).data;
          const seen = new Set(); let ink = 0, n = 0;
          for (let i = 0; i < px.length; i += 16) {
            seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]); n++;
            if (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240) ink++;
          }
          done([seen.size, ink / n]);
        };
        img.onerror = () => done([0, 0]);
        img.src = 'data:image/png;base64,' + arguments[0];""", png))


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html")) + sorted(site.glob("country/*.html")) + sorted(
        site.glob("doc/*.html"))[:6]


def test_every_page_loads_offline_without_errors(driver, site: Path) -> None:
    problems = {}
    for p in _pages(site):
        _open(driver, p)
        found = _problems(driver, site)
        if driver.execute_script("return typeof window.__pwned") != "undefined":
            found.append("hostile payload executed")
        if found:
            problems[str(p.relative_to(site))] = found
    assert problems == {}


def test_overview_charts_render(driver, site: Path) -> None:
    _open(driver, site / "index.html")
    assert _traces(driver) == {"fig-map": 1, "fig-changes": 1, "fig-heatmap": 1}
    # the map drew country shapes from the bundled topojson
    n_paths = driver.execute_script(
        "return document.querySelectorAll('#fig-map .choroplethlocation').length")
    assert n_paths == 4
    for fig in ("fig-map", "fig-heatmap"):
        colours, ink = _non_blank(driver, fig)
        assert colours > 10 and ink > 0.02, fig
    assert _problems(driver, site) == []
    # a click on a country of the map opens its page
    driver.execute_script(
        """const d = document.getElementById('fig-map');
        d.emit('plotly_click', {points: [{curveNumber: 0, pointNumber: 1,
                                          customdata: d.data[0].customdata[1]}]});""")
    assert driver.current_url.endswith("/country/BRA.html")


def test_country_chart_and_two_clicks_to_the_sentence(driver, site: Path) -> None:
    _open(driver, site / "country" / "KGZ.html")
    assert _traces(driver) == {"fig-country": 12}
    colours, ink = _non_blank(driver, "fig-country")
    assert colours > 10 and ink > 0.05
    # click 1: an event marker of the falling line opens the sentence in its document
    url = driver.execute_script(
        """const d = document.getElementById('fig-country');
        const t = d.data.find(t => t.name === 'Expression events');
        return t.customdata[t.customdata.length - 1];""")
    assert url.startswith("../doc/") and "#s" in url
    driver.execute_script(
        """const d = document.getElementById('fig-country');
        const i = d.data.findIndex(t => t.name === 'Expression events');
        const t = d.data[i];
        d.emit('plotly_click', {points: [{curveNumber: i, pointNumber: t.x.length - 1,
                                          customdata: t.customdata[t.x.length - 1]}]});""")
    driver.implicitly_wait(0)
    anchor = url.split("#", 1)[1]
    for _ in range(100):
        if driver.current_url.endswith("#" + anchor):
            break
        driver.execute_script("return 0")
    assert "/doc/" in driver.current_url
    mark = driver.find_element("id", anchor)
    assert mark.tag_name == "mark"
    assert "onerror" in mark.text  # the hostile sentence shows as text ...
    assert driver.execute_script("return typeof window.__pwned") == "undefined"  # ... inert
    assert driver.find_elements("css selector", ".doctext img") == []


def test_falling_line_to_its_sentences_in_two_clicks(driver, site: Path) -> None:
    """Click 1: the last point of the falling expression line opens that quarter's events;
    click 2: an event's source link opens its sentence, marked, in the document."""
    _open(driver, site / "country" / "KGZ.html")
    driver.execute_script(
        """const d = document.getElementById('fig-country');
        const i = d.data.findIndex(t => t.name === 'Expression');
        const t = d.data[i], n = t.x.length - 1;
        d.emit('plotly_click', {points: [{curveNumber: i, pointNumber: n,
                                          customdata: t.customdata[n]}]});""")
    assert driver.current_url.endswith("#p-2018Q4")
    section = driver.find_element("id", "p-2018Q4")
    source = section.find_element(
        "xpath", "following::table[1]//a[starts-with(@href, '../doc/')]")
    anchor = source.get_attribute("href").split("#", 1)[1]
    source.click()
    assert "/doc/" in driver.current_url and driver.current_url.endswith("#" + anchor)
    assert driver.find_element("id", anchor).tag_name == "mark"
    assert driver.execute_script("return typeof window.__pwned") == "undefined"


def test_hostile_payloads_show_as_text(driver, site: Path) -> None:
    for page in ("country/KGZ.html", "quality.html", "index.html"):
        _open(driver, site / page)
        assert driver.execute_script("return typeof window.__pwned") == "undefined", page
        assert driver.find_elements("css selector", "main img") == [], page
        assert driver.execute_script("return document.scripts.length") == len(
            driver.find_elements("css selector", "script[src], script[type='application/json']"))
    _open(driver, site / "country" / "KGZ.html")
    body = driver.find_element("tag name", "main").text
    assert "<script>window.__pwned=1</script>" in body  # the title, shown literally


def test_compare_page_draws_the_chosen_countries(driver, site: Path) -> None:
    _open(driver, site / "compare.html", "#c=KGZ,BLR&f=assembly")
    assert _traces(driver) == {"fig-compare": 2}
    names = driver.execute_script(
        "return document.getElementById('fig-compare').data.map(t => t.name)")
    assert names == ["Belarus", "Kyrgyzstan"]  # in the order of the list
    assert driver.find_element("id", "cmp-freedom").get_attribute("value") == "assembly"
    driver.execute_script(
        """const s = document.getElementById('cmp-countries');
        for (const o of s.options) o.selected = ['KEN', 'BRA', 'KGZ'].includes(o.value);
        s.dispatchEvent(new Event('change'));""")
    assert _traces(driver) == {"fig-compare": 3}
    rows = driver.find_elements("css selector", "#cmp-table tbody tr")
    assert len(rows) == 3
    # Kenya's (hostile) name shows as text in the legend and the table, and never runs
    legend = driver.execute_script(
        "return document.querySelector('#fig-compare .legend').textContent")
    assert "<img src=x onerror=window.__pwned=6>" in legend
    assert "<img src=x onerror=window.__pwned=6>" in rows[1].text
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert _problems(driver, site) == []


def test_the_checks_see_a_leak_and_a_payload(driver, tmp_path: Path) -> None:
    """The two detectors above are not blind: an outside request and a running script show."""
    leak = tmp_path / "leak.html"
    leak.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png" alt="">'
                    "<script>window.__pwned = 1;</script></body></html>", encoding="utf-8")
    _open(driver, leak)
    assert any("request outside the site: http://127.0.0.1:9/x.png" in p
               for p in _problems(driver, tmp_path))
    assert driver.execute_script("return typeof window.__pwned") == "number"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """``CIVICSPACE_SITE`` when set (any site built elsewhere), else the site of a pipeline run
    on the embedded sample, built here through Dagster."""
    env = os.environ.get("CIVICSPACE_SITE")
    if env:
        return Path(env).resolve()
    import dagster as dg

    from orchestration.runner import run_pipeline
    from orchestration.settings import SAMPLE_INBOX, Settings

    out = tmp_path_factory.mktemp("sample-site")
    settings = Settings(inbox=SAMPLE_INBOX, warehouse=out / "warehouse.duckdb", site=out / "site",
                        max_bytes=20_000_000, webhook_url=None)
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_pipeline(settings, instance=instance).success
    return settings.site.resolve()


def test_a_built_site_loads(driver, built_site: Path) -> None:
    """A site the pipeline built: the overview, compare, every country page and a sample of
    documents load cleanly from file:// and draw their charts."""
    site = built_site
    pages = (sorted(site.glob("*.html")) + sorted(site.glob("country/*.html"))
             + sorted(site.glob("doc/*.html"))[::50])
    problems, traces = {}, {}
    for p in pages:
        _open(driver, p)
        found = _problems(driver, site)
        if driver.execute_script("return typeof window.__pwned") != "undefined":
            found.append("a payload executed")
        t = _traces(driver)
        if any(n == 0 for k, n in t.items() if k != "fig-compare"):
            found.append(f"empty chart: {t}")
        if found:
            problems[str(p.relative_to(site))] = found
        traces[p.name] = t
    assert problems == {}
    assert traces["index.html"] == {"fig-map": 1, "fig-changes": 1, "fig-heatmap": 1}


def test_the_page_policy_blocks_inline_script(driver, site: Path) -> None:
    """Defence in depth: even markup that escaped escaping could not run a script."""
    from dashboards.render import page

    probe = site / "csp-probe.html"
    probe.write_text(page("index", "probe", "<script>window.__pwned = 7;</script>",
                          plots=False), encoding="utf-8")
    try:
        driver.get(probe.as_uri())
        assert driver.execute_script("return typeof window.__pwned") == "undefined"
    finally:
        probe.unlink()
        driver.get_log("browser")  # the expected CSP report is not a page error
