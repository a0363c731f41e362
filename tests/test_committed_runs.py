"""The committed cpu-scale study runs are the runs the studies ask for, with the study queue's notion of a current run
(effvit_nb.studyqueue: same resolved config, same training-semantics version, same device kind).

The main job's defaults (TrainConfig) can move without touching the studies: every study trains with `STUDY_RECIPE` (the
papers' MLP ratio 4, batch 128). If a default or a study setting changed, a committed run would no longer be current: its
table would describe runs its code no longer makes. Here such a run fails, naming why, and so does a run folder that no item
of its study asks for. A missing run is pending (the queue runs it) where the study's tables are built from what exists;
the studies whose notebooks still train what they miss (24 h, analysis) must have all their runs. No training here."""
import pytest
from effvit_nb.studies import study_24h, study_config
from effvit_nb.studyqueue import study_items, item_states, runs_folder
from effvit_nb.trainer import TrainConfig
from conftest import ROOT, fmnist_installed

RUNS = ROOT / 'reports' / 'runs'
ALL_NEEDED = ('analysis',)  # its figures read every short run (the run that plateaus, where it exists, replaces it): those must be committed
OTHER_RUNS = ('24h', 'analysis')  # folders that also hold runs of figures not on the queue (fig_locality_curriculum's ablations)
# committed runs known to be stale and read by a notebook not yet on the queue; each entry says why and what ends it
AWAITING_RERUN = {}  # (the AutoProg runs made before 720ecca were removed when its ladder moved onto the queue; they are in history at 55b1505)


def test_study_recipe_differs_from_the_main_job_defaults_only_where_meant():
    d = TrainConfig()
    assert (d.model_mlp_ratio(), d.batch_size) == (2.0, 64)  # the main job
    assert TrainConfig(model='effvit_small').model_mlp_ratio() == 4.0  # the papers' sizes keep their ratio
    c = study_config(study_24h('cpu'), 'effvit', True)
    assert (c.mlp_ratio, c.batch_size) == (4.0, 128)  # the studies: the papers' models
    assert (d.model_stem(), d.model_optimizer(), c.model_stem(), c.model_optimizer()) == ('conv', 'muon', 'patch', 'adamw')  # the main job's tuned stem and optimizer; the studies' papers' ones


@pytest.mark.parametrize('study', ['budgeted', 'combined', 'autoprog', '24h', 'analysis', 'mainjob'])
def test_committed_runs_are_current(study):
    if not fmnist_installed(): pytest.skip('the cpu studies measure their reference cost on Fashion-MNIST')
    items = study_items('cpu', study)
    states = {it.name: st for it, st in zip(items, item_states(items, RUNS).values())}  # a pair's members count together
    stale = {n: why for n, (st, why, _) in states.items() if st in ('stale', 'partial') and why}
    if study in AWAITING_RERUN: assert stale, f'{study}: no stale run left; take it off AWAITING_RERUN ({AWAITING_RERUN[study]})'
    else: assert not stale, f'{study}: committed runs that are not current (rerun them with make queue, or delete them): {stale}'
    if study in ALL_NEEDED:
        plateau = {it.name for it in items if it.meta.get('plateau')}  # pending until the queue (or a GPU) trains them
        missing = [n for n, (st, _, _) in states.items() if st != 'done' and n not in plateau]
        assert not missing, f'{study}: its notebooks need these runs: {missing}'
    folder = RUNS / runs_folder(study, 'cpu')
    if folder.is_dir() and study not in OTHER_RUNS + tuple(AWAITING_RERUN):
        orphans = sorted(d.name for d in folder.iterdir() if d.is_dir() and d.name not in states)
        assert not orphans, f'{folder}: run folders no item of {study} asks for (delete them): {orphans}'
