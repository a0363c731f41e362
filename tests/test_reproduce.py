"`python -m effvit_nb.reproduce`: a failing notebook is reported at the end with a non-zero exit; a bad name is refused."
import subprocess, sys
from conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, '-m', 'effvit_nb.reproduce', *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_a_failing_notebook_is_reported_and_the_exit_is_non_zero():
    p = run('--scale', 'smoke', '--only', 'autoprog', '--force', '--dataset', '/no/such/folder')
    assert p.returncode == 1, p.stderr[-2000:]
    assert 'FAILED' in p.stdout and "['autoprog']" in p.stderr
    assert ("'/no/such/folder'" in p.stdout and 'does not exist' in p.stdout) or 'neither a known name' in p.stdout, p.stdout[-2000:]  # the reason, naming the folder
    table = (ROOT / 'reports' / 'smoke' / 'reproduce.md').read_text()
    assert '| autoprog | FAILED |' in table and 'nbs/tab_autoprog.ipynb' in table


def test_unknown_names_are_refused_before_anything_runs():
    p = run('--scale', 'cpu', '--only', 'table1')
    assert p.returncode == 2 and 'unknown report' in p.stderr and 'budgeted' in p.stderr
