"""The reports site and JupyterLab as people use them, driven in headless Chromium (Debian's package, through Playwright):
every page of the offline site loads with its figures and tables and no request leaves the machine; JupyterLab opens
nbs/train.ipynb with the project's kernel. Both save a screenshot: into the test's own folder, or into
$EFFVIT_SCREENSHOTS (`make screenshots` sets it to reports/screenshots/, so `make test` leaves the committed ones alone)."""
import functools, http.server, os, secrets, shutil, socket, subprocess, sys, threading, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = os.environ.get('EFFVIT_SCREENSHOTS')  # None: each test's tmp_path
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--no-first-run', '--disable-quic']


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture(scope='module')
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is missing: setup.sh installs Debian's chromium package (it needs apt and root)"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def test_site_builds_offline_and_every_page_loads_with_its_figures_and_tables(tmp_path, browser):
    from effvit_nb.site import build_site
    from effvit_nb.reproduce import REPORTS, outputs
    site = build_site(tmp_path / 'site')
    port = free_port()
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', port), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f'http://127.0.0.1:{port}/'
    outside, failed = [], []
    page = browser.new_page(viewport=dict(width=1280, height=900))
    page.on('request', lambda r: None if r.url.startswith((base, 'data:', 'blob:', 'about:')) else outside.append(r.url))
    page.on('requestfailed', lambda r: failed.append(r.url))
    try:
        checked = 0
        for r in [None] + [r for r in REPORTS if 'cpu' in r.scales]:
            name = 'index' if r is None else r.name
            resp = page.goto(base + f'{name}.html', wait_until='load')
            assert resp is not None and resp.ok, name
            imgs = page.eval_on_selector_all('article img', 'els => els.map(e => [e.getAttribute("src"), e.complete && e.naturalWidth > 0])')
            assert all(ok for _, ok in imgs), (name, imgs)
            n_tables = page.eval_on_selector_all('article table', 'els => els.length')
            assert '!!!' not in page.inner_text('article'), name  # admonitions render as boxes, not as their source
            if r is None:
                assert n_tables >= 1 and 'Which claims reproduce' in page.inner_text('article')
                page.screenshot(path=str(Path(SHOTS or tmp_path) / 'site_landing.png'), full_page=True)
                page.click('input.md-search__input'); page.keyboard.type('curriculum')  # search runs in the browser, on the site's own index
                page.wait_for_selector('.md-search-result__item', timeout=20000)
                assert page.eval_on_selector_all('.md-search-result__item', 'els => els.length') >= 1
                page.keyboard.press('Escape')
                continue
            outs = [ROOT / a for a in outputs(r, 'cpu')[1:]]
            assert len(imgs) >= sum(o.suffix == '.png' and o.exists() for o in outs), (name, imgs)
            assert n_tables >= sum(o.suffix == '.md' and o.exists() and '|---' in o.read_text() for o in outs), (name, n_tables)
            if (ROOT / outputs(r, 'cpu')[0]).exists():  # the executed notebook behind the page
                assert page.goto(base + f'notebooks/{r.name}.html', wait_until='load').ok
                assert page.eval_on_selector_all('.cell, .jp-Cell', 'els => els.length') > 0, name
            checked += 1
        assert checked == sum('cpu' in r.scales for r in REPORTS)
        from effvit_nb.site import library_notebooks
        for _, module in library_notebooks(ROOT):  # the API reference: a page per module, each function with its signature
            assert page.goto(base + f'api_{module}.html', wait_until='load').ok, module
            assert page.eval_on_selector_all('article h3', 'els => els.length') >= 1, module
        assert page.goto(base + 'notes.html', wait_until='load').ok  # the full notes: nbs/index.ipynb after the README's part
        imgs = page.eval_on_selector_all('article img', 'els => els.map(e => [e.getAttribute("src"), e.complete && e.naturalWidth > 0])')
        assert imgs and all(ok for _, ok in imgs), imgs
        assert 'Results of the main job' in page.inner_text('article') and '| artifact |' not in page.inner_text('article')
        page.goto(base + 'api_models.html', wait_until='load')
        assert 'def create_model(name' in page.inner_text('article') and 'stochastic depth rate' in page.inner_text('article')
    finally:
        srv.shutdown()
    assert not outside, f'requests left the machine: {outside[:10]}'
    assert not failed, f'requests failed: {failed[:10]}'


def test_jupyterlab_opens_the_main_job_with_the_project_kernel(tmp_path, browser):
    port, token = free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).parent / 'jupyter'
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / 'runtime'), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / 'ws'))
    log = open(tmp_path / 'lab.log', 'w')
    lab = subprocess.Popen([str(jupyter), 'lab', '--no-browser', '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}',
                            f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={ROOT}', '--LabApp.news_url=',
                            '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', '--LabApp.extension_manager=readonly']
                           + (['--allow-root'] if os.geteuid() == 0 else []), stdout=log, stderr=log, env=env)
    try:
        url = f'http://127.0.0.1:{port}'
        for _ in range(120):
            try:
                urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=2); break
            except OSError:
                assert lab.poll() is None, (tmp_path / 'lab.log').read_text()[-2000:]
                time.sleep(0.5)
        page = browser.new_page(viewport=dict(width=1400, height=900))
        page.goto(f'{url}/lab/tree/nbs/train.ipynb?token={token}')
        page.wait_for_selector('.jp-NotebookPanel .jp-Cell', timeout=120_000)
        page.wait_for_function("() => [...document.querySelectorAll('.jp-Toolbar-kernelName')].some(e => e.textContent.includes('effvit_nb'))",
                               timeout=120_000)
        page.wait_for_function("() => [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator, .jp-Toolbar-kernelStatus')]"
                               ".some(e => /idle/i.test(e.getAttribute('data-status') || e.getAttribute('title') || ''))", timeout=120_000)
        text = page.inner_text('.jp-NotebookPanel')
        assert 'The main job' in text or 'hours' in text
        page.screenshot(path=str(Path(SHOTS or tmp_path) / 'jupyterlab_train.png'))
    finally:
        lab.terminate()
        try: lab.wait(timeout=20)
        except subprocess.TimeoutExpired: lab.kill()


def test_a_page_with_missing_outputs_shows_a_warning_box(tmp_path):
    "At gpu scale some outputs are not generated yet: their pages say so in an admonition, not in its '!!!' source."
    from effvit_nb.site import build_site
    pages = [p.read_text() for p in build_site(tmp_path / 'site', scale='gpu').glob('*.html')]
    assert any('class="admonition warning"' in p for p in pages) and not any('!!! warning' in p for p in pages)
