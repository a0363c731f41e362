"""Nothing lost: a run killed at random points (SIGKILL) or stopped by SIGTERM and resumed ends exactly where an
uninterrupted run ends. The runs use an epoch budget (hours only as a cap) so that the learning rate and the
curriculum follow epochs, not the clock: with a wall-clock budget two uninterrupted runs already differ."""
import os, random, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd
import torch

ARGS = ['--hours', '0.5', '--epochs', '1.5', '--dataset', 'synthetic', '--model', 'effvit_cpu', '--batch-size', '32',
        '--evals-per-epoch', '4', '--plan', 'curriculum', '--curriculum-every', '0.25', '--ckpt-minutes', '0.005', '--seed', '3']
CMD = [str(Path(sys.executable).parent / 'effvit-train')]  # the console script, so the exit status is what a shell sees


BUDGETED = ['--hours', '0.5', '--gflops', '600', '--dataset', 'synthetic', '--model', 'effvit_cpu', '--batch-size', '32',
            '--evals-per-epoch', '8', '--plan', 'budgeted', '--ckpt-minutes', '0.005', '--seed', '3']


def start(out: Path, resume: bool | str = False, args: list = ARGS) -> subprocess.Popen:
    flags = ['--resume'] if resume is True else ['--resume', 'auto'] if resume == 'auto' else []
    return subprocess.Popen(CMD + args + ['--out-dir', str(out)] + flags,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(cond, p: subprocess.Popen, timeout: float = 120):
    t = time.time()
    while time.time() - t < timeout and p.poll() is None:
        if cond(): return True
        time.sleep(0.05)
    return False


def rows(out: Path) -> pd.DataFrame:
    f = out / 'metrics.csv'
    return pd.read_csv(f) if f.exists() and f.stat().st_size else pd.DataFrame(columns=['step', 'img_size'])


def finish(out: Path, resume: bool, args: list = ARGS) -> subprocess.CompletedProcess:
    p = start(out, resume, args); o, e = p.communicate(timeout=300)
    assert p.returncode == 0, e[-2000:]
    return subprocess.CompletedProcess(p.args, p.returncode, o, e)


def same_weights(a: Path, b: Path):
    ma, mb = (torch.load(d / 'last.pt', weights_only=False)['model'] for d in (a, b))
    assert ma.keys() == mb.keys()
    diff = {k: (ma[k] - mb[k]).abs().max().item() for k in ma if not torch.equal(ma[k], mb[k])}
    assert not diff, f'weights differ after resume: {diff}'


def test_sigkill_at_random_points_then_the_same_command_resumes_exactly(tmp_path):
    "Every start is the same command with --resume auto (a retry loop, torchrun --max-restarts): it starts the run, then continues it."
    ref, cut = tmp_path / 'uninterrupted', tmp_path / 'killed'
    finish(ref, resume=False)
    rng = random.Random(0)
    kills = [  # (what to wait for, then SIGKILL): a random moment, right after a stage change, at random again
        lambda: (cut / 'last.pt').exists() and (time.sleep(rng.uniform(0.5, 3.0)) or True),
        lambda: rows(cut)['img_size'].nunique() >= 2,
        lambda: (cut / 'last.pt').exists() and (time.sleep(rng.uniform(0.0, 2.0)) or True),
    ]
    continued = 0
    for i, cond in enumerate(kills):
        if i and (cut / 'summary.json').exists(): break
        p = start(cut, resume='auto')
        hit = wait_for(cond, p)
        p.kill(); o, e = p.communicate()
        continued += "resume='auto': continuing" in o
        assert not list(cut.glob('*.tmp')) or (cut / 'last.pt').exists()  # a torn write never replaces the checkpoint
    if not (cut / 'summary.json').exists(): continued += "resume='auto': continuing" in finish(cut, resume='auto').stdout
    assert continued >= 1, continued  # the kills came after a checkpoint: a later start continued the run
    a, b = rows(ref), rows(cut)
    assert list(a['step']) == list(b['step']) and list(a['img_size']) == list(b['img_size'])  # same evaluations, same stages
    assert (a['top1'] == b['top1']).all()
    same_weights(ref, cut)


def test_sigterm_checkpoints_says_how_to_resume_and_resumes_exactly(tmp_path):
    ref, cut = tmp_path / 'uninterrupted', tmp_path / 'stopped'
    finish(ref, resume=False)
    p = start(cut)
    assert wait_for(lambda: len(rows(cut)) >= 2, p), 'the run ended before it could be stopped'
    p.send_signal(signal.SIGTERM)
    o, e = p.communicate(timeout=60)
    assert p.returncode == 3, (p.returncode, e[-1000:])
    assert 'SIGTERM' in e and '--resume' in e and 'resume True' in e
    ck = torch.load(cut / 'last.pt', weights_only=False)
    assert not ck['finished'] and ck['step'] > 0 and not (cut / 'summary.json').exists()
    finish(cut, resume=True)
    same_weights(ref, cut)
    assert list(rows(ref)['step']) == list(rows(cut)['step'])


def test_resume_refuses_what_it_cannot_continue(tmp_path):
    out = tmp_path / 'none'
    r = subprocess.run(CMD + ARGS + ['--out-dir', str(out), '--resume'], capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and 'last.pt' in r.stderr and 'does not exist' in r.stderr
    finish(out, resume=False)  # a finished run is not continued
    for flags in (['--resume'], ['--resume', 'auto']):  # auto: the run is there and finished, so neither a new run over it nor a continuation
        r = subprocess.run(CMD + ARGS + ['--out-dir', str(out), *flags], capture_output=True, text=True, timeout=120)
        assert r.returncode == 1 and 'has finished' in r.stderr, (r.returncode, r.stderr[-500:])
    ck = torch.load(out / 'last.pt', weights_only=False); ck['finished'] = False; torch.save(ck, out / 'last.pt')
    r = subprocess.run(CMD + ARGS[:-2] + ['--seed', '4', '--out-dir', str(out), '--resume'], capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and 'seed' in r.stderr and 'differ' in r.stderr


def last_ckpt(out: Path) -> dict:
    "The checkpoint in `out`, or {} while there is none (or it cannot be read yet)."
    try: return torch.load(out / 'last.pt', weights_only=False)
    except Exception: return {}


def test_budgeted_run_killed_after_growth_resumes_exactly(tmp_path):
    "A budgeted-training run (GFLOPs budget, heads / MLP / tokens growing) killed after its first growth ends as an uninterrupted one."
    ref, cut = tmp_path / 'uninterrupted', tmp_path / 'killed'
    finish(ref, resume=False, args=BUDGETED)
    a = rows(ref)
    assert a['stage'].nunique() == 3, a  # the run went through the three stages
    p = start(cut, args=BUDGETED)
    # killed once a checkpoint written after the first growth is on disk (a metrics row of stage 1 alone is not enough:
    # under load the kill can land between that row and the next checkpoint, and the run would resume in stage 0)
    assert wait_for(lambda: last_ckpt(cut).get('stage', -1) >= 1, p), 'the run ended before growing'
    p.kill(); p.wait()
    assert last_ckpt(cut).get('stage', -1) >= 1
    # killed again right after the resumed run's first checkpoint: that checkpoint must hold the stage it resumed in
    t0 = (cut / 'last.pt').stat().st_mtime_ns
    p = start(cut, resume=True, args=BUDGETED)
    wait_for(lambda: (cut / 'last.pt').stat().st_mtime_ns > t0, p)
    p.kill(); p.wait()
    assert torch.load(cut / 'last.pt', weights_only=False)['stage'] >= 1
    finish(cut, resume=True, args=BUDGETED)
    b = rows(cut)
    assert list(a['step']) == list(b['step']) and list(a['stage']) == list(b['stage'])
    assert (a['top1'] == b['top1']).all() and (a['gflops'] == b['gflops']).all()
    same_weights(ref, cut)


AUTOPROG = ['--hours', '0.5', '--epochs', '2.0', '--dataset', 'synthetic', '--model', 'deit_cpu', '--batch-size', '32',
            '--evals-per-epoch', '4', '--plan', 'autoprog', '--search-cost', 'flops', '--search-frac', '0.5',
            '--search-probe', '1', '--mogrow-ema', '0.9', '--ckpt-minutes', '0.005', '--seed', '3']


def in_search(out: Path) -> bool: return last_ckpt(out).get('method', {}).get('search') is not None


def test_autoprog_run_stopped_mid_search_resumes_exactly(tmp_path):
    "An AutoProg run stopped while its supernet search is under way resumes the search and ends as an uninterrupted run (FLOPs-scored, so deterministic)."
    ref, cut = tmp_path / 'uninterrupted', tmp_path / 'stopped'
    finish(ref, resume=False, args=AUTOPROG)
    p = start(cut, args=AUTOPROG)
    assert wait_for(lambda: in_search(cut), p), 'the run ended before a search was under way'
    p.send_signal(signal.SIGTERM)
    o, e = p.communicate(timeout=60)
    assert p.returncode == 3, (p.returncode, e[-1000:])
    assert torch.load(cut / 'last.pt', weights_only=False)['method']['search'] is not None
    finish(cut, resume=True, args=AUTOPROG)
    import json
    sa, sb = (json.loads((d / 'summary.json').read_text()) for d in (ref, cut))
    untimed = lambda ss: [{**s, 'candidates': [{k: v for k, v in c.items() if k != 'step_s'} for c in s['candidates']]} for s in ss]
    assert untimed(sa['searches']) == untimed(sb['searches']) and len(sa['searches']) == 3  # measured seconds differ, nothing else
    assert sa['plan'] == sb['plan'] and sa['steps'] == sb['steps']
    same_weights(ref, cut)
    assert list(rows(ref)['top1']) == list(rows(cut)['top1'])


def sigkill_when(cut: Path, args: list, cond, why: str):
    "Start a run in `cut` and SIGKILL it once `cond()` holds (an assertion error saying `why` if it ends first)."
    p = start(cut, args=args)
    assert wait_for(cond, p), why
    p.kill(); p.wait()


COMBINED = ['--hours', '0.5', '--gflops', '300', '--dataset', 'synthetic', '--model', 'effvit_cpu', '--batch-size', '32',
            '--evals-per-epoch', '8', '--plan', 'curriculum_growth', '--ckpt-minutes', '0.005', '--seed', '3']


def test_combined_plan_killed_after_growth_resumes_exactly(tmp_path):
    "The combined plan (image size and heads / MLP width growing together) killed by SIGKILL after a width growth ends as an uninterrupted run."
    import json
    ref, cut = tmp_path / 'uninterrupted', tmp_path / 'killed'
    finish(ref, resume=False, args=COMBINED)
    a, stages = rows(ref), json.loads((ref / 'summary.json').read_text())['plan']['stages']
    assert a['img_size'].nunique() >= 3 and a['stage'].nunique() >= 3, a  # sizes and widths both changed
    grown = next(k for k, s in enumerate(stages) if (s['heads'], s['hidden']) != (stages[0]['heads'], stages[0]['hidden']))
    sigkill_when(cut, COMBINED, lambda: last_ckpt(cut).get('stage', -1) >= grown, 'the run ended before its first width growth')
    finish(cut, resume=True, args=COMBINED)
    b = rows(cut)
    assert list(a['step']) == list(b['step']) and list(a['stage']) == list(b['stage']) and list(a['img_size']) == list(b['img_size'])
    assert (a['top1'] == b['top1']).all() and (a['gflops'] == b['gflops']).all()
    same_weights(ref, cut)


EPOCH_END = ['--hours', '0.5', '--epochs', '2.0', '--dataset', 'synthetic', '--model', 'deit_cpu', '--batch-size', '32',
             '--evals-per-epoch', '1', '--plan', 'fixed', '--ckpt-minutes', '10', '--seed', '3']


def test_resume_from_a_checkpoint_at_an_epoch_end_is_exact(tmp_path):
    "With one evaluation per epoch (the default) every checkpoint lands after an epoch's last batch; resumed from there, the next epoch draws a new order, as the uninterrupted run does."
    ref, cut = tmp_path / 'uninterrupted', tmp_path / 'killed'
    finish(ref, resume=False, args=EPOCH_END)
    sigkill_when(cut, EPOCH_END, lambda: last_ckpt(cut).get('step', 0) > 0, 'the run ended before its first evaluation')
    ck = last_ckpt(cut)
    assert not ck['finished'] and ck['batch'] == ck['step'] == 64, (ck['batch'], ck['step'])  # 2048 / 32: the end of epoch 0
    finish(cut, resume=True, args=EPOCH_END)
    assert list(rows(ref)['top1']) == list(rows(cut)['top1'])
    same_weights(ref, cut)
