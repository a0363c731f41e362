"""The fast paths are options that train, checkpoint and resume like the default path: torch.compile of the training
forward, bf16 autocast, and the fused attention kernel as the training path."""
import torch
from effvit_nb.trainer import TrainConfig, run
from effvit_nb.models import create_model


def small(tmp_path, **kw) -> TrainConfig:
    return TrainConfig(hours=0.25, epochs=0.05, dataset='synthetic', model='effvit_cpu', plan='fixed', batch_size=32,
                       out_dir=str(tmp_path), **kw)


def test_compile_trains_and_checkpoints_plain_names(tmp_path):
    res = run(small(tmp_path, compile=True), progress=False)
    assert res.stopped_by == 'epochs' and res.steps == 4  # ceil(0.05 x 64 batches)
    ck = torch.load(tmp_path / 'last.pt', weights_only=False)
    assert not any(k.startswith('_orig_mod') for k in ck['model'])  # loadable into a plain model
    assert res.summary['config']['stem'] == 'conv'  # the main job's default ('auto'): its conv stem compiles too
    create_model('effvit_cpu', in_chans=1, mlp_ratio=res.summary['mlp_ratio'], stem=res.summary['config']['stem']).load_state_dict(ck['model'])  # the model the run used


def test_bf16_autocast_trains(tmp_path):
    res = run(small(tmp_path, amp='bf16'), progress=False)
    assert res.steps == 4 and 0 <= res.top1 <= 100


def test_fused_attention_is_the_training_path():
    m = create_model('deit_cpu')
    assert all(b.attn.fused_attn for b in m.blocks)  # scaled_dot_product_attention; the explicit path is only for analyses
