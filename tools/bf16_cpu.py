"""bf16 autocast against fp32 on this CPU: one training step of effvit_cpu (batch 128) at 16 and 28 px, median of 8 interleaved rounds.
Usage: .venv/bin/python tools/bf16_cpu.py  (this 2-core AMD EPYC has no avx512_bf16, so amp stays fp32 on CPU)"""
import time, torch
from effvit_nb.models import create_model
torch.manual_seed(0)
m = create_model('effvit_cpu', num_classes=10, in_chans=1, drop_path=0.)
opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
for px in (16, 28):
    x, y = torch.randn(128, 1, px, px), torch.randint(0, 10, (128,))
    def step(bf):
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf):
            loss = torch.nn.functional.cross_entropy(m(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    ts = {False: [], True: []}
    for bf in ts: step(bf); step(bf)
    for _ in range(8):
        for bf in ts:
            t = time.perf_counter(); step(bf); ts[bf].append(time.perf_counter() - t)
    print(px, {('bf16' if k else 'fp32'): round(1e3 * sorted(v)[4], 1) for k, v in ts.items()})
