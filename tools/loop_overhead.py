"""Seconds per training step of the trainer at a git revision against the working tree, interleaved (ref, here, ref, here, ...)
so both see the same machine. Each round is one epoch-budgeted run (the same steps on any machine) of every case; the
per-step time is the run's wall time over its steps, evaluations and checkpoints included. Usage:
  python tools/loop_overhead.py REF [--rounds 4] [--threads 2]
REF's package is checked out into a temporary git worktree (spellings before the method registry are translated)."""
import argparse, json, os, statistics, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ['--hours', '0.5', '--dataset', 'synthetic', '--batch-size', '64', '--evals-per-epoch', '1', '--epochs', '4', '--seed', '0']  # 128 steps, 4 small evaluations
CASES = {'curriculum': ['--model', 'effvit_cpu', '--plan', 'curriculum', '--curriculum-unit', 'epoch', '--curriculum-every', '1'],
         'budgeted': ['--model', 'deit_cpu', '--plan', 'budgeted']}
OLD = {'curriculum': ['--curriculum'], 'budgeted': ['--no-curriculum', '--budgeted']}

def one(tree: Path, name: str, old: bool, threads: int) -> float:
    a = CASES[name]
    if old: i = a.index('--plan'); a = a[:i] + a[i + 2:] + OLD[name]
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, 'PYTHONPATH': str(tree), 'OMP_NUM_THREADS': str(threads)}
        p = subprocess.run([sys.executable, '-c', f'import torch; torch.set_num_threads({threads}); from effvit_nb.trainer import main; main()'] + BASE + a + ['--out-dir', d],
                           capture_output=True, text=True, env=env, cwd=tree)
        if p.returncode: raise SystemExit(f'{name} at {tree} failed: {p.stderr[-2000:]}')
        s = json.loads((Path(d) / 'summary.json').read_text())
        return s['hours'] * 3600 / s['steps']

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('ref'); ap.add_argument('--rounds', type=int, default=4); ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    wt = Path(tempfile.mkdtemp(prefix='loop-ref-')) / 'tree'
    subprocess.run(['git', 'worktree', 'add', '-q', '--detach', str(wt), a.ref], cwd=ROOT, check=True)
    try:
        res = {(n, w): [] for n in CASES for w in ('ref', 'here')}
        for r in range(a.rounds):
            for n in CASES:
                for w, tree in (('ref', wt), ('here', ROOT)) if r % 2 == 0 else (('here', ROOT), ('ref', wt)):
                    res[n, w].append(one(tree, n, w == 'ref', a.threads))
            print(f'round {r + 1}: ' + ', '.join(f'{n} {w} {v[-1] * 1e3:.1f} ms' for (n, w), v in res.items()), flush=True)
        for n in CASES:
            ref, here = statistics.median(res[n, 'ref']), statistics.median(res[n, 'here'])
            spread = max(res[n, 'ref'] + res[n, 'here']) / min(res[n, 'ref'] + res[n, 'here'])
            print(f'{n}: ref {a.ref} {ref * 1e3:.2f} ms/step, here {here * 1e3:.2f} ms/step, here/ref {here / ref:.3f} '
                  f'(medians of {a.rounds}; all runs within a factor {spread:.3f})')
    finally:
        subprocess.run(['git', 'worktree', 'remove', '--force', str(wt)], cwd=ROOT)
