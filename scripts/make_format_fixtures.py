#!/usr/bin/env python3
"""Writes the array-format fixtures under src/test/resources/fixtures/formats/, with numpy only.

The Java readers of .npy/.npz and .safetensors are tested against files and values that numpy
wrote, not against what the Java code computes itself. Run it with Debian's numpy (1.24):

    /usr/bin/python3 scripts/make_format_fixtures.py

Files (from ../state_dict.npz, numpy.savez of PyTorch's 784-8-8-8-10 state_dict):
  fortran_state_dict.npz   the same arrays as numpy.asfortranarray: fortran_order True on disk
  bf16_state_dict.safetensors
                           the same arrays as bfloat16 (dtype BF16), each float32 rounded to the
                           nearest bfloat16 (ties to even) by numpy bit operations; the biases as F16
  bf16_state_dict_expected.npz
                           what those bfloat16/float16 numbers are as float32 (C order, numpy)
  dtypes.npz               one array per numpy dtype and layout the reader accepts: big- and
                           little-endian, fortran and C order, 0-d, empty, float16, bool, ...
  dtypes.safetensors       one tensor per readable safetensors dtype, written byte by byte
  dtypes.json              name -> {"shape": [...], "values": [...] in C order} for both files
"""
import json
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "src", "test", "resources", "fixtures")
OUT = os.path.join(FIXTURES, "formats")


def to_bf16_bits(a):
    """float32 -> uint16 bfloat16 bits, round to nearest, ties to even (no NaN in the input)."""
    bits = np.ascontiguousarray(a, dtype="<f4").view("<u4").astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("<u2")


def from_bf16_bits(b):
    """uint16 bfloat16 bits -> the float32 they are: the upper 16 bits of an IEEE float32."""
    return (b.astype("<u4") << 16).view("<f4")


def safetensors(path, tensors, metadata=None):
    """tensors: list of (name, dtype string, shape, raw little-endian bytes), in data order."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # padded with spaces to 8 bytes, as the format allows
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, _, raw in tensors:
            f.write(raw)


def savez_stable(path, arrays):
    """numpy.savez, but only if the arrays differ from what is there (zip entries carry times)."""
    if os.path.exists(path):
        with np.load(path) as old:
            if sorted(old.files) == sorted(arrays) and all(
                    old[k].dtype == v.dtype and old[k].shape == v.shape
                    and np.isfortran(old[k]) == np.isfortran(v)
                    and np.array_equal(old[k], v, equal_nan=True) for k, v in arrays.items()):
                return
    np.savez(path, **arrays)


def main():
    os.makedirs(OUT, exist_ok=True)
    with np.load(os.path.join(FIXTURES, "state_dict.npz")) as z:
        state = {k: z[k] for k in z.files}

    fortran = {k: np.asfortranarray(v) for k, v in state.items()}
    assert all(np.isfortran(v) for k, v in fortran.items() if v.ndim == 2)
    savez_stable(os.path.join(OUT, "fortran_state_dict.npz"), fortran)

    tensors, expected = [], {}
    for k, v in state.items():
        if k.endswith(".weight"):
            bits = to_bf16_bits(v)
            tensors.append((k, "BF16", v.shape, bits.tobytes()))
            expected[k] = from_bf16_bits(bits).reshape(v.shape)
        else:
            half = v.astype("<f2")
            tensors.append((k, "F16", v.shape, half.tobytes()))
            expected[k] = half.astype("<f4")
    safetensors(os.path.join(OUT, "bf16_state_dict.safetensors"), tensors,
                {"format": "pt", "written_by": "scripts/make_format_fixtures.py"})
    savez_stable(os.path.join(OUT, "bf16_state_dict_expected.npz"), expected)

    values = np.array([[1.0, -2.5, 3.140625], [1e-3, 65504.0, -0.0]], dtype=np.float32)
    cube = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8 - 1
    arrays = {
        "f4_c": values,
        "f4_fortran": np.asfortranarray(values),
        "f4_fortran_3d": np.asfortranarray(cube),
        "f4_big": values.astype(">f4"),
        "f4_big_fortran_3d": np.asfortranarray(cube.astype(">f4")),
        "f8": values.astype("<f8") / 3,
        "f2": values.astype("<f2"),
        "i8_big": np.array([1, -2, 2**40, -(2**62)], dtype=">i8"),
        "i8": np.array([[0, 1], [2, -3]], dtype="<i8"),
        "i4_fortran": np.asfortranarray(np.arange(6, dtype="<i4").reshape(2, 3) - 2),
        "i1": np.array([-128, 0, 127], dtype="i1"),
        "u1": np.array([0, 128, 255], dtype="u1"),
        "b1": np.array([True, False, True]),
        "scalar": np.array(7, dtype="<i8"),
        "empty": np.zeros((0, 3), dtype="<f4"),
    }
    savez_stable(os.path.join(OUT, "dtypes.npz"), arrays)
    facts = {}
    for k, v in arrays.items():
        facts["npz/" + k] = {"shape": list(v.shape),
                             "values": [x.item() for x in np.ravel(v, order="C")]}

    bf = to_bf16_bits(values)
    st = [
        ("bf16", "BF16", values.shape, bf.tobytes()),
        ("f16", "F16", values.shape, values.astype("<f2").tobytes()),
        ("f32_3d", "F32", cube.shape, cube.astype("<f4").tobytes()),
        ("f64", "F64", values.shape, (values.astype("<f8") / 3).tobytes()),
        ("i64", "I64", (4,), np.array([1, -2, 2**40, -(2**62)], "<i8").tobytes()),
        ("i32", "I32", (2, 2), np.array([[5, -6], [7, 8]], "<i4").tobytes()),
        ("i8", "I8", (3,), np.array([-128, 0, 127], "i1").tobytes()),
        ("u8", "U8", (3,), np.array([0, 128, 255], "u1").tobytes()),
        ("bool", "BOOL", (3,), np.array([True, False, True]).tobytes()),
        ("empty", "F32", (0, 3), b""),
    ]
    safetensors(os.path.join(OUT, "dtypes.safetensors"), st, {"format": "pt"})
    facts["safetensors/bf16"] = {"shape": list(values.shape),
                                 "values": [x.item() for x in from_bf16_bits(bf).ravel()]}
    facts["safetensors/f16"] = {"shape": [2, 3],
                                "values": [x.item() for x in values.astype("<f2").ravel()]}
    facts["safetensors/f32_3d"] = {"shape": [2, 3, 4], "values": cube.ravel().tolist()}
    facts["safetensors/f64"] = {"shape": [2, 3],
                                "values": (values.astype("<f8") / 3).ravel().tolist()}
    facts["safetensors/i64"] = {"shape": [4], "values": [1, -2, 2**40, -(2**62)]}
    facts["safetensors/i32"] = {"shape": [2, 2], "values": [5, -6, 7, 8]}
    facts["safetensors/i8"] = {"shape": [3], "values": [-128, 0, 127]}
    facts["safetensors/u8"] = {"shape": [3], "values": [0, 128, 255]}
    facts["safetensors/bool"] = {"shape": [3], "values": [True, False, True]}
    facts["safetensors/empty"] = {"shape": [0, 3], "values": []}
    with open(os.path.join(OUT, "dtypes.json"), "w") as f:
        json.dump(facts, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
