"""Images per second of one training step (forward, backward, AdamW) of a model at a batch size and input size.

The timing behind the main job's batch and MLP-ratio defaults (README: how the defaults were chosen).
Each argument is one case, written as Python: bench(model, batch, size, n=steps, **create_model kwargs), e.g.

    .venv/bin/python tools/step_speed.py "bench('effvit_cpu', 128, 28)" "bench('effvit_cpu', 64, 28)" \
        "bench('effvit_cpu', 128, 28, mlp_ratio=2)"
"""
import sys, time
import torch
import torch.nn.functional as F
from effvit_nb.models import create_model


def bench(name: str, bs: int, size: int, n: int = 8, **kw):
    "Print the images/s of `n` timed steps after two warm-up steps."
    torch.manual_seed(0)
    m = create_model(name, num_classes=10, in_chans=kw.pop('in_chans', 3), drop_path=0., **kw).train()
    opt = torch.optim.AdamW(m.parameters(), 1e-3)
    x, y = torch.randn(bs, m.patch_embed.proj.in_channels, size, size), torch.randint(0, 10, (bs,))
    def step():
        F.cross_entropy(m(x), y).backward(); opt.step(); opt.zero_grad()
    for _ in range(2): step()
    t = time.perf_counter()
    for _ in range(n): step()
    dt = (time.perf_counter() - t) / n
    print(f'{name} {kw} batch {bs} at {size} px: {bs / dt:.0f} images/s ({torch.get_num_threads()} threads)', flush=True)


if __name__ == '__main__':
    for case in sys.argv[1:]: eval(case)
