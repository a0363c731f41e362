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


def test_package_declares_floors_that_the_environment_meets():
    "pyproject.toml gives ranges (exact pins are requirements.txt's), every import of the package is declared, and the installed versions meet the floors."
    import re, tomllib
    from importlib.metadata import version
    from packaging.requirements import Requirement
    root = Path(__file__).resolve().parents[1]
    deps = [Requirement(d) for d in tomllib.loads((root / 'pyproject.toml').read_text())['project']['dependencies']]
    assert not [str(d) for d in deps if '==' in str(d.specifier)], 'exact pins belong in requirements.txt'
    for d in deps: assert d.specifier.contains(version(d.name)), (str(d), version(d.name))
    imported = {m for f in (root / 'effvit_nb').glob('*.py') for m in re.findall(r'^\s*(?:import|from) (\w+)', f.read_text(), re.M)}
    third_party = imported - set(sys.stdlib_module_names) - {'effvit_nb', '__future__'}
    names = {'PIL': 'pillow', 'yaml': 'pyyaml'}
    optional = {'fastcore', 'mkdocs', 'playwright', 'papermill', 'nbformat', 'nbclient', 'IPython', 'simplejpeg', 'nbconvert'}  # tools of the notebooks, site and tests (requirements.txt)
    undeclared = {m for m in third_party - optional if names.get(m, m) not in {d.name for d in deps}}
    assert not undeclared, undeclared
    assert (root / 'effvit_nb' / 'py.typed').exists()
