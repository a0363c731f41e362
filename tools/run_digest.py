"""Digest of deterministic runs (epoch / GFLOPs budgets on synthetic data): a hash of the final weights and the metrics rows
of each plan, so a refactor of the trainer can be checked to change no number. Usage:
  python tools/run_digest.py OUT.json            # runs every case, writes {case: digest}
  python tools/run_digest.py OUT.json --compare REF.json"""
import hashlib, json, subprocess, sys, tempfile
from pathlib import Path
import pandas as pd, torch

BASE = ['--hours', '0.5', '--dataset', 'synthetic', '--batch-size', '32', '--evals-per-epoch', '4', '--seed', '3']
CASES = {  # name -> arguments (new spelling, with --plan; OLD gives the spelling before the method registry)
    'fixed': ['--epochs', '0.5', '--model', 'deit_cpu', '--plan', 'fixed'],
    'curriculum': ['--epochs', '1.0', '--model', 'effvit_cpu', '--plan', 'curriculum', '--curriculum-every', '0.25'],
    'curriculum_defaults': ['--epochs', '1.0', '--model', 'effvit_cpu', '--plan', 'curriculum'],  # the main job's curriculum options, derived since issue 16
    'budgeted': ['--gflops', '300', '--model', 'effvit_cpu', '--plan', 'budgeted', '--growth-init', 'noise', '--ema', '0.9'],
    'progressive': ['--epochs', '1.0', '--model', 'deit_cpu', '--plan', 'progressive', '--mogrow-ema', '0.9'],
    'autoprog': ['--epochs', '2.0', '--model', 'deit_cpu', '--plan', 'autoprog', '--search-cost', 'flops', '--search-frac', '0.5',
                 '--search-probe', '1', '--mogrow-ema', '0.9'],
}
OLD = {'fixed': ['--no-curriculum'], 'curriculum': ['--curriculum'], 'curriculum_defaults': ['--curriculum'], 'budgeted': ['--no-curriculum', '--budgeted'],
       'progressive': ['--no-curriculum', '--autoprog', 'manual'], 'autoprog': ['--no-curriculum', '--autoprog', 'auto']}

def args(name: str, old: bool) -> list:
    a = CASES[name]
    if not old: return a
    i = a.index('--plan')
    return a[:i] + a[i + 2:] + OLD[name]

def digest(out: Path) -> dict:
    sd = torch.load(out / 'last.pt', weights_only=False)['model']
    h = hashlib.sha256()
    for k in sorted(sd): h.update(k.encode()); h.update(sd[k].float().numpy().tobytes())
    m = pd.read_csv(out / 'metrics.csv')
    s = json.loads((out / 'summary.json').read_text())
    return dict(weights=h.hexdigest()[:16], steps=s['steps'], top1=list(m['top1']), stage=list(m['stage']), gflops=round(s['gflops'], 6))

if __name__ == '__main__':
    old = '--old' in sys.argv
    res = {}
    for name in CASES:
        with tempfile.TemporaryDirectory() as d:
            cmd = [sys.executable, '-c', 'import sys; from effvit_nb.trainer import main; r = main(); sys.exit(r if isinstance(r, int) else 0)'] + BASE + args(name, old) + ['--out-dir', d]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode: print(name, 'FAILED', p.stderr[-3000:]); res[name] = None; continue
            res[name] = digest(Path(d)); print(name, res[name], flush=True)
    Path(sys.argv[1]).write_text(json.dumps(res, indent=1))
    if '--compare' in sys.argv:
        ref = json.loads(Path(sys.argv[sys.argv.index('--compare') + 1]).read_text())
        bad = [k for k in CASES if ref.get(k) != res.get(k)]
        print('identical to the reference' if not bad else f'DIFFERENT: {bad}'); sys.exit(1 if bad else 0)
