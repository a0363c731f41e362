"""Each method owns its options: another plan's option is refused by name, on the command line and in the train notebook;
--help groups the options by plan; a method sees only its own options and the run options it declares."""
import subprocess, sys
from dataclasses import fields
import pytest
from effvit_nb.config import METHODS, OPTION_GROUPS, OPTION_PLANS, TrainConfig, foreign_options
from conftest import ROOT, VENV_BIN, papermill


def cli(*args):
    return subprocess.run([sys.executable, '-m', 'effvit_nb.trainer', *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize('plan,flag,value,owner', [('curriculum', '--budget-alpha', '5', 'budgeted'), ('fixed', '--curriculum-start', '8', 'curriculum'),
                                                    ('budgeted', '--search-frac', '0.2', 'autoprog')])
def test_another_plans_option_is_refused_naming_its_plan(plan, flag, value, owner):
    r = cli('--plan', plan, flag, value, '--dataset', 'synthetic', '--hours', '0.001')
    assert r.returncode == 2, r.stderr[-2000:]
    assert f"{flag[2:].replace('-', '_')}=" in r.stderr and repr(owner) in r.stderr and f'plan={plan!r} does not read it' in r.stderr, r.stderr[-2000:]


def test_the_train_notebook_refuses_it_too(tmp_path):
    r = papermill(tmp_path / 'o.ipynb', dict(plan='fixed', budget_alpha=5.0, dataset='synthetic', hours=0.001, out_dir=tmp_path / 'run'), timeout=300)
    assert r.returncode != 0 and "budget_alpha=5.0 is an option of plan 'budgeted'" in r.stderr + r.stdout


def test_help_groups_the_options_by_plan():
    r = cli('--help')
    assert r.returncode == 0
    for g in OPTION_GROUPS:
        head = f"options of plan {' / '.join(OPTION_PLANS[g])} ({g.__name__}"
        assert head in r.stdout, head
        after = r.stdout.split(head, 1)[1]
        assert f"--{fields(g)[0].name.replace('_', '-')}" in after.split('options of plan')[0]  # the group's options under its heading


def test_every_option_belongs_to_one_group_and_each_method_reads_only_its_own():
    names = [f.name for g in OPTION_GROUPS for f in fields(g)]
    assert len(names) == len(set(names))
    for plan, m in METHODS.items():
        cfg = TrainConfig(plan=plan, dataset='synthetic', model='deit_cpu' if plan in ('progressive', 'autoprog') else 'effvit_cpu')
        assert not foreign_options(cfg)
        seen = {k for k in vars(m(cfg).cfg) if not k.startswith('_')}
        assert seen == {f.name for g in m.options for f in fields(g)} | set(m.run_fields), plan
    print({g.__name__: len(fields(g)) for g in OPTION_GROUPS})


def test_an_option_type_the_parser_cannot_read_is_a_clear_error():
    from dataclasses import dataclass, make_dataclass
    Bad = make_dataclass('Bad', [('weights', list, None)], bases=(TrainConfig,))
    with pytest.raises(TypeError, match='not one the parameter parser reads'):
        Bad(weights=[1, 2])
