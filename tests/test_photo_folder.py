"""A folder of photos with every default: the final size keeps the cpu model's token grid in its range (16 x 16
patches of 4, not 56 x 56 at 224 px), the run prints what its budget will buy before the first step and records it
beside what it did, a short run takes many steps, and an explicit img_size still wins."""
import json, subprocess, sys
from pathlib import Path
from effvit_nb.folders import make_image_folder

CMD = [str(Path(sys.executable).parent / 'effvit-train')]


def test_a_photo_folder_trains_on_the_models_grid_and_says_what_the_budget_buys(tmp_path):
    folder = make_image_folder(tmp_path / 'photos', n_train=100, n_val=20, classes=3, size=(500, 375), fmt='jpg')  # 300 / 60 photos
    out = tmp_path / 'run'
    r = subprocess.run(CMD + ['--dataset', str(folder), '--hours', '0.015', '--out-dir', str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((out / 'summary.json').read_text())
    sizes = [st['img_size'] for st in s['plan']['stages']]
    assert s['final_eval_size'] == 64 and sizes[0] == 16 and sizes[-1] == 64, sizes  # patch 4: from 4 x 4 to 16 x 16 tokens
    assert 'forecast (hours budget' in r.stdout and '\ntotal: ' in r.stdout, r.stdout[-3000:]  # printed before training
    assert r.stdout.index('forecast (hours budget') < r.stdout.index('"top1"')
    fc = s['forecast']
    assert [st['img_size'] for st in fc['stages']] == sizes and fc['steps'] > 0 and fc['unit'] == 'hours', fc
    assert s['steps'] >= 20, s['steps']  # 54 s of training (at 224 px with a patch of 4 the defaults took 1 step in 3 minutes)


def test_an_explicit_img_size_wins_over_the_photo_default(tmp_path):
    folder = make_image_folder(tmp_path / 'photos', n_train=30, n_val=5, classes=3, size=(500, 375), fmt='jpg')
    out = tmp_path / 'run'
    r = subprocess.run(CMD + ['--dataset', str(folder), '--img-size', '32', '--epochs', '1', '--batch-size', '30', '--plan', 'fixed',
                              '--out-dir', str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((out / 'summary.json').read_text())
    assert s['final_eval_size'] == 32 and s['steps'] == 3 and s['forecast']['steps'] == 3, (s['final_eval_size'], s['steps'], s['forecast'])
