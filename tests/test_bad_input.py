"Bad input fails before training starts, with an error naming the parameter."
import json, subprocess, sys, time
from pathlib import Path
import pytest
from effvit_nb.trainer import TrainConfig, run
from effvit_nb.data import check_folder
from effvit_nb.sources import get_data
from conftest import papermill, ROOT


@pytest.mark.parametrize('kw,msg', [
    (dict(hours='abc'), "hours='abc'"), (dict(hours=0), 'hours=0'), (dict(hours=-2.0), 'hours=-2.0'),
    (dict(dataset='imagenet-99'), 'fashion-mnist'), (dict(model='vit_giant'), 'effvit_cpu'),
    (dict(batch_size=0), 'batch_size'), (dict(schedule='step'), 'cosine'), (dict(plan='yes'), 'plan'), (dict(flip='yes'), 'flip'),
])
def test_config_errors(kw, msg):
    with pytest.raises(ValueError, match=msg.replace('(', r'\(')): TrainConfig(**kw)


def test_size_not_multiple_of_patch(tmp_path):
    with pytest.raises(ValueError, match='multiple of the patch size 4'):
        run(TrainConfig(hours=0.01, dataset='synthetic', img_size=30, out_dir=str(tmp_path)), progress=False)
    with pytest.raises(ValueError, match='multiple of the patch size 4'):
        run(TrainConfig(hours=0.01, dataset='synthetic', curriculum_start=14, out_dir=str(tmp_path)), progress=False)
    assert not (tmp_path / 'metrics.csv').exists()  # nothing trained


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'): get_data(str(tmp_path / 'nope'))
    with pytest.raises(FileNotFoundError, match='no train/'): get_data(str(tmp_path))
    (tmp_path / 'train' / 'a').mkdir(parents=True); (tmp_path / 'val' / 'a').mkdir(parents=True)
    with pytest.raises(ValueError, match='is empty'): check_folder(tmp_path)


def test_papermill_bad_hours(tmp_path):
    t = time.perf_counter()
    p = papermill(tmp_path / 'out.ipynb', dict(hours='abc', dataset='synthetic', out_dir=tmp_path / 'run'), timeout=120)
    assert p.returncode != 0
    assert "hours='abc'" in p.stderr and 'must be a float' in p.stderr, p.stderr[-2000:]
    assert not (tmp_path / 'run').exists()
    assert time.perf_counter() - t < 60


def _folder(root: Path, classes=('cat', 'dog'), n: int = 4):
    from PIL import Image
    for split in ('train', 'val'):
        for c in classes:
            (root / split / c).mkdir(parents=True, exist_ok=True)
            for i in range(n): Image.new('RGB', (24, 24), (40 * i, 60 * (c == 'dog'), 0)).save(root / split / c / f'{i}.png')


def test_folder_layout_errors(tmp_path):
    _folder(tmp_path / 'noval'); import shutil; shutil.rmtree(tmp_path / 'noval' / 'val')
    with pytest.raises(FileNotFoundError, match='no val/'): check_folder(tmp_path / 'noval')
    _folder(tmp_path / 'differ'); (tmp_path / 'differ' / 'val' / 'bird').mkdir(); (tmp_path / 'differ' / 'val' / 'bird' / 'x.png').write_bytes(b'')
    with pytest.raises(ValueError, match='differ between train/ and val/.*bird'): check_folder(tmp_path / 'differ')
    _folder(tmp_path / 'notes'); (tmp_path / 'notes' / 'train' / 'cat' / 'readme.txt').write_text('hi')
    with pytest.raises(ValueError, match='not images.*readme.txt'): check_folder(tmp_path / 'notes')
    with pytest.raises(ValueError, match='dataset='): TrainConfig(dataset=str(tmp_path / 'nothing-here'))


def test_corrupt_images_are_skipped_and_counted(tmp_path):
    _folder(tmp_path / 'd', n=8)
    (tmp_path / 'd' / 'train' / 'cat' / 'torn.png').write_bytes(b'\x89PNG not really')
    res = run(TrainConfig(hours=1 / 60, epochs=1.0, dataset=str(tmp_path / 'd'), model='deit_cpu', plan='fixed', img_size=32,
                          batch_size=4, out_dir=str(tmp_path / 'run')), progress=False)
    s = json.loads((tmp_path / 'run' / 'summary.json').read_text())
    assert s['skipped_images'] == [str(tmp_path / 'd' / 'train' / 'cat' / 'torn.png')] and res.steps >= 1


def test_nonfinite_option_is_checked():
    with pytest.raises(ValueError, match="nonfinite='ignore'"): TrainConfig(nonfinite='ignore')


def test_gpu_check_refuses_on_a_machine_without_cuda():
    import torch
    if torch.cuda.is_available(): pytest.skip('this machine has a GPU: make gpu-check runs there')
    p = subprocess.run(['make', 'gpu-check'], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode != 0 and 'gpu-check needs a CUDA GPU' in p.stderr and 'torch.cuda.is_available() is False' in p.stderr, p.stderr[-2000:]


def test_gpu_check_script_runs_every_part_at_toy_scale(tmp_path):
    "--smoke: the same script on the CPU at toy sizes, so a GPU machine's first run is not also the script's first run."
    p = subprocess.run([sys.executable, str(ROOT / 'tools' / 'gpu_check.py'), '--smoke', '--out', str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    md, res = (tmp_path / 'bench_gpu_check.md').read_text(), json.loads((tmp_path / 'bench_gpu_check.json').read_text())
    assert '| deit_cpu | 28 | no |' in md and 'bound by' in md and 'its budget' in md and res['run']['steps'] > 0
    assert {v['bound'] for v in res['verdicts']} <= {'loader', 'model'} and len(res['loader']) == 2


TRAIN = str(Path(sys.executable).parent / 'effvit-train')


def test_command_line_help_exit_codes_and_config_file(tmp_path):
    h = subprocess.run([TRAIN, '--help'], capture_output=True, text=True, timeout=120)
    assert h.returncode == 0 and 'wall-clock budget for the whole run' in h.stdout and 'exit status: 0' in h.stdout  # each flag says what it is
    bad = subprocess.run([TRAIN, '--hours', '-1'], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and 'hours=-1.0 must be > 0' in bad.stderr, bad.stderr[-1000:]
    from effvit_nb.trainer import config_from_args
    f = tmp_path / 'run.yaml'; f.write_text('model: deit_cpu\nplan: budgeted\ngflops: 300\nseed: 4\nresume: auto\n')
    cfg = config_from_args(['--config', str(f), '--seed', '5'])
    assert (cfg.model, cfg.plan, cfg.gflops, cfg.seed, cfg.resume) == ('deit_cpu', 'budgeted', 300, 5, 'auto')  # the flag over the file
    f.write_text('modle: deit_cpu\n')
    p = subprocess.run([TRAIN, '--config', str(f)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "unknown parameters ['modle']" in p.stderr, p.stderr[-1000:]
