"""Real image folders, as a user brings them: generated here (tiny), trained with the defaults or the DeiT recipe,
killed and resumed inside a stage whose images are decoded at the stage's size, and every recipe parameter's bad
value refused with a message naming it."""
import json, subprocess, sys, time
from pathlib import Path
import pandas as pd
import pytest
import torch
from conftest import papermill
from effvit_nb.folders import make_image_folder
from effvit_nb.trainer import TrainConfig

CMD = [str(Path(sys.executable).parent / 'effvit-train')]  # the console script, so the exit status is what a shell sees


def summary(out: Path) -> dict: return json.loads((out / 'summary.json').read_text())


def test_small_png_folder_trains_with_the_defaults(tmp_path):
    "Grey, RGB, RGBA and palette PNGs of 30x34 px and one unreadable file: no parameter but the folder, a short budget."
    root = make_image_folder(tmp_path / 'pngs', n_train=120, n_val=30, classes=4, size=(30, 34), modes=('RGB', 'L', 'RGBA', 'P'))
    (root / 'train' / 'class1' / 'torn.png').write_bytes(b'not a png')
    p = papermill(tmp_path / 'out.ipynb', dict(dataset=root, hours=0.01, out_dir=tmp_path / 'run'))
    assert p.returncode == 0, p.stderr[-3000:]
    s = summary(tmp_path / 'run')
    assert s['data']['loader'] == 'memory' and 'in memory' in s['data']['reason']
    assert s['final_eval_size'] == 32 and s['data']['in_chans'] == 3  # 30 px rounded to the cpu model's patch of 4
    assert [Path(f).name for f in s['skipped_images']] == ['torn.png']
    sizes = [st['img_size'] for st in s['plan']['stages']]
    assert sizes[0] == 16 and sizes[-1] == 32, sizes  # the derived curriculum: 16 -> 32 in steps of the patch
    assert s['config']['curriculum_start'] == 16 and s['config']['curriculum_step'] == 4  # recorded as derived
    assert s['top1'] > 50, s['top1']  # four classes: chance is 25 %


def test_jpeg_folder_at_224_with_the_deit_recipe_through_the_notebook(tmp_path):
    "ImageNet-like JPEGs, effvit_small, the curriculum and every part of the DeiT recipe, for a few steps."
    root = make_image_folder(tmp_path / 'jpgs', n_train=8, n_val=2, classes=2, size=(500, 375), fmt='jpg')
    recipe = dict(auto_augment='rand-m9-mstd0.5-inc1', re_prob=0.25, mixup=0.8, cutmix=1.0, repeated_aug=3, label_smoothing=0.1,
                  drop_path=0.1, interpolation='bicubic')
    p = papermill(tmp_path / 'out.ipynb', dict(dataset=root, model='effvit_small', batch_size=4, epochs=4.0, hours=0.1, workers=2,
                                               out_dir=tmp_path / 'run', **recipe))
    assert p.returncode == 0, p.stderr[-3000:]
    s = summary(tmp_path / 'run')
    assert s['data']['loader'] == 'stream' and s['final_eval_size'] == 224
    assert all(s['config'][k] == v for k, v in recipe.items())
    m = pd.read_csv(tmp_path / 'run' / 'metrics.csv')
    assert s['steps'] == 16 and m['img_size'].iloc[0] < 224 and m['eval_size'].iloc[-1] == 224  # 4 epochs of 4 steps, the curriculum under way
    assert s['stopped_by'] == 'epochs'


ARGS = ['--hours', '0.3', '--epochs', '3', '--model', 'effvit_cpu', '--batch-size', '8', '--evals-per-epoch', '2',
        '--ckpt-minutes', '0.002', '--workers', '2', '--loader', 'stream', '--seed', '1']


def run_cli(out: Path, data: Path, resume: bool = False) -> subprocess.Popen:
    return subprocess.Popen(CMD + ARGS + ['--dataset', str(data), '--out-dir', str(out)] + (['--resume'] if resume else []),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_streamed_folder_killed_inside_a_stage_resumes_to_the_same_run(tmp_path):
    "A streamed JPEG folder (two workers), SIGKILL once a later (stage-size decode) stage has a checkpoint, resumed by the same command: bit-identical."
    root = make_image_folder(tmp_path / 'jpgs', n_train=24, n_val=6, classes=2, size=(96, 72), fmt='jpg')
    ref, cut = tmp_path / 'ref', tmp_path / 'cut'
    p = run_cli(ref, root); o, e = p.communicate(timeout=300)
    assert p.returncode == 0, e[-2000:]
    a, stages = pd.read_csv(ref / 'metrics.csv'), summary(ref)['plan']['stages']
    assert len(stages) >= 3 and a['img_size'].nunique() >= 3, stages
    p, t = run_cli(cut, root), time.time()
    def stage():
        try: return torch.load(cut / 'last.pt', weights_only=False)['stage']
        except Exception: return -1
    while p.poll() is None and time.time() - t < 300 and not 1 <= stage() < len(stages) - 1: time.sleep(0.05)
    assert p.poll() is None, 'the run ended before a middle stage was checkpointed'
    p.kill(); p.wait()
    killed_at = torch.load(cut / 'last.pt', weights_only=False)['step']
    p = run_cli(cut, root, resume=True); o, e = p.communicate(timeout=300)
    assert p.returncode == 0, e[-2000:]
    b = pd.read_csv(cut / 'metrics.csv')
    assert killed_at < summary(cut)['steps']
    for k in ('step', 'stage', 'img_size', 'eval_size'): assert list(a[k]) == list(b[k]), k
    assert summary(cut)['steps'] == summary(ref)['steps'] and summary(cut)['data']['loader'] == 'stream'
    assert list(a['top1']) == list(b['top1'])  # every crop and flip comes from its sample's key: the same run, whatever the workers did
    ma, mb = (torch.load(d / 'last.pt', weights_only=False)['model'] for d in (ref, cut))
    assert all(torch.equal(ma[k], mb[k]) for k in ma), 'weights differ after resume'


BAD = dict(loader='gpu', workers=-3, prefetch=0, interpolation='nearest', rrc_scale=1.5, auto_augment='rand-m9-bogus',
           re_prob=-0.1, mixup=-1.0, cutmix=-0.5, repeated_aug=0, label_smoothing=True)


@pytest.mark.parametrize('key', sorted(BAD))
def test_each_bad_recipe_value_is_refused_naming_it(key):
    with pytest.raises(ValueError, match=f'{key}='): TrainConfig(dataset='synthetic', **{key: BAD[key]})
