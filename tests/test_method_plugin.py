"""A new method in one place: a toy method in a module of its own (its options, its plan, and the one registry line
`METHODS = {'toy': ToyMethod}`), named in $EFFVIT_NB_METHODS, trains through the command line, resumes exactly after
SIGKILL, is listed by --help under its plan, refuses to lend its option to another plan, and appears in the train
notebook's parameters cell as `make export` writes it. Nothing outside its module is edited."""
import json, os, subprocess, sys, shutil
from pathlib import Path
from conftest import ROOT, VENV_BIN
from test_resume import CMD, finish, rows, same_weights, sigkill_when, last_ckpt

TOY = '''
from dataclasses import dataclass
from effvit_nb.methods import Method
from effvit_nb.plans import Plan, Stage


@dataclass
class ToyOptions:
    "Options of the toy method."
    toy_warm: float = 0.5  # share of the budget trained at half the final size

    def check_options(self):
        if not 0 < self.toy_warm < 1: raise ValueError(f'toy_warm={self.toy_warm!r} must be in (0, 1)')


class ToyMethod(Method):
    "Half the final size for the first toy_warm of the budget, then the final size."
    name, options = 'toy', (ToyOptions,)

    def plan(self, final, spec, n_train):
        half = max(spec['patch'], final // 2 // spec['patch'] * spec['patch'])
        return Plan((Stage(0.0, half), Stage(self.cfg.toy_warm, final)), 'budget', 'toy')


METHODS = {'toy': ToyMethod}  # the registry line
'''

ARGS = ['--hours', '0.5', '--epochs', '1.0', '--dataset', 'synthetic', '--model', 'deit_cpu', '--batch-size', '32', '--evals-per-epoch', '8',
        '--plan', 'toy', '--toy-warm', '0.5', '--ckpt-minutes', '0.005', '--seed', '3']


def plug_in(tmp_path: Path, monkeypatch) -> Path:
    "The toy module in a folder of its own, on the path of every process started from here, and named as a plug-in."
    mods = tmp_path / 'mods'
    mods.mkdir()
    (mods / 'toy_method.py').write_text(TOY)
    monkeypatch.setenv('PYTHONPATH', os.pathsep.join(p for p in (str(mods), os.environ.get('PYTHONPATH', '')) if p))
    monkeypatch.setenv('EFFVIT_NB_METHODS', 'toy_method')
    return mods


def test_a_method_in_its_own_module_is_listed_and_owns_its_option(tmp_path, monkeypatch):
    plug_in(tmp_path, monkeypatch)
    h = subprocess.run(CMD + ['--help'], capture_output=True, text=True, timeout=120)
    assert h.returncode == 0, h.stderr[-2000:]
    assert 'options of plan toy (ToyOptions' in h.stdout and '--toy-warm' in h.stdout.split('options of plan toy')[1], h.stdout[-2000:]
    r = subprocess.run(CMD + ['--plan', 'fixed', '--toy-warm', '0.3', '--dataset', 'synthetic', '--hours', '0.001'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "toy_warm=0.3 is an option of plan 'toy'" in r.stderr, r.stderr[-2000:]
    r = subprocess.run(CMD + ['--plan', 'toy', '--toy-warm', '1.5', '--dataset', 'synthetic', '--hours', '0.001'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and 'toy_warm=1.5 must be in (0, 1)' in r.stderr, r.stderr[-2000:]  # its own check runs


def test_a_method_in_its_own_module_trains_and_resumes_exactly(tmp_path, monkeypatch):
    plug_in(tmp_path, monkeypatch)
    ref, cut = tmp_path / 'uninterrupted', tmp_path / 'killed'
    finish(ref, resume=False, args=ARGS)
    a, s = rows(ref), json.loads((ref / 'summary.json').read_text())
    assert s['config']['plan'] == 'toy' and s['semantics'] == 0 and s['steps'] == 64, s  # 2048 synthetic images, batches of 32, 1 epoch
    assert list(a['img_size'].unique()) == [12, 28] and list(a['stage'].unique()) == [0, 1], a  # half the size, then the final size
    sigkill_when(cut, ARGS, lambda: last_ckpt(cut).get('step', 0) >= 40, 'the run ended before step 40 (in its second stage)')
    finish(cut, resume=True, args=ARGS)
    b = rows(cut)
    assert list(a['step']) == list(b['step']) and (a['top1'] == b['top1']).all() and (a['gflops'] == b['gflops']).all()
    same_weights(ref, cut)


def test_a_method_in_its_own_module_is_a_parameter_of_the_train_notebook(tmp_path, monkeypatch):
    plug_in(tmp_path, monkeypatch)
    nb = tmp_path / 'train.ipynb'
    shutil.copy(ROOT / 'nbs' / 'train.ipynb', nb)
    w = subprocess.run([sys.executable, '-c', 'import sys; from effvit_nb.config import write_parameters; print(write_parameters(sys.argv[1]))', str(nb)],
                       capture_output=True, text=True, timeout=120)
    assert w.returncode == 0 and w.stdout.strip() == 'True', w.stderr[-2000:]  # the committed cell has no toy option; the registry adds it
    h = subprocess.run([str(VENV_BIN / 'papermill'), '--help-notebook', str(nb)], capture_output=True, text=True, timeout=120)
    assert 'toy_warm: float (default 0.5)' in h.stdout, h.stdout[-3000:]
    out = tmp_path / 'nbrun'
    r = subprocess.run([str(VENV_BIN / 'papermill'), str(nb), str(tmp_path / 'out.ipynb'), '--no-progress-bar', '-p', 'plan', 'toy', '-p', 'toy_warm', '0.25',
                        '-p', 'dataset', 'synthetic', '-p', 'model', 'deit_cpu', '-p', 'epochs', '0.25', '-p', 'batch_size', '32', '-p', 'out_dir', str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    s = json.loads((out / 'summary.json').read_text())
    assert s['config']['plan'] == 'toy' and s['config']['toy_warm'] == 0.25 and s['plan']['stages'][1]['start'] == 0.25, s['plan']


def test_the_places_a_builtin_plan_must_appear_follow_the_registry():
    "What cannot be derived is held to the registry: every built-in plan is in the README's plan table and has a torchrun case (fixed: the folder case)."
    from effvit_nb.config import BUILTIN_METHODS
    from test_ddp import PLANS
    table = (ROOT / 'README.md').read_text().split('The `plan` parameter chooses the method:', 1)[1].split('\n\n', 2)[1]
    for plan in BUILTIN_METHODS: assert f'`{plan}`' in table, (plan, table)
    assert set(BUILTIN_METHODS) - {'fixed'} == set(PLANS)
