"""Check effvit_nb against other versions of its dependencies: put them first on the path, run this, read the verdict.

    .venv/bin/pip install --no-deps --target /tmp/timm1.0.26 timm==1.0.26
    PYTHONPATH=/tmp/timm1.0.26 .venv/bin/python tools/dependency_floor.py

It imports every module, builds every model (and through timm's registry), trains each plan for a few steps on synthetic
data, and trains a few steps on a generated JPEG folder with RandAugment. The floors in pyproject.toml are the oldest
versions this passed with (the versions tried, and what failed, are in the comment there)."""
import importlib, pkgutil, sys, tempfile
from pathlib import Path


def main() -> int:
    import numpy, pandas, PIL, timm, torch, torchvision, tqdm, matplotlib
    print('versions:', {m.__name__: m.__version__ for m in (torch, torchvision, timm, numpy, pandas, PIL, matplotlib, tqdm)})
    import effvit_nb
    for m in pkgutil.iter_modules(effvit_nb.__path__): importlib.import_module(f'effvit_nb.{m.name}')
    from effvit_nb.models import model_names
    from effvit_nb.trainer import TrainConfig, run
    from effvit_nb.folders import make_image_folder
    for n in model_names():
        s = 32 if n.endswith('_cpu') else 64
        timm.create_model(n, num_classes=3, img_size=s)(torch.randn(1, 3, s, s)).sum().backward()
    with tempfile.TemporaryDirectory() as d:
        from effvit_nb.config import METHODS
        for plan in METHODS:  # every registered plan, plug-ins included
            r = run(TrainConfig(hours=0.05, epochs=0.5, dataset='synthetic', model='deit_cpu', plan=plan, batch_size=32, out_dir=f'{d}/{plan}'), progress=False)
            print(f'{plan}: {r.steps} steps, top-1 {r.top1:.1f}')
        folder = make_image_folder(Path(d) / 'jpgs', n_train=8, n_val=4, size=(48, 40), fmt='jpg')
        r = run(TrainConfig(hours=0.05, epochs=1.0, dataset=str(folder), model='deit_cpu', img_size=32, loader='stream', workers=1,
                            auto_augment='rand-m9-mstd0.5-inc1', plan='curriculum', batch_size=4, out_dir=f'{d}/folder'), progress=False)
        print(f'folder: {r.steps} steps')
    print('ok')
    return 0


if __name__ == '__main__': sys.exit(main())
