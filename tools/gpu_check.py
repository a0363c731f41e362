"""`make gpu-check`: what one CUDA GPU and its host's cores do for this project, measured in one script (under 6 minutes).

Writes reports/bench/bench_gpu_check.md and .json:
1. the GPU's bf16 matmul peak (an 8192^3 product, best of 5): the roofline every MFU below is a fraction of;
2. training images/s and MFU of deit_small and effvit_small (batch 256, bf16 autocast, AdamW) at every size of the
   curriculum at 224 px (32 -> 224 by 32), eager, and compiled as the trainer compiles (one model over the sizes) while
   the time allows (rows past the limit say so);
3. the folder loader (effvit_nb.folders.FolderData, one worker per core up to 8) decoding a generated folder of
   500x375 JPEGs at each size: images/s on this host's cores;
4. per size, whether the loader or the model bounds a training stage (the smaller of the two rates);
5. a 2-minute effvit_small curriculum run on that folder (the trainer, as a user runs it), which must finish inside
   its budget.

On a machine without CUDA it refuses with status 2 (`--smoke` runs every part on the CPU at toy sizes, to test this
script itself; its numbers mean nothing).

    .venv/bin/python tools/gpu_check.py            # make gpu-check
    .venv/bin/python tools/gpu_check.py --smoke --out /tmp/x
"""
import argparse, json, os, statistics, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 330  # the whole check's wall clock, under 6 minutes: later optional rows (compiled steps) are skipped past it


def refuse_without_cuda(smoke: bool):
    import torch
    if smoke or torch.cuda.is_available(): return
    print('gpu-check needs a CUDA GPU, and torch.cuda.is_available() is False on this machine '
          f'(torch {torch.__version__}, CUDA build {torch.version.cuda or "none"}). Run it on a machine where nvidia-smi lists a GPU; '
          'here, `make bench SCALE=cpu` measures the CPU.', file=sys.stderr)
    sys.exit(2)


def write_folder(root: Path, n: int, classes: int = 4, size=(500, 375)) -> Path:
    "An ImageNet-style folder of textured JPEGs: n training images over `classes` classes, n // 8 validation ones."
    from concurrent.futures import ProcessPoolExecutor
    from effvit_nb.loaderbench import write_jpegs
    jobs = [(root / 'train' / f'c{c}', n // classes, size, c) for c in range(classes)] + \
           [(root / 'val' / f'c{c}', max(2, n // 8 // classes), size, 100 + c) for c in range(classes)]
    with ProcessPoolExecutor(min(len(jobs), os.cpu_count() or 1)) as ex: list(ex.map(write_jpegs, *zip(*jobs)))
    return root


def model_rates(models, sizes, batch, dev, steps, compiled: bool, deadline: float, peak: float) -> list[dict]:
    from effvit_nb.bench import measure
    from effvit_nb.models import create_model
    rows = []
    for name in models:
        for s in sizes:
            if time.perf_counter() > deadline:
                rows.append(dict(model=name, img_size=s, compiled=compiled, skipped='past the time limit')); continue
            m = create_model(name, num_classes=1000, img_size=max(sizes), drop_path=0.0)
            t = time.perf_counter()
            df = measure([dict(name=name, model=m, img_size=s, compile=compiled)], batch, str(dev), dev.type == 'cuda', steps, 3, False)
            r = df.iloc[0]
            rows.append(dict(model=name, img_size=s, compiled=compiled, images_per_s=float(r.images_per_s), step_ms=float(r.step_ms),
                             mfu=float(r.achieved_gflops_per_s) * 1e9 / peak, seconds=round(time.perf_counter() - t, 1)))
            print(f'{name} {s}px {"compiled" if compiled else "eager"}: {r.images_per_s:.0f} images/s', file=sys.stderr)
    return rows


def compiled_rates(models, sizes, batch, dev, steps, deadline: float, peak: float) -> list[dict]:
    "torch.compile as the trainer uses it: one compiled model over the curriculum's sizes (a size change recompiles, then shapes go dynamic)."
    import torch
    from effvit_nb.bench import sync, _step_fn
    from effvit_nb.cost import model_spec, train_flops
    from effvit_nb.models import create_model
    rows = []
    for name in models if sizes else ():
        m = create_model(name, num_classes=1000, img_size=max(sizes), drop_path=0.0).to(dev).train()
        net, opt, spec = torch.compile(m), torch.optim.AdamW(m.parameters(), lr=1e-4, fused=dev.type == 'cuda' or None), model_spec(m)
        for s in sizes:
            if time.perf_counter() > deadline:
                rows.append(dict(model=name, img_size=s, compiled=True, skipped='past the time limit')); continue
            x = torch.randn(batch, spec['in_chans'], s, s, device=dev); y = torch.randint(0, 1000, (batch,), device=dev)
            step = _step_fn(net, x, y, opt, dev.type == 'cuda')  # the speed benchmark's training step
            t = time.perf_counter(); step(); step(); sync(dev); warm = time.perf_counter() - t  # compiling (or not, once shapes are dynamic)
            times = []
            for _ in range(3):
                sync(dev); t = time.perf_counter()
                for _ in range(steps): step()
                sync(dev); times.append((time.perf_counter() - t) / steps)
            st = statistics.median(times)
            rows.append(dict(model=name, img_size=s, compiled=True, images_per_s=batch / st, step_ms=1000 * st,
                             mfu=train_flops(spec, s) * batch / st / peak, compile_s=round(warm, 1)))
            print(f'{name} {s}px compiled: {batch / st:.0f} images/s (warm-up {warm:.0f} s)', file=sys.stderr)
    return rows


def loader_rates(folder: Path, sizes, batch: int, batches: int, workers: int) -> list[dict]:
    import torch
    from effvit_nb.folders import FolderData
    fd = FolderData(folder, max(sizes), workers=workers)
    rows = []
    for s in sizes:
        fd.set_stage(s)
        it = fd.train_batches(batch, torch.Generator().manual_seed(s))
        next(it)  # workers started, the stage's first batch
        t, n = time.perf_counter(), 0
        for _ in range(batches):
            x, y = next(it, (None, None))
            if x is None: break
            n += len(y)
        rows.append(dict(img_size=s, images_per_s=n / (time.perf_counter() - t), workers=fd.workers, images=n))
        print(f'loader {s}px: {rows[-1]["images_per_s"]:.0f} images/s on {fd.workers} workers', file=sys.stderr)
        del it
    return rows


def budget_run(folder: Path, minutes: float, model: str, batch: int, out: Path, device: str) -> dict:
    from effvit_nb.trainer import TrainConfig, run
    t = time.perf_counter()
    r = run(TrainConfig(hours=minutes / 60, dataset=str(folder), model=model, plan='curriculum', batch_size=batch, device=device,
                        out_dir=str(out), loader='stream'), progress=False)
    wall = time.perf_counter() - t
    return dict(model=model, minutes=minutes, wall_s=round(wall, 1), hours=r.hours, epochs=r.epochs, steps=r.steps, top1=r.top1,
                images_per_s=r.images_seen / max(wall, 1e-9), inside=wall <= minutes * 60 * 1.02 + 1, stopped_by=r.stopped_by)


def report(res: dict) -> str:
    L = [f"# GPU check: {res['device']}", '', f"`{res['command']}` on {res['when']}, effvit_nb {res['git']}; {res['host_cpus']} host cores.", '',
         f"{res['peak_dtype']} matmul peak (n={res['peak_n']}, best of 5): **{res['peak_tflops']:.1f} TFLOP/s**; MFU below is a fraction of it.", '',
         '## Training step (batch {}, bf16 autocast on CUDA, AdamW; synthetic images on the device)'.format(res['batch']), '',
         '| model | size | compiled | images/s | step ms | MFU |', '|---|---|---|---|---|---|']
    for r in res['models']:
        c = f"yes (warm-up {r['compile_s']} s)" if r['compiled'] and 'compile_s' in r else 'yes' if r['compiled'] else 'no'
        L.append(f"| {r['model']} | {r['img_size']} | {c} | " + (f"{r['images_per_s']:.0f} | {r['step_ms']:.1f} | {100 * r['mfu']:.1f}% |"
                                                                 if 'images_per_s' in r else f"{r['skipped']} | | |"))
    L += ['', f"## Folder loader ({res['loader'][0]['workers'] if res['loader'] else 0} workers on {res['host_cpus']} cores, 500x375 JPEGs, batch {res['batch']})", '',
          '| size | loader images/s | ' + ' | '.join(f'{m} eager images/s' for m in res['model_names']) + ' | bound by |', '|---' * (3 + len(res['model_names'])) + '|']
    for v in res['verdicts']:
        L.append(f"| {v['img_size']} | {v['loader']:.0f} | " + ' | '.join(f"{v.get(m, float('nan')):.0f}" for m in res['model_names']) + f" | {v['bound']} |")
    b = res['run']
    L += ['', f"## A {b['minutes']:g}-minute {b['model']} curriculum run on the folder", '',
          f"wall {b['wall_s']} s for a {60 * b['minutes']:.0f}-s budget: **{'inside' if b['inside'] else 'OVER'}** its budget "
          f"({b['steps']} steps, {b['epochs']:.2f} epochs, {b['images_per_s']:.0f} images/s over the whole run, top-1 {b['top1']:.1f}%, stopped by {b['stopped_by']})",
          '', f"Whole check: {res['seconds']:.0f} s."]
    return '\n'.join(L) + '\n'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--smoke', action='store_true', help='run every part on the CPU at toy sizes (tests this script; the numbers mean nothing)')
    ap.add_argument('--out', default=str(ROOT / 'reports' / 'bench'), help='where bench_gpu_check.md / .json go')
    a = ap.parse_args(argv)
    refuse_without_cuda(a.smoke)
    import torch
    from effvit_nb.bench import matmul_peak
    from effvit_nb.runio import provenance
    from effvit_nb.trainer import fast_cuda
    t0 = time.perf_counter(); deadline = t0 + LIMIT_S
    dev = torch.device('cuda' if not a.smoke else 'cpu')
    if dev.type == 'cuda': fast_cuda()  # the trainer's CUDA settings: TF32, cuDNN's autotuner
    P = (dict(models=('deit_cpu', 'effvit_cpu'), sizes=(16, 28), compile_sizes=(), batch=8, steps=1, n_images=48, loader_batches=2,
              run_model='effvit_cpu', run_minutes=0.5, peak_n=256, dtype=torch.float32) if a.smoke else
         dict(models=('deit_small', 'effvit_small'), sizes=(32, 64, 96, 128, 160, 192, 224), compile_sizes=(32, 64, 96, 128, 160, 192, 224), batch=256, steps=10,
              n_images=4096, loader_batches=12, classes=16, run_model='effvit_small', run_minutes=2.0, peak_n=8192, dtype=torch.bfloat16))
    peak = matmul_peak(str(dev), P['dtype'], P['peak_n'])
    print(f'matmul peak: {peak / 1e12:.1f} TFLOP/s', file=sys.stderr)
    eager = model_rates(P['models'], P['sizes'], P['batch'], dev, P['steps'], False, deadline, peak)
    tmp = Path(tempfile.mkdtemp(prefix='gpu-check-'))
    t = time.perf_counter(); folder = write_folder(tmp / 'jpegs', P['n_images'], P.get('classes', 4))
    print(f"wrote {P['n_images']} JPEGs in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    workers = min(8, os.cpu_count() or 1)
    loader = loader_rates(folder, P['sizes'], P['batch'], P['loader_batches'], workers)
    verdicts = []
    for lr in loader:
        v = dict(img_size=lr['img_size'], loader=lr['images_per_s'])
        for r in eager:
            if r['img_size'] == lr['img_size'] and 'images_per_s' in r: v[r['model']] = r['images_per_s']
        slowest_model = min([v[m] for m in P['models'] if m in v], default=float('inf'))
        v['bound'] = 'loader' if lr['images_per_s'] < slowest_model else 'model'
        verdicts.append(v)
    compiled = compiled_rates(P['models'], P['compile_sizes'], P['batch'], dev, P['steps'], deadline - 60 * P['run_minutes'] - 20, peak)  # time left for the run
    brun = budget_run(folder, P['run_minutes'], P['run_model'], min(P['batch'], 128), tmp / 'run', dev.type)
    prov = provenance(dev)
    res = dict(device=prov['device'], git=(prov['git_revision'] or '?')[:7] + ('+dirty' if prov['git_dirty'] else ''), host_cpus=os.cpu_count(),
               when=time.strftime('%Y-%m-%d %H:%M %Z'), command='make gpu-check' if not a.smoke else 'tools/gpu_check.py --smoke',
               model_names=list(P['models']), peak_dtype=str(P['dtype']).replace('torch.', ''), peak_n=P['peak_n'], peak_tflops=peak / 1e12, batch=P['batch'], models=eager + compiled, loader=loader, verdicts=verdicts,
               run=brun, seconds=time.perf_counter() - t0, smoke=a.smoke)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    (out / 'bench_gpu_check.json').write_text(json.dumps(res, indent=1, default=str))
    (out / 'bench_gpu_check.md').write_text(report(res))
    print(report(res))
    return 0 if brun['inside'] or a.smoke else 1  # smoke: a toy budget on a busy CPU says nothing about the trainer


if __name__ == '__main__': sys.exit(main())
