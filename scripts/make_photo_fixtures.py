#!/usr/bin/env python3
"""Writes the picture fixtures under src/test/resources/photos/: pictures and their 28x28 inputs.

docs/pictures.md says how a picture becomes the network's 28x28 input (steps 1-6). This script
computes that independently of the Java code (DigitPictures), with PIL for decoding, orientation
and gray, and numpy (integer arithmetic) for everything after, so that the Java tests compare with
values they did not compute themselves. Run it with Debian's Python (numpy 1.24, Pillow 9.4):

    /usr/bin/python3 scripts/make_photo_fixtures.py [--data-dir data/mnist]

It needs the real MNIST (java -jar target/nnkurs.jar fetch-data): the photos are its first 100
test digits. Everything is seeded; a rerun writes the same bytes, and a file whose content would
be unchanged is left alone (numpy.savez stamps the zip entries with the current time).

Files (paths relative to src/test/resources/photos/):
  photos/NNN-L.jpg   the first 100 MNIST test digits (NNN the test index, L the label) as a user
                     would photograph them: dark ink on white paper, the 28x28 picture scaled up
                     with PIL's BICUBIC to a seeded size and inverted, pasted at a seeded place
                     into a white RGB canvas (280x280, a fifth of them 280x360, 360x280, 400x300
                     or 300x400), JPEG quality 90 (PIL's default 4:2:0). A third of them are
                     stored turned, with an EXIF orientation tag (3, 6, 8, and a few 2, 4, 5, 7)
                     that ImageOps.exif_transpose undoes: the stored pixels are the upright
                     picture transformed by the inverse of the tag's transform.
  photos.json        per photo: file, MNIST test index, label, EXIF orientation (1 = no tag),
                     the upright canvas size and the stored size [w, h], the digit's box.
  cases/...          edge cases for the reader (see cases()): an asymmetric 7 with each
                     EXIF orientation 1..8 as JPEG, orientation 6 in a PNG eXIf chunk, RGBA
                     light and dark ink on a transparent (black) background, 8-bit gray light on
                     black, 16-bit gray, a tall thin 1, an 8x8 digit, 28x28 pictures in both
                     styles, a blank and a too faint picture (refused), one exactly at the limit
                     (accepted), and a palette PNG.
                     (All EXIF is big-endian "MM", as PIL writes it, except
                     cases/orient-8-intel.jpg: little-endian "II".)
  reference.npz      for every accepted file, its 28x28 uint8 input under its relative path,
                     e.g. "photos/007-9.jpg" (numpy names the zip entry "photos/007-9.jpg.npy").
  reference.json     "refused": the files that hold no digit; "files": for every file, in
                     order, the facts step by step (process()): PIL's mode, stored_size and
                     orientation as stored, oriented_size [w, h], gray_sum (step 3), frame_sum,
                     frame_count and inverted (step 4), passthrough (28x28); for the others bg
                     (= bg_sum / bg_count, after inverting) and hi, refused, and for accepted
                     ones box [x0, y0, x1, y1], scaled_size [w, h], placed [x, y],
                     centre_of_mass [x, y], wanted_shift and shift [dx, dy] (clamped).

Readings of docs/pictures.md where it leaves a choice (the simplest one each time):
  - Orientation: only the EXIF tag counts (JPEG APP1, PNG eXIf), as exif_transpose applies it.
  - Gray: mode L as stored; 16-bit gray (PIL opens it as mode I or I;16) by its high byte v >> 8;
    RGB by convert("L"); RGBA, LA and P (palette, with or without tRNS) go through RGBA: each
    channel c' = floor((c*a + 255*(255 - a))/255 + 0.5), in integers (2*(c*a + 255*(255 - a))
    + 255) // 510, then convert("L") of the RGB (the colour under alpha 0 never shows).
  - The frame is the set of pixels in the first or last row or column, each counted once
    (corners once). Its mean is exact: invert when sum > 127 * count. bg = sum / count exactly.
  - Levels use the inverted picture (bg and hi after step 4), exactly:
    v' = clamp(floor((v*n - sum) * 255 / (hi*n - sum) + 0.5), 0, 255) with n the frame's pixel
    count; refused when (hi - bg) < 32, i.e. hi*n - sum < 32*n (hi - bg = 32 is accepted).
    No fixture is a tie at which float64 evaluation of the formula would round differently.
  - The box is (x0, y0, x1, y1) with x1, y1 exclusive: width x1 - x0. The scaled size keeps the
    orientation of the box: the longer side 20, the shorter max(1, floor(s*20/longer + 0.5));
    a square box becomes 20x20. Boxes smaller than 20 are scaled up by the same rule.
  - Area-weighted scaling: output pixel i (of oh) covers [i*h/oh, (i+1)*h/oh) of the box's
    rows, and likewise for columns. With coordinates multiplied by oh, resp. ow, the weights are
    integers: Wy[i, y] = |[i*h, (i+1)*h) & [y*oh, (y+1)*oh)| (oh x h), Wx likewise (ow x w), and
    out = Wy @ v @ Wx.T / (h*w), in float64 (exact: every sum is an integer below 2^53);
    rounding floor(x + 0.5), computed in integers as (2*S + h*w) // (2*h*w).
  - The box's pixels are the levelled ones, all of them (also those below 128) inside the box.
  - Centre of mass over the 28x28 picture after placement, indices 0..27; shift per axis
    d = floor(14 - c + 0.5) exactly ((29*S - 2*Sx) // (2*S)), clamped to [-p, 28 - size - p]
    (p the placed offset, size the scaled size), so the scaled box stays inside the picture.
  - A 28x28 picture (after orientation) skips step 6 entirely, also when inverted.
"""
import argparse
import io
import json
import os
import sys

import numpy as np
import PIL
from PIL import Image, ImageDraw, ImageOps

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "src", "test", "resources", "photos")
SEED = 0
PHOTOS = 100
SIDE = 28
BOX_SIDE = 20
MIN_CONTRAST = 32
BOX_THRESHOLD = 128
CENTRE_TWICE = 28  # the centre of mass goes to 14 (twice: 28), as the spec says
QUALITY = 90

# exif_transpose's transform per orientation tag, and the stored pixels' transform (its inverse).
TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
INVERSE = {**TRANSPOSE, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


class Refused(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The spec, steps 2-6.

def gray(im):
    """Step 3: the oriented picture as a 2-D uint8 array."""
    if im.mode == "L":
        return np.array(im, dtype=np.uint8)
    if im.mode in ("I", "I;16", "I;16B", "I;16L"):
        v = np.array(im).astype(np.int64)
        assert v.min() >= 0 and v.max() <= 65535, "not a 16-bit gray picture"
        return (v >> 8).astype(np.uint8)
    if im.mode == "RGB":
        return np.array(im.convert("L"), dtype=np.uint8)
    if im.mode in ("RGBA", "LA", "P", "PA"):
        rgba = np.array(im.convert("RGBA")).astype(np.int64)
        c, a = rgba[..., :3], rgba[..., 3:]
        rgb = (2 * (c * a + 255 * (255 - a)) + 255) // 510
        return np.array(Image.fromarray(rgb.astype(np.uint8), "RGB").convert("L"), dtype=np.uint8)
    raise ValueError(f"mode {im.mode} is not covered")


def frame(v):
    """The sum and the count of the outermost pixels, each once."""
    mask = np.zeros(v.shape, dtype=bool)
    mask[0, :] = mask[-1, :] = mask[:, 0] = mask[:, -1] = True
    return int(v[mask].astype(np.int64).sum()), int(mask.sum())


def area_weights(n_out, n_in):
    """Wy (n_out x n_in): overlaps of [i*n_in, (i+1)*n_in) and [y*n_out, (y+1)*n_out)."""
    i = np.arange(n_out)[:, None]
    y = np.arange(n_in)[None, :]
    lo = np.maximum(i * n_in, y * n_out)
    hi = np.minimum((i + 1) * n_in, (y + 1) * n_out)
    return np.maximum(hi - lo, 0).astype(np.float64)


def scaled_size(w, h):
    longer = max(w, h)
    short = lambda s: max(1, (2 * s * BOX_SIDE + longer) // (2 * longer))  # noqa: E731
    return (BOX_SIDE, short(h)) if w >= h else (short(w), BOX_SIDE)


def shift(total, moment, placed, size, centre_twice):
    """floor(centre - moment/total + 0.5), clamped so that [placed, placed + size) stays in."""
    want = ((centre_twice + 1) * total - 2 * moment) // (2 * total)
    return want, int(min(max(want, -placed), SIDE - size - placed))


def process(path, box_threshold=BOX_THRESHOLD, centre_twice=CENTRE_TWICE):
    """(picture or None, facts) for one file, by docs/pictures.md."""
    im = Image.open(path)
    im.load()
    facts = {"mode": im.mode, "stored_size": list(im.size),
             "orientation": int(im.getexif().get(0x0112, 1))}
    im = ImageOps.exif_transpose(im)                                   # step 2
    w, h = im.size
    facts["oriented_size"] = [w, h]
    v = gray(im).astype(np.int64)                                      # step 3
    facts["gray_sum"] = int(v.sum())
    s, n = frame(v)
    inverted = s > 127 * n                                             # step 4
    facts["frame_sum"], facts["frame_count"], facts["inverted"] = s, n, bool(inverted)
    if inverted:
        v = 255 - v
    if (w, h) == (SIDE, SIDE):                                         # step 5
        facts["passthrough"] = True
        return v.astype(np.uint8), facts
    facts["passthrough"] = False
    s, n = frame(v)
    hi = int(v.max())
    d = hi * n - s                                                     # (hi - bg) * n
    facts["bg"], facts["hi"], facts["bg_sum"], facts["bg_count"] = s / n, hi, s, n
    if d < MIN_CONTRAST * n:
        facts["refused"] = True
        return None, facts
    facts["refused"] = False
    num = (v * n - s) * 255
    levelled = np.clip((2 * num + d) // (2 * d), 0, 255)
    # The same in float64, as a Java double would compute it: no fixture may sit on a tie.
    as_double = np.clip(np.floor((v - s / n) * 255 / (hi - s / n) + 0.5), 0, 255)
    facts["levels_float64_differs"] = int((as_double != levelled).sum())
    ys, xs = np.nonzero(levelled >= box_threshold)
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    box = levelled[y0:y1, x0:x1]
    bw, bh = x1 - x0, y1 - y0
    ow, oh = scaled_size(bw, bh)
    total = area_weights(oh, bh) @ box.astype(np.float64) @ area_weights(ow, bw).T
    assert total.max() < 2 ** 53
    exact = total.astype(np.int64)
    assert (exact == total).all()
    small = (2 * exact + bw * bh) // (2 * bw * bh)
    assert (small == np.floor(total / (bw * bh) + 0.5)).all()
    px, py = (SIDE - ow) // 2, (SIDE - oh) // 2
    out = np.zeros((SIDE, SIDE), dtype=np.int64)
    out[py:py + oh, px:px + ow] = small
    mass = int(out.sum())
    idx = np.arange(SIDE)
    mx, my = int((out.sum(axis=0) * idx).sum()), int((out.sum(axis=1) * idx).sum())
    want_x, dx = shift(mass, mx, px, ow, centre_twice)
    want_y, dy = shift(mass, my, py, oh, centre_twice)
    moved = np.zeros_like(out)
    moved[py + dy:py + dy + oh, px + dx:px + dx + ow] = small
    facts.update({"box": [x0, y0, x1, y1], "scaled_size": [ow, oh], "placed": [px, py],
                  "centre_of_mass": [mx / mass, my / mass], "wanted_shift": [want_x, want_y],
                  "shift": [dx, dy]})
    return moved.astype(np.uint8), facts


# ---------------------------------------------------------------------------------------------
# Writing files, each only when its bytes change.

def write_bytes(rel, data):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    with open(path, "wb") as f:
        f.write(data)
    return True


def encoded(im, fmt, **options):
    buf = io.BytesIO()
    im.save(buf, fmt, **options)
    return buf.getvalue()


def exif_of(orientation, endian=None):
    exif = Image.Exif()
    exif.endian = endian  # PIL writes big-endian ("MM") unless told "<" ("II")
    exif[0x0112] = orientation
    return exif


def stored(upright, orientation, fmt, endian=None, **options):
    """The file's bytes: upright turned by the tag's inverse, the tag in EXIF (none for 1)."""
    if orientation == 1:
        return encoded(upright, fmt, **options)
    return encoded(upright.transpose(INVERSE[orientation]), fmt,
                   exif=exif_of(orientation, endian), **options)


def savez(rel, arrays):
    path = os.path.join(ROOT, rel)
    if os.path.exists(path):
        with np.load(path) as old:
            if list(old.keys()) == list(arrays.keys()) and all(
                    old[k].dtype == v.dtype and old[k].shape == v.shape
                    and old[k].tobytes() == v.tobytes() for k, v in arrays.items()):
                return False
    np.savez(path, **arrays)
    return True


def json_text(value):
    """Top-level keys one a line; a list of objects one object a line."""
    def line(v):
        if isinstance(v, list) and v and isinstance(v[0], dict):
            return "[\n" + ",\n".join("  " + json.dumps(x) for x in v) + "\n ]"
        return json.dumps(v)
    text = "{\n" + ",\n".join(f" {json.dumps(k)}: {line(v)}" for k, v in value.items()) + "\n}\n"
    json.loads(text)
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The photos.

def idx(path, count, header, shape):
    with open(path, "rb") as f:
        f.seek(header)
        data = f.read(count * int(np.prod(shape)))
    return np.frombuffer(data, dtype=np.uint8).reshape((count,) + shape).copy()


def photos(rng, images, labels):
    """{relative path: bytes} and the photos.json rows."""
    canvases = [(280, 360), (360, 280), (400, 300), (300, 400)]
    odd = set(rng.choice(PHOTOS, size=PHOTOS // 5, replace=False).tolist())
    turned = rng.choice(PHOTOS, size=PHOTOS // 3, replace=False).tolist()
    tags = [3] * 8 + [6] * 9 + [8] * 8 + [2, 2, 4, 4, 5, 5, 7, 7]
    tags = rng.permutation(tags).tolist()
    orientation = dict(zip(turned, tags))
    files, rows = {}, []
    for i in range(PHOTOS):
        cw, ch = canvases[int(rng.integers(len(canvases)))] if i in odd else (280, 280)
        side = int(rng.integers(90, min(cw, ch) - 20 + 1))
        x = int(rng.integers(0, cw - side + 1))
        y = int(rng.integers(0, ch - side + 1))
        digit = Image.fromarray(images[i], "L").resize((side, side), Image.BICUBIC)
        ink = Image.fromarray(255 - np.array(digit), "L").convert("RGB")
        canvas = Image.new("RGB", (cw, ch), (255, 255, 255))
        canvas.paste(ink, (x, y))
        k = orientation.get(i, 1)
        rel = f"photos/{i:03d}-{labels[i]}.jpg"
        files[rel] = stored(canvas, k, "JPEG", quality=QUALITY)
        assert len(files[rel]) < 20000, f"{rel}: {len(files[rel])} bytes"
        stored_size = [ch, cw] if k >= 5 else [cw, ch]
        rows.append({"file": rel, "mnist_test_index": i, "label": int(labels[i]),
                     "orientation": k, "canvas_size": [cw, ch], "stored_size": stored_size,
                     "digit_box": [x, y, x + side, y + side]})
        check_orientation(canvas, k)
    return files, rows


def check_orientation(upright, k):
    """exif_transpose of the stored picture is the upright one: exactly through PNG, and
    through JPEG closer to it than to any other of the eight ways to turn it."""
    png = Image.open(io.BytesIO(stored(upright, k, "PNG")))
    assert png.getexif().get(0x0112, 1) == k
    assert np.array_equal(np.array(ImageOps.exif_transpose(png)), np.array(upright))
    jpg = ImageOps.exif_transpose(Image.open(io.BytesIO(stored(upright, k, "JPEG",
                                                                quality=QUALITY))))
    got = np.array(jpg.convert("L")).astype(np.int64)
    ref = np.array(upright.convert("L")).astype(np.int64)
    assert got.shape == ref.shape
    err = np.abs(got - ref).mean()
    for m in TRANSPOSE.values():
        other = np.array(upright.convert("L").transpose(m)).astype(np.int64)
        if other.shape == ref.shape and not np.array_equal(other, ref):
            assert err < np.abs(got - other).mean(), f"orientation {k} not undone"


# ---------------------------------------------------------------------------------------------
# The edge cases.

def seven(size=(150, 200)):
    """An asymmetric 7, dark (ink 30) on white, with a foot at its lower end."""
    im = Image.new("L", size, 255)
    d = ImageDraw.Draw(im)
    d.polygon([(35, 35), (118, 35), (118, 58), (35, 58)], fill=30)        # the bar
    d.polygon([(96, 35), (118, 35), (72, 165), (50, 165)], fill=30)      # the stroke
    d.polygon([(50, 150), (88, 150), (88, 165), (50, 165)], fill=30)     # the foot
    return im


def mnist_light(digit, side):
    return Image.fromarray(digit, "L").resize((side, side), Image.BICUBIC)


def cases(rng, images):
    files = {}
    up = seven().convert("RGB")
    results = set()
    for m in [None] + list(TRANSPOSE.values()):    # the 7 differs from each turn of it
        t = up if m is None else up.transpose(m)
        results.add(t.tobytes() + bytes(t.size[0]))
    assert len(results) == 8
    for k in range(1, 9):
        if k > 1:
            check_orientation(up, k)
        files[f"cases/orient-{k}.jpg"] = stored(up, k, "JPEG", quality=QUALITY)
    files["cases/orient-6.png"] = stored(up, 6, "PNG")
    files["cases/orient-8-intel.jpg"] = stored(up, 8, "JPEG", endian="<", quality=QUALITY)

    # RGBA: light blue and dark blue ink with soft edges on a transparent black background.
    alpha = np.array(mnist_light(images[100], 90))                        # a 6
    for name, colour in (("rgba-light", (170, 200, 235)), ("rgba-dark", (20, 30, 90))):
        a = np.zeros((120, 110), dtype=np.uint8)
        a[12:102, 8:98] = alpha
        rgba = np.zeros((120, 110, 4), dtype=np.uint8)
        rgba[..., :3] = colour
        rgba[..., :3][a == 0] = 0
        rgba[..., 3] = a
        files[f"cases/{name}.png"] = encoded(Image.fromarray(rgba, "RGBA"), "PNG")

    g = np.zeros((100, 100), dtype=np.uint8)                              # a 9, off-centre
    g[50:95, 8:53] = np.array(mnist_light(images[104], 45))
    files["cases/gray-light-on-black.png"] = encoded(Image.fromarray(g, "L"), "PNG")

    # 16-bit: a dark 2 on light paper; the low byte is noise, which only v >> 8 ignores.
    hi = 255 - np.array(mnist_light(images[1], 84)).astype(np.int64)
    hi = np.pad(hi, ((10, 26), (20, 16)), constant_values=255)
    v16 = hi * 256 + rng.integers(0, 256, size=hi.shape)
    i16 = Image.frombytes("I;16", (hi.shape[1], hi.shape[0]), v16.astype("<u2").tobytes())
    files["cases/gray16.png"] = encoded(i16, "PNG")

    # A 1 of 3x150 pixels (scaled to 1x20: max(1, ...) counts) on paper lit from above:
    # the frame's mean is not a whole number.
    paper = 250 - np.arange(200) * 20 // 199
    one = np.repeat(np.repeat(paper[:, None], 60, axis=1)[..., None], 3, axis=2)
    one[25:175, 28:31] = (40, 40, 50)
    files["cases/tall-one.png"] = encoded(Image.fromarray(one.astype(np.uint8), "RGB"), "PNG")

    bitmap = ["########",                                                  # a 7 of 8x8 pixels
              "#######.",
              ".....##.",
              "....##..",
              "....##..",
              "...##...",
              "..##....",
              "..##...."]
    tiny = np.full((200, 200), 255, dtype=np.uint8)
    for r, row in enumerate(bitmap):
        for c, ch in enumerate(row):
            if ch == "#":
                tiny[120 + r, 60 + c] = 0
    files["cases/tiny-8x8.png"] = encoded(Image.fromarray(tiny, "L"), "PNG")

    files["cases/28-dark-on-light.png"] = encoded(Image.fromarray(255 - images[2], "L"), "PNG")
    files["cases/28-light-on-dark.png"] = encoded(Image.fromarray(images[3], "L"), "PNG")

    files["cases/blank.png"] = encoded(Image.new("L", (100, 100), 255), "PNG")
    for name, ink in (("nearly-flat", 240 - 31), ("faint-32", 240 - 32)):
        faint = np.full((100, 100), 240, dtype=np.uint8)
        d = np.array(mnist_light(images[4], 70))                          # a 4
        faint[15:85, 15:85][d >= 128] = ink
        files[f"cases/{name}.png"] = encoded(Image.fromarray(faint, "L"), "PNG")

    # A palette picture: a dark red 3 on light yellow, with a few colours of antialiasing.
    d = np.array(mnist_light(images[18], 80)).astype(np.int64)[..., None]   # a 3
    paper, ink = np.array([250, 240, 190]), np.array([140, 20, 30])
    rgb = (paper * (255 - d) + ink * d + 127) // 255
    canvas = np.zeros((110, 130, 3), dtype=np.int64)
    canvas[...] = paper
    canvas[20:100, 30:110] = rgb
    pal = Image.fromarray(canvas.astype(np.uint8), "RGB").quantize(colors=16, dither=0)
    files["cases/palette.png"] = encoded(pal, "PNG")
    return files


# ---------------------------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description="Writes the picture fixtures under "
                                            "src/test/resources/photos/.")
    p.add_argument("--data-dir", default="data/mnist",
                   help="folder with the raw MNIST IDX test files (default: data/mnist)")
    args = p.parse_args()
    d = args.data_dir
    images = idx(os.path.join(d, "t10k-images-idx3-ubyte"), 200, 16, (SIDE, SIDE))
    labels = idx(os.path.join(d, "t10k-labels-idx1-ubyte"), 200, 8, ())
    if labels[0] != 7 or labels[1] != 2:
        sys.exit(f"{d} does not hold the real MNIST")

    rng = np.random.default_rng(SEED)
    photo_files, rows = photos(rng, images, labels)
    case_files = cases(rng, images)
    files = {**photo_files, **case_files}
    changed = sum(write_bytes(rel, data) for rel, data in files.items())

    pictures, facts, refused = {}, [], []
    for rel in files:
        picture, f = process(os.path.join(ROOT, rel))
        assert f.get("levels_float64_differs", 0) == 0, f"{rel}: a tie in the levels"
        facts.append({"file": rel, **f})
        if picture is None:
            refused.append(rel)
        else:
            pictures[rel] = picture
    assert np.array_equal(pictures["cases/28-light-on-dark.png"], images[3])
    assert np.array_equal(pictures["cases/28-dark-on-light.png"], images[2])
    assert refused == ["cases/blank.png", "cases/nearly-flat.png"], refused
    upright = pictures["cases/orient-6.png"]
    assert np.array_equal(upright, process(io.BytesIO(encoded(seven().convert("RGB"), "PNG")))[0])
    for k in list(range(1, 9)) + ["8-intel"]:  # JPEG's losses only: far from any turned one
        got = pictures[f"cases/orient-{k}.jpg"].astype(np.int64)
        err = np.abs(got - upright).mean()
        assert err < 5 and all(err * 10 < np.abs(got - np.rot90(upright, j)).mean()
                               for j in (1, 2, 3)), k
    fact = {f["file"]: f for f in facts}
    assert fact["cases/tiny-8x8.png"]["box"] == [60, 120, 68, 128]
    assert fact["cases/tall-one.png"]["scaled_size"] == [1, 20]
    assert fact["cases/tall-one.png"]["bg_sum"] % fact["cases/tall-one.png"]["bg_count"] != 0

    changed += savez("reference.npz", pictures)
    changed += write_bytes("reference.json", json_text({
        "source": "scripts/make_photo_fixtures.py: docs/pictures.md steps 2-6 in PIL and numpy",
        "pillow": PIL.__version__,
        "numpy": np.__version__,
        "refused": refused,
        "files": facts,
    }))
    changed += write_bytes("photos.json", json_text({
        "source": "scripts/make_photo_fixtures.py: the first 100 MNIST test digits as photos",
        "photos": rows,
    }))
    total = sum(len(b) for b in files.values())
    print(f"{len(files)} pictures ({total} bytes), {len(refused)} refused; {changed} files written")


if __name__ == "__main__":
    main()
