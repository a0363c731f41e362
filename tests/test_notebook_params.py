"The main job's parameters cell and TrainConfig agree: same names, same defaults, literal values."
import ast, math
from dataclasses import fields
import papermill as pm
from effvit_nb.trainer import TrainConfig
from conftest import ROOT


def test_parameters_match_config():
    params = pm.inspect_notebook(str(ROOT / 'nbs' / 'train.ipynb'))
    cfg = {f.name: f for f in fields(TrainConfig)}
    assert set(params) <= set(cfg), set(params) - set(cfg)
    for name in ('hours', 'dataset', 'model', 'curriculum', 'out_dir', 'seed'): assert name in params, name
    for name, p in params.items():
        nb_default = ast.literal_eval(p['default'])   # literal, so papermill can show and override it
        assert p['inferred_type_name'] == cfg[name].type, name
        d = cfg[name].default
        assert (math.isclose(nb_default, d, rel_tol=1e-4) if isinstance(d, float) else nb_default == d), (name, nb_default, d)
