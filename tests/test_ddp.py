"""Scale-out: `torchrun --nproc_per_node 2` (gloo on CPU) trains the same run as one process with the same global batch:
the ranks agree on the budget and the schedule (they stop at the same step), and only rank 0 writes files."""
import json, os, socket, subprocess, sys
from pathlib import Path
import pandas as pd

ARGS = ['--hours', '0.5', '--gflops', '300', '--dataset', 'synthetic', '--model', 'deit_cpu', '--batch-size', '32',
        '--evals-per-epoch', '4', '--plan', 'budgeted', '--seed', '1']
PY = [sys.executable, '-c', 'from effvit_nb.trainer import main; main()']


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def test_two_gloo_processes_train_what_one_process_trains(tmp_path):
    one, two = tmp_path / 'one', tmp_path / 'two'
    p1 = subprocess.run(PY + ARGS + ['--out-dir', str(one)], capture_output=True, text=True, timeout=600)
    assert p1.returncode == 0, p1.stderr[-2000:]
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    p2 = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_addr', '127.0.0.1',
                         '--master_port', str(free_port()), '--no-python', *PY, *ARGS, '--out-dir', str(two)],
                        capture_output=True, text=True, timeout=600, env=env)
    assert p2.returncode == 0, p2.stderr[-3000:]
    s1, s2 = (json.loads((d / 'summary.json').read_text()) for d in (one, two))
    assert (s1['steps'], s1['images_seen'], s1['stage_epochs']) == (s2['steps'], s2['images_seen'], s2['stage_epochs'])
    assert abs(s1['gflops'] - s2['gflops']) < 1e-6 and s2['stopped_by'] == 'gflops'
    assert 'rank 1 of 2: steps ' + str(s2['steps']) in p2.stderr, p2.stderr[-2000:]  # rank 1 stopped at the same step
    m1, m2 = pd.read_csv(one / 'metrics.csv'), pd.read_csv(two / 'metrics.csv')
    assert list(m1.step) == list(m2.step) and m2.step.is_unique  # one writer: no row twice
    assert abs(s1['top1'] - s2['top1']) < 2.0, (s1['top1'], s2['top1'])  # the same training up to float reduction order
    assert p2.stdout.count('"top1"') == 1  # only rank 0 reports
