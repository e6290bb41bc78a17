"""The book (mkdocs.yml) builds in fast mode and reads well in a real browser, headless Chromium.

The site is built once per session into a temporary folder (``mkdocs build --strict``: any warning
fails it), served by a local ``http.server`` thread, and Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium) visits the home page, a lesson, the API reference and
the benchmarks page. On each page: every image has loaded (a non-zero natural width), the browser
logged no error, every link into the site resolves to one of its files, and on the lesson the
math has been typeset by MathJax. Screenshots land in the session's temporary folder
(``book-screenshots``) for a person to look at.

Skips, with the reason, without mkdocs (``pip install -e ".[docs]"``), Selenium or Chromium
(``apt-get install chromium chromium-driver``).
"""
import functools
import http.server
import importlib
import importlib.util
import inspect
import os
import pathlib
import shutil
import subprocess
import sys
import re
import threading
import urllib.parse

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
PAGES = {                       # what the browser visits, and what each page must show
    "home": "",
    "lesson": "lessons/01_scalar_autograd/",
    "api": "api/minitorch.nn/",
    "benchmarks": "benchmarks/",
}
MIN_IMAGES = {"home": 0, "lesson": 5, "api": 0, "benchmarks": 2}   # lesson 1: two plots, three graph drawings


def _missing():
    """Why the browser test cannot run here, or None."""
    for module, install in (("mkdocs", 'pip install -e ".[docs]"'), ("mkdocs_jupyter", 'pip install -e ".[docs]"'),
                            ("selenium", 'pip install -e ".[docs]"')):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed ({install})"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which("chromedriver"):
        return "Chromium and its driver are not installed (apt-get install chromium chromium-driver)"
    return None


# the first page waits for the build: the lessons run in fast mode, a few minutes on two cores
pytestmark = [pytest.mark.skipif(_missing() is not None, reason=_missing() or ""), pytest.mark.timeout(1200)]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The book built in fast mode (strict: a warning fails the build), served on a local port.
    $MINITORCH_BOOK_SITE names a site that CI has just built the same way (.ci/run): then that one
    is served instead of building it a second time."""
    built = os.environ.get("MINITORCH_BOOK_SITE")
    if built and (pathlib.Path(built) / "index.html").is_file():
        site_dir = pathlib.Path(built)
    else:
        site_dir = tmp_path_factory.mktemp("book") / "site"
        env = dict(os.environ, MINITORCH_BOOK_FULL="0")
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
        assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr[-6000:]}"
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site_dir, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site without logging each request to stderr."""

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium that records the console's messages."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    """The folder the screenshots go to."""
    return tmp_path_factory.mktemp("book-screenshots")


def _site_file(site_dir, url, base):
    """The file of the site that an internal ``url`` names (None for an outside link)."""
    if not url.startswith(base):
        return None
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    target = site_dir / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


@pytest.mark.parametrize("page", list(PAGES))
def test_page_reads_well_in_chromium(page, site, browser, screenshots):
    from selenium.webdriver.support.ui import WebDriverWait

    site_dir, base = site
    browser.get(base + PAGES[page])
    browser.get_log("browser")                     # start from an empty log for this page
    browser.refresh()
    WebDriverWait(browser, 30).until(lambda b: b.execute_script(
        "return document.readyState === 'complete' && "
        "Array.from(document.images).every(i => i.complete)"))
    if page == "lesson":                           # MathJax typesets after the page has loaded
        WebDriverWait(browser, 60).until(lambda b: b.execute_script(
            "return window.MathJax !== undefined && MathJax.Hub !== undefined && "
            "MathJax.Hub.queue.pending === 0 && document.querySelectorAll('.MathJax, .MathJax_Display').length > 0"))
    browser.save_screenshot(str(screenshots / f"{page}.png"))

    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.currentSrc || i.src, i.naturalWidth])")
    broken = [src for src, width in images if not width]
    assert not broken, f"{page}: images that did not load: {broken}"
    assert len(images) >= MIN_IMAGES[page], f"{page}: {len(images)} images, expected {MIN_IMAGES[page]}+"
    if images:                                     # and one with the page's first figure in view
        browser.execute_script("document.querySelector('article img').scrollIntoView()")
        browser.save_screenshot(str(screenshots / f"{page}-figure.png"))

    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert not errors, f"{page}: console errors: {errors}"

    links = browser.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    missing = sorted({url for url in links if (target := _site_file(site_dir, url, base)) and not target.is_file()})
    assert not missing, f"{page}: links to files the site does not have: {missing}"

    if page == "lesson":
        typeset = browser.execute_script("return document.querySelectorAll('.MathJax, .MathJax_Display').length")
        raw = browser.execute_script(
            "return Array.from(document.querySelectorAll('.jp-MarkdownCell')).filter("
            "c => /\\$[^$\\s][^$]*\\$/.test(c.innerText)).length")
        assert typeset > 20 and raw == 0, f"lesson: {typeset} formulas typeset, {raw} cells with raw $...$ left"


def _runtime_object(path):
    """The object that the reference's ``path`` (``minitorch.nn.ZeroPad2d``) names."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        return functools.reduce(getattr, parts[split:], module)
    raise AssertionError(f"{path}: no such object")


def test_the_api_reference_shows_classes_and_functions_as_such(site):
    """A factory-made class or function (``ZeroPad2d``, ``FloatTensor``, ``max_pool2d_with_indices``)
    is a class or function in the reference, with its docstring, not a module attribute showing
    the source expression that made it; an alias (``concat = cat``) says what it names."""
    site_dir, _ = site
    heading = re.compile(r'<h2 id="([^"]+)" class="doc doc-heading">(.*?)</h2>'
                         r'\s*<div class="doc doc-contents ">(.*?)</div>', re.S)
    attributes = {}
    for page in sorted((site_dir / "api").glob("*/index.html")):
        for path, title, contents in heading.findall(page.read_text(encoding="utf-8")):
            if "doc-label-module-attribute" in title:
                attributes[path] = contents
    assert "minitorch.pi" in attributes, "the reference lost its module attributes"
    made = [path for path in attributes if (inspect.isclass(value := _runtime_object(path))
                                            or inspect.isfunction(value)) and value.__name__ == path.rsplit(".", 1)[1]]
    assert not made, f"classes or functions shown as module attributes: {made}"
    assert "Another name for <code>cat</code>" in attributes["minitorch.concat"]
