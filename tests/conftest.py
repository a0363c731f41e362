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

def queue_running() -> bool:
    "A study queue writing into reports/runs now (effvit_nb.studyqueue's lock file of a live process)."
    from effvit_nb.studyqueue import queue_running as running
    return running(ROOT / 'reports' / 'runs')

QUEUE_PATHS = 'reports/runs/'  # what a running study queue may change while the tests run

@pytest.fixture(scope='session', autouse=True)
def tests_leave_the_working_tree_as_they_found_it():
    """Tests write only into temporary folders and ignored paths: git status is the same after them as before (a fresh clone stays clean).
    While a study queue runs beside the suite, its run folders (reports/runs/) may change under it: those paths are left out, everything else is checked."""
    before, queue_before = git_status(), queue_running()
    yield
    after, queue = git_status(), queue_before or queue_running()
    if None not in (before, after) and after != before:
        changed = sorted(set(after.splitlines()) ^ set(before.splitlines()))
        if queue: changed = [c for c in changed if not c[3:].strip('"').startswith(QUEUE_PATHS)]
        if changed: pytest.fail(f'the tests changed the working tree (git status): {changed[:20]}')


def kill_then_resume(cmd: list, out, evals: int, timeout: int = 600):
    "Start `cmd` into `out`, SIGKILL it once `evals` evaluations are written (each writes last.pt), then resume it with `--resume auto`; the resumed run's process result."
    import signal, time
    p = subprocess.Popen(cmd + ['--out-dir', str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t = time.time()
    rows = lambda: len((out / 'metrics.csv').read_text().splitlines()) if (out / 'metrics.csv').exists() else 0
    while rows() < evals + 1 and p.poll() is None and time.time() - t < 300: time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    assert not (out / 'summary.json').exists() and (out / 'last.pt').exists(), 'the run ended before the kill: give it more epochs'
    return subprocess.run(cmd + ['--out-dir', str(out), '--resume', 'auto'], capture_output=True, text=True, timeout=timeout)
