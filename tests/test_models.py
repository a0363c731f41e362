"Every model at two input sizes, with one position embedding that keeps training."
import pytest
import torch
from effvit_nb.models import create_model, model_names, SIZES


@pytest.mark.parametrize('name', model_names())
def test_two_sizes(name):
    size = name.rpartition('_')[2]
    p = SIZES[size]['patch_size']
    m = create_model(name, num_classes=7, in_chans=3, drop_path=0.0)
    n_pe = sum('pos_embed' in n for n, _ in m.named_parameters())
    assert n_pe == 1
    for s in (2 * p, 4 * p):   # small grids keep the 224-px models fast on a CPU
        m.zero_grad()
        out = m(torch.randn(2, 3, s, s))
        assert out.shape == (2, 7)
        out.square().mean().backward()
        assert m.pos_embed.grad is not None and m.pos_embed.grad.abs().sum() > 0
        assert all(q.grad is not None for n, q in m.named_parameters() if q.requires_grad), name
    assert sum('pos_embed' in n for n, _ in m.named_parameters()) == 1
    with pytest.raises(ValueError, match='multiple of the patch'): m(torch.randn(1, 3, 2 * p + 1, 2 * p + 1))


def test_effvit_differs_from_deit_only_in_ffn():
    d, e = create_model('deit_cpu'), create_model('effvit_cpu')
    assert type(d.blocks[0].attn) is type(e.blocks[0].attn)
    from timm.layers import Mlp
    # deit's FFN is timm's Mlp (its elastic subclass, which with everything active runs timm's own forward)
    assert type(e.blocks[0].mlp).__name__ == 'LocalityFFN' and isinstance(d.blocks[0].mlp, Mlp)


def test_every_model_is_a_timm_model():
    "After `import effvit_nb.models`, timm builds every model by name with timm's keyword names; timm's DeiT-S weights load into deit_small."
    import timm, torch
    import effvit_nb.models as em
    for name in em.model_names():
        size = 32 if name.endswith('_cpu') else 64
        m = timm.create_model(name, num_classes=5, img_size=size, drop_path_rate=0.05)
        assert isinstance(m, em.ViT) and m.num_classes == 5 and m.pretrained_cfg['input_size'][1:] == (size, size)
        assert m(torch.randn(1, 3, size, size)).shape == (1, 5)
    t = timm.create_model('deit_small_patch16_224')
    assert timm.create_model('deit_small').load_state_dict(t.state_dict(), strict=True).missing_keys == []
