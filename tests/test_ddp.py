"""Scale-out: `torchrun --nproc_per_node 2` (gloo on CPU) trains the same run as one process with the same global batch,
for every plan: the ranks agree on the budget, the schedule and every choice (they stop at the same step), each loads
only its half of every batch and of the test set, and only rank 0 writes files."""
import json, os, re, socket, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest

TRAIN = str(Path(sys.executable).parent / 'effvit-train')  # the console script: its exit status is what a shell or scheduler sees
BASE = ['--hours', '0.5', '--dataset', 'synthetic', '--model', 'deit_cpu', '--batch-size', '32', '--evals-per-epoch', '4', '--seed', '1']
PLANS = {  # each plan at a GFLOPs budget (the same steps on any machine) that reaches its later stages
    'curriculum': ['--plan', 'curriculum', '--gflops', '150'],
    'budgeted': ['--plan', 'budgeted', '--gflops', '300'],
    'progressive': ['--plan', 'progressive', '--gflops', '150'],  # shallower stages skip blocks: DDP must find the unused parameters
    'autoprog': ['--plan', 'autoprog', '--gflops', '150', '--search-cost', 'flops'],  # scored by counted FLOPs: the same choice as one process
    'curriculum_growth': ['--plan', 'curriculum_growth', '--gflops', '300'],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def one(args: list, out: Path) -> dict:
    p = subprocess.run([TRAIN, *args, '--out-dir', str(out)], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads((out / 'summary.json').read_text())


def two(args: list, out: Path) -> tuple[dict, dict, subprocess.CompletedProcess]:
    "Rank 0's summary.json, rank 1's own account of its run (its stderr line), and the process."
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    p = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_addr', '127.0.0.1',
                        '--master_port', str(free_port()), '--no-python', TRAIN, *args, '--out-dir', str(out)],
                       capture_output=True, text=True, timeout=600, env=env)
    assert p.returncode == 0, p.stderr[-3000:]
    m = re.search(r'effvit-train rank 1 of 2: (\{.*\})', p.stderr)
    assert m, p.stderr[-2000:]
    return json.loads((out / 'summary.json').read_text()), json.loads(m.group(1)), p


@pytest.mark.parametrize('plan', list(PLANS))
def test_two_gloo_processes_train_what_one_process_trains(plan, tmp_path):
    args = BASE + PLANS[plan]
    s1 = one(args, tmp_path / 'one')
    s2, r1, p2 = two(args, tmp_path / 'two')
    same = ('steps', 'images_seen', 'stage_epochs', 'final_structure')
    assert [s1[k] for k in same] == [s2[k] for k in same] == [r1[k] for k in same]
    assert abs(s1['gflops'] - s2['gflops']) < 1e-6 and s2['stopped_by'] == 'gflops' and r1['gflops'] == s2['gflops']
    assert s1['plan']['stages'] == s2['plan']['stages']  # (AutoProg: the chosen sizes and depths)
    if plan == 'autoprog': assert s1['searches'] and [(a['size'], a['depth']) for a in s2['searches']] == [(a['size'], a['depth']) for a in r1['searches']]
    m1, m2 = pd.read_csv(tmp_path / 'one' / 'metrics.csv'), pd.read_csv(tmp_path / 'two' / 'metrics.csv')
    assert list(m1.step) == list(m2.step) and m2.step.is_unique  # the same evaluations; one writer, no row twice
    assert abs(s1['top1'] - s2['top1']) < 2.0, (s1['top1'], s2['top1'])  # the same training up to float reduction order
    # each rank loaded its half of every batch: together the images of one process, once
    assert s2['data_loaded']['train'] + r1['data_loaded']['train'] == s1['data_loaded']['train'] and s2['data_loaded']['train'] == r1['data_loaded']['train']
    assert p2.stdout.count('"top1"') == 1  # only rank 0 reports


def test_autoprog_timed_search_picks_the_same_candidate_on_every_rank(tmp_path):
    "Scored by measured step time (the paper's default), each rank times its own steps: the ranks agree on the times first."
    s, r1, _ = two(BASE + ['--plan', 'autoprog', '--gflops', '150'], tmp_path / 'two')
    assert s['searches'] and [(a['size'], a['depth'], a['candidates']) for a in s['searches']] == [(a['size'], a['depth'], a['candidates']) for a in r1['searches']]
    assert (s['steps'], s['final_structure']) == (r1['steps'], r1['final_structure'])


def test_each_rank_decodes_half_of_a_streamed_folder(tmp_path):
    "A JPEG folder streamed by workers: each rank's workers decode only its rows of each batch and its half of the validation split."
    from effvit_nb.folders import make_image_folder
    data = make_image_folder(tmp_path / 'jpgs', n_train=16, n_val=6, size=(40, 30), fmt='jpg')
    args = ['--hours', '0.5', '--dataset', str(data), '--model', 'deit_cpu', '--img-size', '32', '--loader', 'stream', '--workers', '1',
            '--plan', 'fixed', '--epochs', '2', '--batch-size', '8', '--evals-per-epoch', '1', '--seed', '1']
    s1 = one(args, tmp_path / 'one')
    s2, r1, _ = two(args, tmp_path / 'two')
    assert s1['steps'] == s2['steps'] == r1['steps'] == 8 and s2['data']['loader'] == 'stream'
    assert s1['data_loaded']['train'] == 64  # 2 epochs of 32 images
    assert s2['data_loaded']['train'] == r1['data_loaded']['train'] == 32  # each rank decoded half
    assert s2['data_loaded']['eval'] < s1['data_loaded']['eval'] and r1['data_loaded']['eval'] == s2['data_loaded']['eval']
