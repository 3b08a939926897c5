#!/usr/bin/env python3
"""Loads Java-trained weights into the slides' nn.Sequential and saves it as TorchScript.

    export_torchscript.py --weights models/mnist.npz --out models/mnist.pt [--logits]

The weights file uses the state_dict names of the slides' nn.Sequential (0.weight ... 6.bias),
as the Java side writes them. The saved .pt takes a float32 batch (N, 784) of normalised pixels
and returns (N, 10): probabilities for the slides' model, logits with --logits.

Needs torch and torchvision (it takes the model from slides_mnist.py, which imports both).
"""
import argparse
import os
import sys

import numpy as np
import torch

from slides_mnist import slides_model  # the same nn.Sequential as the training script


def main():
    p = argparse.ArgumentParser(description="Java weights (.npz) to TorchScript (.pt).")
    p.add_argument("--weights", required=True, help="weights .npz with state_dict names")
    p.add_argument("--out", required=True, help="TorchScript file to write (.pt)")
    p.add_argument("--logits", action="store_true", help="the model without the final Softmax")
    args = p.parse_args()
    if not os.path.isfile(args.weights):
        p.error(f"--weights {args.weights}: no such file")

    model = slides_model(args.logits)
    try:
        with np.load(args.weights) as npz:
            state = {k: torch.from_numpy(npz[k]) for k in npz.files}
    except (OSError, ValueError) as e:
        sys.exit(f"export_torchscript.py: {args.weights}: not a readable .npz file ({e})")
    try:
        model.load_state_dict(state)
    except RuntimeError as e:
        sys.exit(f"export_torchscript.py: {args.weights}: weights do not fit the model: "
                 f"{str(e).strip().splitlines()[0]}")
    model.eval()

    scripted = torch.jit.script(model)
    tmp = args.out + ".partial"
    scripted.save(tmp)
    os.replace(tmp, args.out)
    print(f"wrote {args.out} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
