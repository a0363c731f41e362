"The exported package is in sync with the notebooks (notebooks are the source)."
import filecmp, shutil, subprocess, sys
from pathlib import Path
from conftest import ROOT, VENV_BIN


def test_export_in_sync(tmp_path):
    shutil.copytree(ROOT / 'nbs', tmp_path / 'nbs')
    shutil.copy(ROOT / 'settings.ini', tmp_path)
    (tmp_path / 'effvit_nb').mkdir()
    p = subprocess.run([str(VENV_BIN / 'nbdev_export')], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    fresh = sorted(f.name for f in (tmp_path / 'effvit_nb').glob('*.py'))
    assert fresh == sorted(f.name for f in (ROOT / 'effvit_nb').glob('*.py'))
    stale = [f for f in fresh if not filecmp.cmp(tmp_path / 'effvit_nb' / f, ROOT / 'effvit_nb' / f, shallow=False)]
    assert not stale, f'effvit_nb/ differs from nbdev_export of nbs/ in {stale}: run nbdev_export and commit'
