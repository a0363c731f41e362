import os, sys, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

def fmnist_installed() -> bool:
    from effvit_nb.data import _find_idx_dir, FASHION_MNIST_DIRS
    return _find_idx_dir(FASHION_MNIST_DIRS) is not None

@pytest.fixture(scope='session')
def root(): return ROOT

def papermill(nb_out: Path, params: dict, timeout: int = 600, cwd: Path = ROOT):
    "Run nbs/train.ipynb under papermill (as a user would, from the repo root); returns the CompletedProcess."
    cmd = [str(VENV_BIN / 'papermill'), 'nbs/train.ipynb', str(nb_out), '--no-progress-bar']
    for k, v in params.items(): cmd += ['-p', k, str(v)]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def git_status() -> str | None:
    try: return subprocess.run(['git', 'status', '--porcelain', '--untracked-files=all'], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError): return None

@pytest.fixture(scope='session', autouse=True)
def tests_leave_the_working_tree_as_they_found_it():
    "Tests write only into temporary folders and ignored paths: git status is the same after them as before (a fresh clone stays clean)."
    before = git_status()
    yield
    after = git_status()
    if None not in (before, after) and after != before:
        changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
        pytest.fail(f'the tests changed the working tree (git status): {changed[:20]}')
