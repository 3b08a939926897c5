#!/usr/bin/env python3
"""Times the slides' PyTorch loop for scripts/benchmark: seconds per training epoch with the
slides' DataLoader (--loop dataloader: torchvision MNIST, ToTensor + Normalize, batch 256,
shuffle) or over in-memory tensors (--loop memory: the normalised training set as one tensor, a
fresh permutation per epoch applied once, each batch a slice). Writes JSON.

  bench_python.py --loop memory --data-dir data/mnist --epochs 5 --threads 1 --json out.json

Needs torch and torchvision (Debian: apt-get install python3-torch python3-torchvision).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
import torchvision
from torch import nn, optim
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slides_mnist import slides_model, torchvision_root  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description="Times the slides' PyTorch loop.")
    p.add_argument("--data-dir", default="data/mnist", help="MNIST IDX folder (default: data/mnist)")
    p.add_argument("--epochs", type=int, default=4,
                   help="epochs per loop; the first is the warm-up (default: 4)")
    p.add_argument("--threads", type=int, default=0,
                   help="torch.set_num_threads; 0 keeps torch's default (default: 0)")
    p.add_argument("--loop", choices=["dataloader", "memory"], required=True,
                   help="the slides' DataLoader or in-memory tensors")
    p.add_argument("--max-batches", type=int, default=0,
                   help="stop each epoch after N batches, for a quick check (default: 0, all)")
    p.add_argument("--json", required=True, help="file to write the figures to")
    args = p.parse_args()
    if args.epochs < 2:
        p.error(f"--epochs must be at least 2 (one warm-up), got {args.epochs}")
    if args.threads < 0:
        p.error(f"--threads must be 0 or more, got {args.threads}")
    if not os.path.isdir(args.data_dir):
        p.error(f"--data-dir {args.data_dir}: no such folder")
    return args


def one_epoch(model, criterion, optimizer, batches, max_batches):
    """The slides' inner loop; returns the seconds it took and the examples it saw."""
    start = time.perf_counter()
    running_loss = 0
    seen = 0
    for step, (images, labels) in enumerate(batches):
        if max_batches and step == max_batches:
            break
        seen += images.shape[0]
        images = images.view(images.shape[0], -1)
        prediction = model(images)
        loss = criterion(prediction, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    return time.perf_counter() - start, seen


def timed(batches_per_epoch, epochs, max_batches):
    torch.manual_seed(1)
    model = slides_model()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.003)
    seconds = []
    for e in range(epochs):
        s, seen = one_epoch(model, criterion, optimizer, batches_per_epoch(), max_batches)
        seconds.append(s)
        print(f"  epoch {e + 1}/{epochs}: {s:.2f} s", file=sys.stderr, flush=True)
    return seconds, seen


def in_memory_batches(images, labels, batch_size=256):
    """A fresh permutation per epoch, applied once to the whole set; batches are slices of it."""
    def epoch():
        order = torch.randperm(images.shape[0])
        shuffled_images, shuffled_labels = images[order], labels[order]
        for i in range(0, images.shape[0], batch_size):
            yield shuffled_images[i:i + batch_size], shuffled_labels[i:i + batch_size]
    return epoch


def main():
    args = parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    trainset = datasets.MNIST(torchvision_root(args.data_dir), download=False, train=True,
                              transform=transform)
    if args.loop == "dataloader":
        print("Python, the slides' DataLoader:", file=sys.stderr)
        loader = DataLoader(trainset, batch_size=256, shuffle=True)
        seconds, seen = timed(lambda: loader, args.epochs, args.max_batches)
    else:
        images = trainset.data.float().div(255).sub(0.5).div(0.5).unsqueeze(1)
        print("Python, in-memory tensors:", file=sys.stderr)
        seconds, seen = timed(in_memory_batches(images, trainset.targets), args.epochs,
                              args.max_batches)
    median = statistics.median(seconds[1:])
    result = {
        "loop": args.loop,
        "secondsPerEpoch": seconds,
        "medianSecondsPerEpoch": median,
        "samplesPerSecond": seen / median,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__,
                     "python": sys.version.split()[0]},
        "threads": torch.get_num_threads(),
    }
    tmp = args.json + ".partial"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, args.json)


if __name__ == "__main__":
    main()
