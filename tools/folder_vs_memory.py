"""A folder of small images against the same images in memory, trained with the defaults in the same budget.

Writes N Fashion-MNIST training and M test images as grey PNGs into an ImageNet-style folder, then trains the
main job's defaults (effvit_cpu, the curriculum) for HOURS on (a) the folder path (`-p dataset FOLDER`:
inspected, decoded once into memory, inside the budget) and (b) the same uint8 images handed to the trainer as
an `ImageData`, the rows interleaved over ROUNDS (round r trains both with seed r: the folder's images are in
class order, the in-memory ones in draw order, so one seed alone is two different data orders). Prints and writes a Markdown table: images/s over the whole
budget, epochs, top-1.

    .venv/bin/python tools/folder_vs_memory.py --hours 0.0333 --rounds 2 --out reports/bench/folder_vs_memory_cpu.md
"""
import argparse, json, tempfile, time
from pathlib import Path
import numpy as np
import torch
from PIL import Image
from effvit_nb.data import load_fashion_mnist, ImageData, FMNIST_CLASSES
from effvit_nb.trainer import TrainConfig, run
from effvit_nb.runio import cpu_name


def write_folder(root: Path, x: torch.Tensor, y: torch.Tensor, split: str):
    for i, (im, c) in enumerate(zip(x[:, 0].numpy(), y.tolist())):
        d = root / split / f'{c}'; d.mkdir(parents=True, exist_ok=True)
        Image.fromarray(im).save(d / f'{i}.png')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n-train', type=int, default=6000); ap.add_argument('--n-test', type=int, default=1000)
    ap.add_argument('--hours', type=float, default=0.0333); ap.add_argument('--rounds', type=int, default=2)
    ap.add_argument('--out', default='')
    a = ap.parse_args()
    fm = load_fashion_mnist(download=False)
    g = torch.Generator().manual_seed(0)
    tr, te = torch.randperm(len(fm.x_train), generator=g)[:a.n_train], torch.randperm(len(fm.x_test), generator=g)[:a.n_test]
    xtr, ytr, xte, yte = fm.x_train[tr], fm.y_train[tr], fm.x_test[te], fm.y_test[te]
    tmp = Path(tempfile.mkdtemp(prefix='folder-vs-memory-'))
    folder = tmp / 'fmnist-png'
    t = time.perf_counter()
    write_folder(folder, xtr, ytr, 'train'); write_folder(folder, xte, yte, 'val')
    print(f'wrote {a.n_train} + {a.n_test} PNGs in {time.perf_counter() - t:.1f} s to {folder}')
    # the folder's classes sort as strings ('0' .. '9'), which is their numeric order for ten classes
    rows = []
    for r in range(a.rounds):
        for kind in (('folder', 'memory') if r % 2 == 0 else ('memory', 'folder')):
            out = tmp / f'{kind}{r}'
            if kind == 'folder': res = run(TrainConfig(hours=a.hours, dataset=str(folder), out_dir=str(out), seed=r), progress=False)
            else:
                data = ImageData('fashion-mnist subset', xtr.clone(), ytr.clone(), xte.clone(), yte.clone(), list(FMNIST_CLASSES), pad=0, flip=True)
                res = run(TrainConfig(hours=a.hours, dataset='fashion-mnist', out_dir=str(out), seed=r), progress=False, data=data)
            s = res.summary
            rows.append(dict(round=r, seed=r, source=kind, images_per_s=round(s['images_seen'] / (s['hours'] * 3600), 1), epochs=s['epochs'],
                             top1=s['top1'], loader=(s.get('data') or {}).get('loader', 'ImageData given'),
                             cached='decoded before' in (s.get('data') or {}).get('reason', '')))
            print(rows[-1], flush=True)
    import pandas as pd
    df = pd.DataFrame(rows)
    mean = df.groupby('source')[['images_per_s', 'epochs', 'top1']].mean().round(2)
    note = (f'{a.n_train} train / {a.n_test} test Fashion-MNIST images as grey 28x28 PNGs, against the same uint8 images in memory; '
            f'main-job defaults (effvit_cpu, curriculum), {a.hours:g} h each, {a.rounds} interleaved rounds (round r: seed r for both), on {cpu_name()}, '
            f'{torch.get_num_threads()} threads, {time.strftime("%Y-%m-%d")}. images/s over the whole budget (the folder decode is paid from it; `cached`: its decoded tensors read back from the cache). '
            f'Command: .venv/bin/python tools/folder_vs_memory.py --hours {a.hours:g} --rounds {a.rounds}')
    text = '| ' + ' | '.join(df.columns) + ' |\n|' + '---|' * len(df.columns) + '\n' + ''.join('| ' + ' | '.join(str(v) for v in row) + ' |\n' for row in df.values.tolist())
    text += '\nMeans:\n\n| source | images/s | epochs | top-1 |\n|---|---|---|---|\n' + ''.join(f'| {k} | {v.images_per_s} | {v.epochs} | {v.top1} |\n' for k, v in mean.iterrows())
    text = f'# A folder of small images against the same images in memory\n\n{text}\n{note}\n'
    print(text)
    if a.out: Path(a.out).write_text(text)


if __name__ == '__main__': main()
