"A run killed half way leaves its last checkpoint and its metrics rows intact."
import os, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd
import torch

def test_sigkill_leaves_checkpoint_and_rows(tmp_path):
    out = tmp_path / 'run'
    cmd = [str(Path(sys.executable).parent / 'effvit-train'), '--hours', '0.05', '--dataset', 'synthetic',
           '--evals-per-epoch', '8', '--batch-size', '32', '--out-dir', str(out)]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        t = time.time()
        while time.time() - t < 120:
            if (out / 'metrics.csv').exists() and len((out / 'metrics.csv').read_text().splitlines()) >= 3: break
            time.sleep(0.2)
        os.kill(p.pid, signal.SIGKILL)
    finally:
        p.wait()
    m = pd.read_csv(out / 'metrics.csv')
    assert len(m) >= 2 and m['top1'].notna().all()
    ck = torch.load(out / 'last.pt', weights_only=False)
    assert ck['step'] in set(m['step']) | {0} and 'model' in ck and 'optimizer' in ck  # a row, or the start
    assert not (out / 'summary.json').exists()
