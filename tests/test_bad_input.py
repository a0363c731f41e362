"Bad input fails before training starts, with an error naming the parameter."
import json, time
from pathlib import Path
import pytest
from effvit_nb.trainer import TrainConfig, run
from effvit_nb.data import get_data, check_folder
from conftest import papermill


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
