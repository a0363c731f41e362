"""The study queue end to end on tiny synthetic runs (smoke scale): killed at any moment it loses no finished run, the next
start continues, a fresh clone (the tracked files only) knows what is done, and the reproduce stamps follow the runs."""
import json, os, shutil, signal, subprocess, sys, time
from pathlib import Path
import pytest
from effvit_nb.studyqueue import study_items, item_state, run_queue, queue_status, queue_running, runs_folder, stale_reason
from conftest import ROOT, fmnist_installed

TRACKED = ('config.json', 'metrics.csv', 'summary.json')  # what a clone has of a run (last.pt and snapshots are git-ignored)


def workers_of(root: Path) -> list[int]:
    "Pids of queue workers training into `root` (their config file names the run's folder)."
    pids = []
    for p in Path('/proc').iterdir():
        if not p.name.isdigit(): continue
        try: argv = (p / 'cmdline').read_bytes().split(b'\0')
        except OSError: continue
        if b'effvit_nb.studyqueue' in argv and b'work' in argv:
            try: cfg = json.loads(Path(argv[argv.index(b'work') + 1].decode()).read_text())
            except (OSError, ValueError, IndexError): continue
            if cfg['out_dir'].startswith(str(root)): pids.append(int(p.name))
    return pids


def test_a_killed_queue_loses_no_finished_run_and_a_fresh_clone_continues(tmp_path):
    items = study_items('smoke', 'budgeted')[:3]
    runs = tmp_path / 'reports' / 'runs'
    q = subprocess.Popen([sys.executable, '-m', 'effvit_nb.studyqueue', 'run', '--scale', 'smoke', '--study', 'budgeted',
                          '--root', str(tmp_path), '--workers', '1', '--minutes', '20'], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        t = time.time()
        while time.time() - t < 300:  # until the first run has finished and the second has started
            done = [it for it in items if item_state(it, runs)[0] == 'done']
            if done and any((runs / runs_folder('budgeted', 'smoke') / it.name / 'config.json').exists() for it in items if it not in done): break
            assert q.poll() is None, q.stdout.read().decode()[-2000:]
            time.sleep(0.5)
        assert done, 'no run finished within 5 minutes'
        assert queue_running(runs)  # the lock file of a live queue: the test fixture's cue
        q.send_signal(signal.SIGKILL); q.wait()
    finally:
        if q.poll() is None: q.kill()
    t = time.time()
    while workers_of(tmp_path) and time.time() - t < 60: time.sleep(0.5)  # its worker follows it (PR_SET_PDEATHSIG: SIGTERM, checkpoint)
    assert not workers_of(tmp_path), 'a worker outlived its queue'
    assert not queue_running(runs)  # a dead queue's lock does not count
    finished = {it.name: (runs / runs_folder('budgeted', 'smoke') / it.name / 'summary.json').read_bytes() for it in done}
    assert all(item_state(it, runs)[0] == 'done' for it in done)

    # a fresh clone: only the tracked files of each run folder
    clone = tmp_path / 'clone'
    for d in (runs / runs_folder('budgeted', 'smoke')).iterdir():
        for f in TRACKED:
            if (d / f).exists(): (clone / 'reports' / 'runs' / d.parent.name / d.name).mkdir(parents=True, exist_ok=True); shutil.copy(d / f, clone / 'reports' / 'runs' / d.parent.name / d.name / f)
    st = queue_status('smoke', 'budgeted', root=clone, items=items).set_index('name').state
    assert all(st[n] == 'done' for n in finished), st
    log = run_queue(10, 'smoke', 'budgeted', workers=0, root=clone, items=items)  # continues: trains only what was not finished
    assert set(log.item) == {f'budgeted/{it.name}' for it in items if it.name not in finished}, log
    assert all(item_state(it, clone / 'reports' / 'runs')[0] == 'done' for it in items)
    for n, b in finished.items():  # finished runs untouched, in the original and in the clone
        assert (runs / runs_folder('budgeted', 'smoke') / n / 'summary.json').read_bytes() == b
        assert (clone / 'reports' / 'runs' / runs_folder('budgeted', 'smoke') / n / 'summary.json').read_bytes() == b


def test_a_run_counts_only_for_its_settings_semantics_and_device():
    it = study_items('smoke', 'budgeted')[0]
    from dataclasses import asdict, replace
    from effvit_nb.config import SEMANTICS
    s = dict(config=asdict(it.cfg.resolved()), semantics=SEMANTICS[it.cfg.plan], device_kind='cpu')
    assert stale_reason(s, it.cfg) == ''
    assert 'lr' in stale_reason(s, replace(it.cfg, lr=it.cfg.model_lr() * 2))  # a change of the study's settings makes it pending
    assert 'semantics' in stale_reason({**s, 'semantics': s['semantics'] + 1}, it.cfg)
    assert 'cuda' in stale_reason({**s, 'device_kind': 'cuda'}, it.cfg)


@pytest.mark.skipif(not fmnist_installed(), reason='the cpu-scale budgeted study measures its reference on Fashion-MNIST')
def test_reproduce_stamp_changes_exactly_when_the_study_runs_do(tmp_path):
    from dataclasses import asdict
    from effvit_nb.reproduce import REPORTS, stamp
    from effvit_nb.config import SEMANTICS
    (tmp_path / 'nbs').symlink_to(ROOT / 'nbs')
    r = next(r for r in REPORTS if r.name == 'budgeted')
    a = stamp(r, 'cpu', tmp_path, {})
    assert stamp(r, 'cpu', tmp_path, {}) == a
    it = study_items('cpu', 'budgeted')[0]
    d = tmp_path / 'reports' / 'runs' / runs_folder('budgeted', 'cpu') / it.name; d.mkdir(parents=True)
    (d / 'summary.json').write_text(json.dumps(dict(config=asdict(it.cfg.resolved()), semantics=SEMANTICS[it.cfg.plan], device_kind='cpu',
                                                    top1=50.0, gflops=1.0, hours=0.1)))
    b = stamp(r, 'cpu', tmp_path, {})
    assert b != a  # a finished run makes the table out of date
    (d / 'summary.json').write_text(json.dumps(dict(config=asdict(it.cfg.resolved()), semantics=SEMANTICS[it.cfg.plan] + 1, device_kind='cpu',
                                                    top1=50.0, gflops=1.0, hours=0.1)))
    assert stamp(r, 'cpu', tmp_path, {}) not in (a, b)  # and so does a run turned stale


def test_queue_refuses_bad_input(tmp_path):
    r = subprocess.run([sys.executable, '-m', 'effvit_nb.studyqueue', 'run', '--minutes', '0', '--root', str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and 'must be > 0' in r.stderr
    r = subprocess.run([sys.executable, '-m', 'effvit_nb.studyqueue', 'status', '--study', 'nope'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and 'invalid choice' in r.stderr


def test_a_long_item_runs_in_segments_that_continue_one_run(tmp_path):
    "An item longer than the queue's time never starts, unless segments are asked for: then the deadline checkpoints it, the status counts "
    "only its untrained share, and the next queue continues the same run (its first segment's metrics kept) to the end."
    from dataclasses import replace
    from effvit_nb.studyqueue import item_progress, remaining_minutes, segmentable
    base = study_items('smoke', 'budgeted')[0]
    cfg = replace(base.cfg, gflops=base.cfg.gflops * 16, hours=1.0, evals_per_epoch=8)  # 2 epochs, a minute or more on one thread: longer than the first queue's half minute
    it = replace(base, name='long', cfg=cfg, est_gflops=cfg.gflops)
    assert segmentable(it) and not segmentable(replace(it, alone=True)) and not segmentable(replace(it, pair='p'))
    runs, slow = tmp_path / 'reports' / 'runs', 1e-3  # GFLOPs a minute assumed: the item looks far longer than any queue here
    d = runs / runs_folder('budgeted', 'smoke') / it.name
    assert run_queue(1.0, 'smoke', 'budgeted', workers=1, root=tmp_path, items=[it], rate=slow).empty  # it cannot finish: not started
    log = run_queue(1.0, 'smoke', 'budgeted', workers=1, root=tmp_path, items=[it], rate=slow, segments=True, min_segment=0.5)
    assert list(log.outcome) == ['stopped (continues next time)'], log
    assert item_state(it, runs)[0] == 'partial' and (d / 'last.pt').exists() and not (d / 'summary.json').exists()
    p = item_progress(it, runs)
    assert 0 < p < 1, p
    full = remaining_minutes(replace(it, name='other'), {}, runs, default_rate=slow)
    assert remaining_minutes(it, {}, runs, default_rate=slow) < full  # only the untrained share is left
    assert f'{p:.0%} trained' in queue_status('smoke', 'budgeted', root=tmp_path, items=[it]).why.iloc[0]
    assert json.loads((d / 'last.json').read_text())['step'] > 0
    first = (d / 'metrics.csv').read_text().splitlines()[:2]
    assert len(first) == 2, 'the first segment evaluated nothing'
    log = run_queue(8.0, 'smoke', 'budgeted', workers=1, root=tmp_path, items=[it], rate=slow, segments=True, min_segment=0.5)
    assert list(log.outcome) == ['done'], log
    assert item_state(it, runs)[0] == 'done' and item_progress(it, runs) == 0.0
    assert (d / 'metrics.csv').read_text().splitlines()[:2] == first  # continued: the first segment's rows are the run's
    s = json.loads((d / 'summary.json').read_text())
    assert s['stopped_by'] != 'hours' and s['gflops'] >= 0.98 * cfg.gflops, s['stopped_by']
    with pytest.raises(ValueError, match='workers >= 1'): run_queue(1.0, 'smoke', 'budgeted', workers=0, root=tmp_path, items=[it], segments=True)
