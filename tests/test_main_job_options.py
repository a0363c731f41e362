"""The main job's tuning options beyond the seeds, through the command line on a JPEG folder made here: the convolutional
stem (`--stem conv`) trains through the size curriculum with its FLOPs counted at every stage size and its snapshots
loadable by the analyses; Muon (`--optimizer muon`) trains, and a run killed with SIGKILL resumes to the same evaluations;
settings these options cannot take are refused before any work, with the reason."""
import json, signal, subprocess, sys, time
from pathlib import Path
from conftest import kill_then_resume
import pandas as pd
import torch
from effvit_nb.folders import make_image_folder
from effvit_nb.models import create_model
from effvit_nb.cost import model_spec, forward_flops, counted_forward_flops

CMD = [str(Path(sys.executable).parent / 'effvit-train')]


def test_a_vit_with_the_conv_stem_trains_with_the_curriculum_and_counts_its_flops(tmp_path):
    folder = make_image_folder(tmp_path / 'jpegs', n_train=24, n_val=8, classes=4, size=(40, 40), fmt='jpg')  # 96 / 32 images
    out = tmp_path / 'run'
    r = subprocess.run(CMD + ['--model', 'effvit_cpu', '--stem', 'conv', '--plan', 'curriculum', '--dataset', str(folder), '--epochs', '3',
                              '--batch-size', '16', '--img-size', '32', '--out-dir', str(out), '--snapshots', '3'], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((out / 'summary.json').read_text())
    assert s['config']['stem'] == 'conv'
    sizes = [st['img_size'] for st in s['plan']['stages']]
    assert len(sizes) > 1 and sizes[-1] == 32 and s['steps'] == 18, (sizes, s['steps'])
    m = create_model('effvit_cpu', num_classes=4, in_chans=3, img_size=32, stem='conv', mlp_ratio=2.0)
    spec = model_spec(m)
    assert spec['stem_px_macs'] > 0 and all(forward_flops(spec, z) == counted_forward_flops(m, z) for z in sizes)
    from effvit_nb.analysis import load_snapshot  # the analyses rebuild the model with its stem from a snapshot
    model, _ = load_snapshot(next((out / 'snapshots').glob('*.pt')))
    assert isinstance(model.patch_embed.proj, torch.nn.Sequential) and model(torch.zeros(1, 3, 32, 32)).shape == (1, 4)


def test_a_killed_muon_run_resumes_to_the_same_evaluations(tmp_path):
    folder = make_image_folder(tmp_path / 'jpegs', n_train=16, n_val=4, classes=4, size=(32, 32), fmt='jpg')  # 64 / 16 images
    args = ['--model', 'deit_cpu', '--optimizer', 'muon', '--plan', 'curriculum', '--dataset', str(folder), '--epochs', '12', '--batch-size', '16',
            '--seed', '3', '--evals-per-epoch', '1', '--img-size', '32']
    ref = tmp_path / 'ref'
    r = subprocess.run(CMD + args + ['--out-dir', str(ref)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    run = tmp_path / 'killed'
    r = kill_then_resume(CMD + args, run, evals=4)  # killed after 4 evaluations, then resumed
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = (json.loads((d / 'summary.json').read_text()) for d in (ref, run))
    assert a['config']['optimizer'] == 'muon' and (a['steps'], a['top1'], a['gflops']) == (b['steps'], b['top1'], b['gflops'])
    ma, mb = (pd.read_csv(d / 'metrics.csv') for d in (ref, run))
    assert ma[['step', 'top1', 'train_loss']].equals(mb[['step', 'top1', 'train_loss']])  # every evaluation the same
    losses = ma.train_loss.dropna()  # (the final evaluation's row has no training loss)
    assert losses.iloc[-1] < losses.iloc[0]  # and it learns


def test_settings_the_options_cannot_take_are_refused(tmp_path):
    for extra, says in ((['--model', 'deit_cpu', '--stem', 'conv', '--patch', '7'], 'power of 2'),
                        (['--model', 'deit_cpu', '--stem', 'hybrid'], "stem='hybrid'"),
                        (['--model', 'deit_cpu', '--optimizer', 'muon', '--plan', 'budgeted', '--gflops', '10'], "optimizer='muon'"),
                        (['--model', 'resnet_cpu', '--optimizer', 'muon', '--plan', 'fixed'], "optimizer='muon'"),
                        (['--model', 'deit_cpu', '--optimizer', 'sgd'], "optimizer='sgd'")):
        r = subprocess.run(CMD + extra + ['--dataset', 'synthetic', '--out-dir', str(tmp_path / 'r')], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and says in r.stderr, (extra, r.returncode, r.stderr[-500:])
        assert not (tmp_path / 'r').exists()
