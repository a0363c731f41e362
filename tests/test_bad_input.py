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
    (dict(batch_size=0), 'batch_size'), (dict(schedule='step'), 'cosine'), (dict(curriculum='yes'), 'curriculum'),
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
