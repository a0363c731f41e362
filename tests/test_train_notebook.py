"End to end: the main job under papermill, on a tiny budget, as a user runs it."
import json, time
from pathlib import Path
import pandas as pd
import pytest
import torch
from conftest import papermill, fmnist_installed

HOURS = 0.02  # 72 s


@pytest.fixture(scope='module')
def tiny_run(tmp_path_factory):
    d = tmp_path_factory.mktemp('train')
    ds = 'fashion-mnist' if fmnist_installed() else 'synthetic'
    t = time.perf_counter()
    p = papermill(d / 'out.ipynb', dict(hours=HOURS, dataset=ds, out_dir=d / 'run'))
    wall = time.perf_counter() - t
    assert p.returncode == 0, p.stderr[-3000:]
    return d, ds, wall


def test_outputs(tiny_run):
    d, ds, _ = tiny_run
    s = json.loads((d / 'run' / 'summary.json').read_text())
    for k in ('top1', 'top5', 'hours', 'epochs', 'images_seen'): assert k in s, k
    assert 0 <= s['top1'] <= s['top5'] <= 100
    assert s['images_seen'] > 0 and s['epochs'] > 0
    assert s['config']['plan'] == 'curriculum' and s['plan']['name'] == 'curriculum'
    assert s['provenance']['torch'] == torch.__version__
    m = pd.read_csv(d / 'run' / 'metrics.csv')
    assert {'hours', 'epoch', 'img_size', 'lr', 'train_loss', 'top1'} <= set(m.columns)
    assert len(m) >= 1 and bool(m['final'].iloc[-1]) and m['top1'].iloc[-1] == s['top1']
    assert m['hours'].is_monotonic_increasing
    ck = torch.load(d / 'run' / 'last.pt', weights_only=False)
    assert ck['step'] == s['steps'] and 'optimizer' in ck and 'rng' in ck
    assert (d / 'run' / 'accuracy.png').stat().st_size > 1000
    nb = json.loads((d / 'out.ipynb').read_text())
    text = json.dumps(nb['cells'][-1]['outputs'])
    assert 'top-1' in text


def test_learns(tiny_run):
    d, ds, _ = tiny_run
    s = json.loads((d / 'run' / 'summary.json').read_text())
    # 72 s on two cores is well past chance (10%) on either source; the 10-minute default is in reports/
    assert s['top1'] > 50, s['top1']


def test_within_budget(tiny_run):
    d, ds, wall = tiny_run
    s = json.loads((d / 'run' / 'summary.json').read_text())
    assert s['hours'] <= HOURS * 1.10, f"run used {s['hours'] * 3600:.1f} s of a {HOURS * 3600:.0f} s budget"
    # the budget should be used, not abandoned early
    assert s['hours'] >= HOURS * 0.8, s['hours']
    # the papermill process adds kernel start-up and imports on top of the budgeted run
    assert wall <= HOURS * 3600 * 1.10 + 30, wall
