"""Images per second of one training step (forward, backward, AdamW) of a model at a batch size and input size.

The timing behind the main job's batch and MLP-ratio defaults (README: how the defaults were chosen). The step and
its timing are `effvit_nb.bench.measure` (the speed benchmark's); this only lets each case have its own batch size.
Each argument is one case, written as Python: bench(model, batch, size, n=steps, **create_model kwargs), e.g.

    .venv/bin/python tools/step_speed.py "bench('effvit_cpu', 128, 28)" "bench('effvit_cpu', 64, 28)" \
        "bench('effvit_cpu', 128, 28, mlp_ratio=2)"
"""
import sys
import torch
from effvit_nb.models import create_model
from effvit_nb.bench import measure


def bench(name: str, bs: int, size: int, n: int = 8, **kw):
    "Print the median images/s over 3 rounds of `n` timed steps (after two warm-up steps)."
    torch.manual_seed(0)
    m = create_model(name, num_classes=10, in_chans=kw.pop('in_chans', 3), drop_path=0., **kw)
    r = measure([dict(name=name, model=m, img_size=size)], batch_size=bs, steps=n, rounds=3, progress=False).iloc[0]
    print(f"{name} {kw} batch {bs} at {size} px: {r['images_per_s']:.0f} images/s ({torch.get_num_threads()} threads)", flush=True)


if __name__ == '__main__':
    for case in sys.argv[1:]: eval(case)
