"""The README gets a newcomer started: it is short, it is what `make readme` writes from nbs/index.ipynb, its tables come
from the committed results, and every command in it is one a test runs (the real ones take hours; the tests run them with
tiny parameters). Its Python block runs here as it is written."""
import re, subprocess, sys
from pathlib import Path
from conftest import ROOT

README = (ROOT / 'README.md').read_text()
# every command the README shows -> the test that runs it (or that form of it)
EXERCISED = {
    'bash setup.sh && mkdir -p runs && .venv/bin/papermill nbs/train.ipynb': 'test_train_notebook.py (papermill on nbs/train.ipynb; CI runs setup.sh)',
    'make test': '.ci/run',
    'make site': 'test_site.py (build_site, every page in a browser)',
    'make queue': 'test_queue.py (the queue command on smoke runs: killed, continued, a fresh clone)',
    '.venv/bin/papermill nbs/train.ipynb out.ipynb': 'test_train_notebook.py, test_folders.py (-p dataset FOLDER)',
    '.venv/bin/effvit-train --help': 'test_bad_input.py::test_command_line_help_exit_codes_and_config_file',
    '.venv/bin/effvit-train --hours': 'test_ddp.py, test_resume.py (the console script)',
    '.venv/bin/effvit-train --config': 'test_bad_input.py::test_command_line_help_exit_codes_and_config_file',
    'torchrun --nproc_per_node': 'test_ddp.py (torch.distributed.run, 2 gloo processes, --resume auto in test_resume.py)',
    '--dataset /data/imagenet': 'test_folders.py (a JPEG folder with the DeiT recipe)',
    '.venv/bin/nbdev_export && .venv/bin/nbdev_clean && make test': 'test_export.py (export in sync) and .ci/run',
}


def commands(md: str) -> list[str]:
    "The command lines of the README's bash blocks (continuations joined, comments dropped)."
    out = []
    for block in re.findall(r'```bash\n(.*?)```', md, re.S):
        for line in block.replace('\\\n', ' ').splitlines():
            line = line.split('  #')[0].strip()
            if line: out.append(line)
    return out


def test_readme_is_short_and_generated_from_the_index_notebook(tmp_path):
    assert len(README.splitlines()) <= 150, len(README.splitlines())
    p = subprocess.run([sys.executable, str(ROOT / 'tools' / 'nb2readme.py'), str(ROOT / 'nbs' / 'index.ipynb'), str(tmp_path / 'README.md')],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / 'README.md').read_text() == README, 'README.md is stale: run make readme'
    assert '| 2 cores, curriculum | `effvit_cpu`' in README and '| pair, seed 0, 1 thread each |' in README and ('**reproduced**' in README or '**not reproduced**' in README)  # the generated tables


def test_every_readme_command_is_one_a_test_runs():
    cmds = commands(README)
    assert len(cmds) >= 8
    unknown = [c for c in cmds if not any(c.startswith(k) or k in c for k in EXERCISED)]
    assert not unknown, f'README commands no test exercises: {unknown}'


def test_the_readme_python_block_runs_as_written(tmp_path):
    block = re.findall(r'```python\n(.*?)```', README, re.S)
    assert block
    p = subprocess.run([sys.executable, '-c', block[0]], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    assert re.search(r'top-1 [\d.]+% after [\d.]+ epochs; plan: \[16, 20, 24, 28\] px', p.stdout), p.stdout


def test_the_readme_main_job_writes_where_git_does_not_look():
    for f in ('runs/train_effvit_cpu.ipynb', 'runs/effvit_cpu-default/metrics.csv', 'runs/effvit_cpu-default/last.pt'):
        assert subprocess.run(['git', 'check-ignore', '-q', f], cwd=ROOT).returncode == 0, f
