#!/usr/bin/env python3
"""The slides' MNIST hands-on in PyTorch, runnable, with a parity mode for the Java comparison.

Without options this is the slides' code: nn.Sequential with Softmax, nn.CrossEntropyLoss,
optim.Adam(lr=0.003), DataLoader(batch_size=256, shuffle=True), two epochs. With --init and
--order it starts from the Java side's initial weights and visits the batches in the Java side's
order; --save-record writes every step's loss and the test predictions as JSON (same keys as Java).

Needs torch and torchvision (Debian: apt-get install python3-torch python3-torchvision).
"""
import argparse
import atexit
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
import torchvision
from torch import nn, optim
from torch.utils.data import DataLoader, Sampler
from torchvision import datasets, transforms

FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def parse_args():
    p = argparse.ArgumentParser(description="The slides' MNIST loop in PyTorch.")
    p.add_argument("--data-dir", default="data/mnist",
                   help="folder with the four MNIST IDX files, raw or .gz (default: data/mnist)")
    p.add_argument("--epochs", type=int, default=2, help="number of epochs to train (default: 2)")
    p.add_argument("--batch-size", type=int, default=256,
                   help="input batch size for training (default: 256)")
    p.add_argument("--lr", type=float, default=0.003, help="learning rate (default: 0.003)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    p.add_argument("--logits", action="store_true",
                   help="train the model without the final Softmax (default: the slides' model)")
    p.add_argument("--max-batches", type=int, default=0,
                   help="stop each epoch after N batches; 0 runs whole epochs (default: 0)")
    p.add_argument("--init", help="start from these weights (.npz with state_dict names)")
    p.add_argument("--order", help="visit the training examples in the orders in this .npz")
    p.add_argument("--save-record", help="write every step's loss and the test predictions as JSON")
    args = p.parse_args()
    if args.epochs < 1:
        p.error(f"--epochs must be at least 1, got {args.epochs}")
    if args.batch_size < 1:
        p.error(f"--batch-size must be at least 1, got {args.batch_size}")
    if args.max_batches < 0:
        p.error(f"--max-batches must be 0 or more, got {args.max_batches}")
    for name in ("init", "order"):
        path = getattr(args, name)
        if path and not os.path.isfile(path):
            p.error(f"--{name} {path}: no such file")
    return args


def torchvision_root(data_dir):
    """Links (or unzips) the IDX files where datasets.MNIST(download=False) looks for them."""
    if all(os.path.isfile(os.path.join(data_dir, "MNIST", "raw", f)) for f in FILES):
        return data_dir
    root = tempfile.mkdtemp(prefix="mnist-torchvision-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    raw = os.path.join(root, "MNIST", "raw")
    os.makedirs(raw)
    for f in FILES:
        src = os.path.join(data_dir, f)
        if os.path.isfile(src):
            os.symlink(os.path.abspath(src), os.path.join(raw, f))
        elif os.path.isfile(src + ".gz"):
            with gzip.open(src + ".gz", "rb") as zin, open(os.path.join(raw, f), "wb") as out:
                shutil.copyfileobj(zin, out)
        else:
            sys.exit(f"slides_mnist.py: {data_dir}: no {f} (or {f}.gz) in this folder")
    return root


def slides_model(logits=False):
    """The slides' nn.Sequential; with logits=True without the final Softmax."""
    layers = [nn.Linear(784, 64), nn.ReLU(),
              nn.Linear(64, 64), nn.ReLU(),
              nn.Linear(64, 64), nn.ReLU(),
              nn.Linear(64, 10)]
    if not logits:
        layers.append(nn.Softmax(dim=1))
    return nn.Sequential(*layers)


class EpochOrders(Sampler):
    """Replays one given permutation per epoch, written by the Java side."""

    def __init__(self, orders):
        self.orders = orders
        self.epoch = 0

    def __iter__(self):
        order = self.orders[self.epoch]
        self.epoch += 1
        return iter(order.tolist())

    def __len__(self):
        return len(self.orders[0])


def open_npz(path):
    try:
        return np.load(path)
    except (OSError, ValueError) as e:
        sys.exit(f"slides_mnist.py: {path}: not a readable .npz file ({e})")


def load_orders(path, epochs, count):
    with open_npz(path) as npz:
        orders = []
        for e in range(1, epochs + 1):
            if f"epoch{e}" not in npz:
                sys.exit(f"slides_mnist.py: {path}: has no array epoch{e}; training needs {epochs}")
            order = npz[f"epoch{e}"].astype(np.int64)
            if sorted(order.tolist()) != list(range(count)):
                sys.exit(f"slides_mnist.py: {path}: epoch{e} is not a permutation of 0..{count - 1}")
            orders.append(order)
    return orders


def load_weights(model, path):
    with open_npz(path) as npz:
        state = {k: torch.from_numpy(npz[k]) for k in npz.files}
    try:
        model.load_state_dict(state)
    except RuntimeError as e:
        first = str(e).strip().splitlines()
        sys.exit(f"slides_mnist.py: {path}: weights do not fit the model: {' '.join(first[:2])}")


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    root = torchvision_root(args.data_dir)

    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((0.5,), (0.5,))])
    trainset = datasets.MNIST(root, download=False, train=True, transform=transform)
    testset = datasets.MNIST(root, download=False, train=False, transform=transform)
    if args.order:
        orders = load_orders(args.order, args.epochs, len(trainset))
        trainloader = DataLoader(trainset, batch_size=args.batch_size, sampler=EpochOrders(orders))
    else:
        trainloader = DataLoader(trainset, batch_size=args.batch_size, shuffle=True)

    model = slides_model(args.logits)
    if args.init:
        load_weights(model, args.init)

    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)

    step_losses, history = [], []
    batches = len(trainloader) if args.max_batches == 0 else min(args.max_batches, len(trainloader))
    for e in range(args.epochs):
        start = time.perf_counter()
        running_loss = 0
        steps = 0
        for images, labels in trainloader:
            images = images.view(images.shape[0], -1)
            prediction = model(images)
            loss = criterion(prediction, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            running_loss += loss.item()

            step_losses.append(loss.item())
            steps += 1
            if steps == batches:
                break  # only --max-batches stops an epoch early
        seconds = time.perf_counter() - start
        predictions = predict(model, testset)
        accuracy = float((predictions == testset.targets).float().mean())
        history.append({"epoch": e + 1, "meanLoss": running_loss / steps,
                         "testAccuracy": accuracy, "seconds": seconds})
        print(f"epoch {e + 1}  loss {running_loss / steps:.4f}  test accuracy {accuracy:.4f}"
              f"  {seconds:.1f} s", flush=True)

    if args.save_record:
        record = {
            "side": "python", "optimizer": "adam", "variant": "logits" if args.logits else "slides",
            "batchSize": args.batch_size, "learningRate": args.lr,
            "stepLosses": step_losses, "history": history,
            "testPredictions": predictions.tolist(), "testAccuracy": history[-1]["testAccuracy"],
            "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                         "python": sys.version.split()[0],
                         "threads": str(torch.get_num_threads())},
        }
        tmp = args.save_record + ".partial"
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.replace(tmp, args.save_record)


def predict(model, testset):
    testloader = DataLoader(testset, batch_size=1000, shuffle=False)
    model.eval()
    with torch.no_grad():
        out = [model(images.view(images.shape[0], -1)).argmax(1) for images, _ in testloader]
    model.train()
    return torch.cat(out)


if __name__ == "__main__":
    main()
