"The main job's parameters cell and TrainConfig agree: same names, same defaults, literal values."
import ast, math
from dataclasses import fields
import papermill as pm
import yaml
from effvit_nb.trainer import TrainConfig
from conftest import ROOT


def test_parameters_match_config():
    params = pm.inspect_notebook(str(ROOT / 'nbs' / 'train.ipynb'))
    cfg = {f.name: f for f in fields(TrainConfig)}
    assert set(params) <= set(cfg), set(params) - set(cfg)
    for name in ('hours', 'dataset', 'model', 'plan', 'out_dir', 'seed'): assert name in params, name
    for name, p in params.items():
        nb_default = ast.literal_eval(p['default'])   # literal, so papermill can show and override it
        assert p['inferred_type_name'] == cfg[name].type, name
        d = cfg[name].default
        assert (math.isclose(nb_default, d, rel_tol=1e-4) if isinstance(d, float) else nb_default == d), (name, nb_default, d)


def test_study_notebooks_default_to_smoke_and_have_param_files():
    "Every table and figure notebook parses under papermill, defaults to scale 'smoke', and has a parameter file per scale."
    nbs = sorted(p for p in (ROOT / 'nbs').glob('*.ipynb') if p.name.startswith(('tab_', 'fig_')))
    assert nbs
    for nb in nbs:
        params = pm.inspect_notebook(str(nb))
        assert ast.literal_eval(params['scale']['default']) == 'smoke', nb.name
        if nb.stem == 'tab_main_job': continue  # its cpu runs come from `make main-job`
        for scale in ('smoke', 'cpu', 'gpu'):
            f = ROOT / 'params' / scale / f'{nb.stem}.yaml'
            assert f.exists(), f
            assert set(yaml.safe_load(f.read_text())) <= set(params), (f, set(yaml.safe_load(f.read_text())) - set(params))


def test_papermill_parses_every_parameter_line_without_a_warning():
    "Each assignment in a papermill notebook's parameters cell is a parameter `papermill --help-notebook` lists, with no parse warning."
    import json, re, subprocess, sys
    from pathlib import Path
    nbs = [ROOT / 'nbs' / 'train.ipynb', ROOT / 'nbs' / 'bench.ipynb', *sorted((ROOT / 'nbs').glob('tab_*.ipynb')), *sorted((ROOT / 'nbs').glob('fig_*.ipynb'))]
    for nb in nbs:
        cell = next(c for c in json.loads(nb.read_text())['cells'] if 'parameters' in c['metadata'].get('tags', []))
        names = [m.group(1) for m in (re.match(r'^(\w+)\s*[:=]', l) for l in ''.join(cell['source']).splitlines()) if m]
        p = subprocess.run([str(Path(sys.executable).parent / 'papermill'), '--help-notebook', str(nb)], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and 'Unable to parse' not in p.stdout + p.stderr, (nb.name, (p.stdout + p.stderr)[-1000:])
        listed = re.findall(r'^  (\w+): ', p.stdout, re.M)
        assert listed == names, (nb.name, set(names) ^ set(listed))


def test_the_parameters_cell_is_derived_from_the_registry():
    "The train notebook's parameters cell is what `make export` writes from TrainConfig's option classes (run, recipe, each plan's)."
    import json
    from effvit_nb.config import parameters_source
    cell = next(c for c in json.loads((ROOT / 'nbs' / 'train.ipynb').read_text())['cells'] if 'parameters' in c['metadata'].get('tags', []))
    assert ''.join(cell['source']) == parameters_source(), 'the parameters cell is stale: run make export'
