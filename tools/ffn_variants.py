"""Two rewrites of the locality FFN that were tried to close its gap to timm's Mlp, timed against the committed one
(forward + backward, batch 128, 49 patch tokens + class token, width 128, hidden 512, median of 30 interleaved rounds):
(1) channels-last: the grid is a permuted view, so the conv needs no transpose copies and no concatenation;
(2) the depthwise 3x3 conv computed as nine shifted multiply-adds instead of the conv kernel.
Usage: .venv/bin/python tools/ffn_variants.py  (neither was faster here, so the layer keeps the plain form)"""
import math, time, torch, torch.nn.functional as F
from effvit_nb.layers import LocalityFFN

def channels_last(self, x):
    p = self.num_prefix_tokens; B, N, C = x.shape; L = N - p; g = math.isqrt(L)
    h = self.act1(F.linear(x[:, p:], self.fc1.weight)).view(B, g, g, -1).permute(0, 3, 1, 2)
    h = F.conv2d(h, self.dwconv.weight, padding=1, groups=h.shape[1])
    out = F.linear(self.act2(h.permute(0, 2, 3, 1).reshape(B, L, -1)), self.fc2.weight)
    return F.pad(out, (0, 0, p, 0))

def shifted(self, x):
    p = self.num_prefix_tokens; B, N, C = x.shape; L = N - p; g = math.isqrt(L)
    h = F.pad(self.act1(F.linear(x[:, p:], self.fc1.weight)).view(B, g, g, -1), (0, 0, 1, 1, 1, 1))
    wk = self.dwconv.weight.view(-1, 9).t()
    out = sum(h[:, i:i + g, j:j + g] * wk[3 * i + j] for i in range(3) for j in range(3))
    out = F.linear(self.act2(out.reshape(B, L, -1)), self.fc2.weight)
    return F.pad(out, (0, 0, p, 0))

if __name__ == '__main__':
    torch.manual_seed(0)
    f = LocalityFFN(128, 512); x = torch.randn(128, 50, 128, requires_grad=True)
    cases = {'committed': f, 'channels-last': lambda z: channels_last(f, z), 'nine shifted multiply-adds': lambda z: shifted(f, z)}
    ref = f(x)
    for k, fn in cases.items(): assert torch.allclose(fn(x), ref, atol=1e-5), k
    g = torch.randn_like(ref); ts = {k: [] for k in cases}
    for fn in cases.values(): fn(x).backward(g)
    for _ in range(30):
        for k, fn in cases.items():
            t = time.perf_counter(); fn(x).backward(g); ts[k].append(time.perf_counter() - t)
    for k, v in ts.items(): print(f'{k}: median {1e3 * sorted(v)[15]:.1f} ms')
