#!/usr/bin/env python3
"""Writes the test fixtures under src/test/resources/fixtures/: expected values from PyTorch.

The fast tests compare the Java code with values that PyTorch, torchvision and numpy computed
once, here, instead of with values the Java code computes itself. Run it with Debian's torch
(python3-torch 1.13.1, which reports 1.13.0a0; python3-torchvision 0.14.1; numpy 1.24):

    /usr/bin/python3 scripts/make_fixtures.py [--data-dir data/mnist]

It needs the real MNIST (java -jar target/nnkurs.jar fetch-data) for the handful of images it
copies into the fixtures. Everything is seeded; a rerun writes the same values, and an .npz whose
arrays are unchanged is left alone (numpy.savez stamps the zip entries with the current time).

Files:
  mnist_tiny.npz         10 training and 10 test images of the real MNIST (the first of each
                         file) with their labels, as uint8.
  course_transform.npz   torchvision's Compose([ToTensor(), Normalize((0.5,), (0.5,))]) of a
                         16x16 image holding every byte value 0..255, and of two MNIST images.
  state_dict.npz         numpy.savez of the state_dict of a torch.manual_seed(0) nn.Sequential
                         784-8-8-8-10 with ReLU and the final Softmax (the slides' network, narrower).
  state_dict.json        PyTorch's facts about it: names, shapes, sums, a few entries, and the
                         network's output for the 10 test images of mnist_tiny.npz.
  training_loop.json     the slides' loop in PyTorch from those weights on the 10 training images
                         (batch size 4, fixed orders, Adam lr 0.003, 2 epochs): every step's loss,
                         each epoch's running_loss / len(trainloader), the test predictions and
                         the test accuracy.
  activations.json       every hidden activation of the course by torch.nn.functional, and its
                         autograd derivative, on -3, -2.75, ..., 3 (derivatives without 0).
  provenance.json        the versions that computed all of the above.
"""
import argparse
import json
import os
import sys

import numpy as np
import PIL
import torch
import torchvision
from PIL import Image
from torch import nn, optim
from torch.nn import functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slides_mnist import EpochOrders  # noqa: E402  the slides' script replays orders the same way

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "src", "test", "resources", "fixtures")
SEED = 0
HIDDEN = [8, 8, 8]
TRAIN_COUNT = 10
TEST_COUNT = 10
BATCH_SIZE = 4
EPOCHS = 2
LR = 0.003

# The course's transform, as the slides write it.
TRANSFORM = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])


def idx(path, count, header, shape):
    with open(path, "rb") as f:
        f.seek(header)
        data = f.read(count * int(np.prod(shape)))
    return np.frombuffer(data, dtype=np.uint8).reshape((count,) + shape).copy()


def pil(pixels, side=28):
    """The image as torchvision's MNIST dataset hands it to the transform."""
    return Image.fromarray(pixels.reshape(side, side), mode="L")


def savez(name, **arrays):
    """numpy.savez, unless the file already holds exactly these arrays (names, order, bits)."""
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        with np.load(path) as old:
            if list(old.keys()) == list(arrays.keys()) and all(
                    old[k].dtype == v.dtype and old[k].shape == v.shape
                    and old[k].tobytes() == v.tobytes() for k, v in arrays.items()):
                print(f"{name}: unchanged")
                return
    np.savez(path, **arrays)
    print(f"{name}: written")


def write_json(name, value):
    """An object with one key per line; each value on its line, or one line per key below it."""
    def line(v):
        if isinstance(v, dict):
            return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(x)}"
                                       for k, x in v.items()) + "\n }"
        return json.dumps(v)
    text = "{\n" + ",\n".join(f" {json.dumps(k)}: {line(v)}" for k, v in value.items()) + "\n}\n"
    json.loads(text)
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{name}: written")


def f32(x):
    """A float32 as the double of the same value: json writes it so that Java reads it exactly."""
    return float(np.float32(x))


def network():
    layers = []
    width = 784
    for h in HIDDEN:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers += [nn.Linear(width, 10), nn.Softmax(dim=1)]
    return nn.Sequential(*layers)


class Images(Dataset):
    def __init__(self, images, labels):
        self.images, self.labels = images, labels

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return TRANSFORM(pil(self.images[i])), int(self.labels[i])


# The course's hidden activations by their labels in the Java code (HiddenActivation.label()).
ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky-relu": lambda x: F.leaky_relu(x, 0.01),
    # PyTorch has no ALReLU: the slide's formula, relu(x) + |0.01 * min(0, x)|.
    "alrelu": lambda x: F.relu(x) + torch.abs(0.01 * torch.clamp(x, max=0)),
    "prelu": lambda x: F.prelu(x, torch.tensor([0.25])),  # nn.PReLU()'s initial weight
    "rrelu": lambda x: F.rrelu(x, 1 / 8, 1 / 3, training=False),
    "elu": F.elu,
    "selu": F.selu,
    "gelu": F.gelu,
    "swish": F.silu,
    "mish": F.mish,
    "relu6": F.relu6,
}


def activations():
    grid = np.arange(-12, 13, dtype=np.float32) * np.float32(0.25)
    without_zero = grid[grid != 0]
    result = {}
    for label, f in ACTIVATIONS.items():
        values = f(torch.from_numpy(grid))
        x = torch.from_numpy(without_zero.copy()).requires_grad_()
        f(x).sum().backward()
        result[label] = {"values": [f32(v) for v in values.numpy()],
                         "derivatives": [f32(g) for g in x.grad.numpy()]}
    write_json("activations.json", {
        "source": "scripts/make_fixtures.py: torch.nn.functional on x = -3, -2.75, ..., 3 and"
                  " autograd derivatives (x != 0)",
        "x": [f32(v) for v in grid],
        "x_without_zero": [f32(v) for v in without_zero],
        **result,
    })


def course_transform(train_images, test_images):
    every_byte = np.arange(256, dtype=np.uint8)
    every_byte_out = TRANSFORM(pil(every_byte, 16)).numpy().reshape(256)
    images = np.stack([train_images[0], test_images[0]])
    images_out = np.stack([TRANSFORM(pil(x)).numpy().reshape(784) for x in images])
    assert every_byte_out.dtype == np.float32 and images_out.dtype == np.float32
    savez("course_transform.npz", every_byte=every_byte, every_byte_out=every_byte_out,
          images=images, images_out=images_out)


def state_dict(test_images):
    torch.manual_seed(SEED)
    model = network()
    sd = model.state_dict()
    savez("state_dict.npz", **{k: v.numpy() for k, v in sd.items()})
    with torch.no_grad():
        x = torch.stack([TRANSFORM(pil(img)) for img in test_images]).view(len(test_images), -1)
        output = model(x)
    facts = {
        "source": "scripts/make_fixtures.py: torch.manual_seed(%d), nn.Sequential 784-%s-10, ReLU,"
                  " Softmax(dim=1); numpy.savez(state_dict)" % (SEED, "-".join(map(str, HIDDEN))),
        "names": list(sd.keys()),
        "shapes": {k: list(v.shape) for k, v in sd.items()},
        "sums": {k: float(v.double().sum()) for k, v in sd.items()},
        # Entries at (row, column) positions that a transposed or shifted copy would not hold.
        "entries": {k: [[list(map(int, pos)), f32(v[tuple(pos)])] for pos in probe(v.shape)]
                    for k, v in sd.items()},
        "test_output": [[f32(p) for p in row] for row in output.numpy()],
    }
    write_json("state_dict.json", facts)
    return sd


def probe(shape):
    if len(shape) == 1:
        return [(0,), (shape[0] - 1,), (shape[0] // 3,)]
    rows, cols = shape
    return [(0, 0), (rows - 1, cols - 1), (0, cols - 1), (rows - 1, 0), (rows // 3, cols // 2 + 1)]


def training_loop(sd, train_images, train_labels, test_images, test_labels):
    rng = np.random.default_rng(SEED)
    orders = np.stack([rng.permutation(TRAIN_COUNT) for _ in range(EPOCHS)])

    model = network()
    model.load_state_dict(sd)
    trainset = Images(train_images, train_labels)
    # The slides' loop, with the Java side's fixed orders instead of shuffle=True.
    trainloader = DataLoader(trainset, batch_size=BATCH_SIZE, sampler=EpochOrders(orders))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=LR)
    step_losses, epoch_losses = [], []
    for e in range(EPOCHS):
        running_loss = 0
        for images, labels in trainloader:
            images = images.view(images.shape[0], -1)
            optimizer.zero_grad()
            prediction = model(images)
            loss = criterion(prediction, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            step_losses.append(loss.item())
        epoch_losses.append(running_loss / len(trainloader))

    with torch.no_grad():
        x = torch.stack([TRANSFORM(pil(img)) for img in test_images]).view(len(test_images), -1)
        output = model(x).numpy()
    top2 = np.sort(output, axis=1)[:, -2:]
    margin = float((top2[:, 1] - top2[:, 0]).min())
    # Float sums differ between libtorch builds in the last bits; a tie would make argmax fragile.
    assert margin > 1e-4, f"two classes within {margin} of each other: argmax is not robust"
    predictions = output.argmax(axis=1)
    write_json("training_loop.json", {
        "source": "scripts/make_fixtures.py: the slides' loop (nn.CrossEntropyLoss, optim.Adam)"
                  " from state_dict.npz on mnist_tiny.npz",
        "batch_size": BATCH_SIZE,
        "learning_rate": LR,
        "epochs": EPOCHS,
        "orders": orders.tolist(),
        "step_losses": step_losses,
        "epoch_losses": epoch_losses,
        "test_predictions": predictions.tolist(),
        "test_accuracy": float((predictions == test_labels).sum()) / len(test_labels),
        "smallest_top2_margin": margin,
    })


def main():
    p = argparse.ArgumentParser(description="Writes the test fixtures from PyTorch.")
    p.add_argument("--data-dir", default="data/mnist",
                   help="folder with the four raw MNIST IDX files (default: data/mnist)")
    args = p.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)

    d = args.data_dir
    train_images = idx(os.path.join(d, "train-images-idx3-ubyte"), TRAIN_COUNT, 16, (784,))
    train_labels = idx(os.path.join(d, "train-labels-idx1-ubyte"), TRAIN_COUNT, 8, ())
    test_images = idx(os.path.join(d, "t10k-images-idx3-ubyte"), TEST_COUNT, 16, (784,))
    test_labels = idx(os.path.join(d, "t10k-labels-idx1-ubyte"), TEST_COUNT, 8, ())
    # The first training label of MNIST is 5, the first test label 7.
    if train_labels[0] != 5 or test_labels[0] != 7:
        sys.exit(f"{d} does not hold the real MNIST")
    savez("mnist_tiny.npz", train_images=train_images, train_labels=train_labels,
          test_images=test_images, test_labels=test_labels)

    course_transform(train_images, test_images)
    sd = state_dict(test_images)
    training_loop(sd, train_images, train_labels, test_images, test_labels)
    activations()
    write_json("provenance.json", {
        "script": "scripts/make_fixtures.py",
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numpy": np.__version__,
        "pillow": PIL.__version__,
        "note": "Debian's python3-torch 1.13.1+dfsg reports its version as 1.13.0a0",
    })


if __name__ == "__main__":
    main()
