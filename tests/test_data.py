"The idx reader and the in-memory data path."
import gzip
import numpy as np
import pytest
import torch
from effvit_nb.data import read_idx, write_idx, load_fashion_mnist, augment_batch, FASHION_MNIST_DIRS, _find_idx_dir
from conftest import fmnist_installed


@pytest.mark.skipif(not fmnist_installed(), reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_from_debian():
    d = _find_idx_dir(FASHION_MNIST_DIRS)
    assert read_idx(d / 'train-images-idx3-ubyte.gz').shape == (60000, 28, 28)
    assert read_idx(d / 't10k-labels-idx1-ubyte.gz').shape == (10000,)
    fm = load_fashion_mnist(download=False)
    assert fm.x_train.dtype == torch.uint8 and fm.x_train.shape == (60000, 1, 28, 28)
    assert torch.bincount(fm.y_train).tolist() == [6000] * 10
    assert torch.bincount(fm.y_test).tolist() == [1000] * 10
    assert fm.classes[0] == 'T-shirt/top' and fm.num_classes == 10
    # known content: the first training label of Fashion-MNIST is 9 (ankle boot), the first test label 9 too
    assert int(fm.y_train[0]) == 9 and int(fm.y_test[0]) == 9


def test_idx_round_trip_and_errors(tmp_path):
    imgs = np.random.default_rng(0).integers(0, 256, (7, 28, 28), dtype=np.uint8)
    labels = np.arange(7, dtype=np.uint8)
    for n, a in (('train-images-idx3-ubyte.gz', imgs), ('train-labels-idx1-ubyte.gz', labels),
                 ('t10k-images-idx3-ubyte.gz', imgs[:3]), ('t10k-labels-idx1-ubyte.gz', labels[:3])):
        write_idx(tmp_path / n, a)
    fm = load_fashion_mnist(root=tmp_path, download=False)
    assert fm.x_train.shape == (7, 1, 28, 28) and torch.equal(fm.x_train[:, 0], torch.from_numpy(imgs))
    # a truncated file is an error, not a silently short array
    raw = gzip.decompress((tmp_path / 'train-images-idx3-ubyte.gz').read_bytes())
    (tmp_path / 'short.gz').write_bytes(gzip.compress(raw[:-10]))
    with pytest.raises(ValueError, match='header says'): read_idx(tmp_path / 'short.gz')
    with pytest.raises(FileNotFoundError, match='dataset-fashion-mnist'): load_fashion_mnist(root=tmp_path / 'none', download=False)


def test_augment_keeps_content():
    x = torch.randint(0, 255, (16, 1, 28, 28), dtype=torch.uint8)
    y = augment_batch(x, pad=0, flip=True, generator=torch.Generator().manual_seed(0))
    for a, b in zip(x, y): assert torch.equal(a, b) or torch.equal(a.flip(-1), b)
