"""The CNN baseline of the main job (resnet_cpu, from timm's ResNet parts) trains through the same trainer and command line as
the ViTs: on a JPEG folder made here, with the size curriculum, its GFLOPs counted at every stage size, a kill and resume that
changes nothing; a plan that grows a ViT's structure is refused before any work, with the reason."""
import json, signal, subprocess, sys, time
import pandas as pd
from pathlib import Path
from conftest import kill_then_resume
from effvit_nb.folders import make_image_folder
from effvit_nb.models import create_model
from effvit_nb.cost import model_spec, forward_flops, counted_forward_flops

CMD = [str(Path(sys.executable).parent / 'effvit-train')]


def test_resnet_cpu_trains_with_the_curriculum_and_counts_its_flops(tmp_path):
    folder = make_image_folder(tmp_path / 'jpegs', n_train=24, n_val=8, classes=4, size=(40, 40), fmt='jpg')  # 96 / 32 images
    out = tmp_path / 'run'
    r = subprocess.run(CMD + ['--model', 'resnet_cpu', '--plan', 'curriculum', '--dataset', str(folder), '--epochs', '3', '--batch-size', '16',
                              '--img-size', '32', '--out-dir', str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((out / 'summary.json').read_text())
    sizes = [st['img_size'] for st in s['plan']['stages']]
    assert len(sizes) > 1 and sizes[-1] == 32 and all(z % 4 == 0 for z in sizes), sizes  # multiples of its total stride
    assert s['final_eval_size'] == 32 and s['steps'] == 18, (s['final_eval_size'], s['steps'])  # 96 / 16 a epoch, 3 epochs
    spec = model_spec(create_model('resnet_cpu', num_classes=4, in_chans=3, img_size=32))
    m = create_model('resnet_cpu', num_classes=4, in_chans=3, img_size=32)
    assert all(forward_flops(spec, z) == counted_forward_flops(m, z) for z in sizes)
    assert s['gflops'] > 0 and 0 <= s['top1'] <= 100


def test_a_killed_resnet_run_resumes_to_the_same_weights(tmp_path):
    folder = make_image_folder(tmp_path / 'jpegs', n_train=16, n_val=4, classes=4, size=(32, 32), fmt='jpg')  # 64 / 16 images
    args = ['--model', 'resnet_cpu', '--plan', 'fixed', '--dataset', str(folder), '--epochs', '12', '--batch-size', '16', '--seed', '3',
            '--evals-per-epoch', '1']
    ref = tmp_path / 'ref'
    r = subprocess.run(CMD + args + ['--out-dir', str(ref)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    run = tmp_path / 'killed'
    r = kill_then_resume(CMD + args, run, evals=3)  # killed after 3 evaluations, then resumed
    assert r.returncode == 0, r.stderr[-3000:]
    a, b = (json.loads((d / 'summary.json').read_text()) for d in (ref, run))
    assert (a['steps'], a['top1'], a['gflops']) == (b['steps'], b['top1'], b['gflops'])
    ma, mb = (pd.read_csv(d / 'metrics.csv') for d in (ref, run))
    assert ma[['step', 'top1', 'train_loss']].equals(mb[['step', 'top1', 'train_loss']])  # every evaluation the same


def test_plans_that_grow_a_vits_structure_are_refused_for_the_cnn(tmp_path):
    for plan in ('budgeted', 'progressive', 'autoprog', 'curriculum_growth'):
        r = subprocess.run(CMD + ['--model', 'resnet_cpu', '--plan', plan, '--dataset', 'synthetic', '--out-dir', str(tmp_path / plan)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and "choose plan='fixed' or 'curriculum'" in r.stderr, (plan, r.returncode, r.stderr[-500:])
        assert not (tmp_path / plan).exists()
    for k, v in (('--patch', '2'), ('--mlp-ratio', '4'), ('--act', 'gelu'), ('--stem', 'conv')):  # ViT options
        r = subprocess.run(CMD + ['--model', 'resnet_cpu', k, v, '--dataset', 'synthetic'], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and 'is a CNN, it has no' in r.stderr, (k, r.stderr[-500:])
