"""Rasterises laid-out pages at a scan resolution and applies scan degradations (one page at a time)."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from lakehouse_sample.page_layout import PAGE_H, PAGE_W, font

RED = (205, 32, 38)
INK = {"k": 12}


def choose_degradations(rng: random.Random, device: str, dpi: int) -> list[dict]:
    """Pick the degradations of one page (recorded in the ground truth)."""
    out: list[dict] = []
    if device == "phone":
        out.append({"kind": "shading", "strength": round(rng.uniform(0.12, 0.3), 3)})
        out.append({"kind": "blur", "radius_pt": round(rng.uniform(0.12, 0.3), 3)})
        if rng.random() < 0.5:
            out.append({"kind": "skew", "angle": round(rng.uniform(-3, 3), 2)})
        out.append({"kind": "noise", "sigma": round(rng.uniform(3, 7), 2)})
        return out
    if rng.random() < 0.55:
        return out  # clean scan
    if rng.random() < 0.6:
        out.append({"kind": "skew", "angle": round(rng.choice([-1, 1]) * rng.uniform(0.3, 3.0), 2)})
    if rng.random() < 0.3:
        out.append({"kind": "stain", "count": rng.randint(1, 3), "seed": rng.randint(0, 10**6)})
    if rng.random() < 0.25:
        out.append({"kind": "dark", "gain": round(rng.uniform(0.6, 0.8), 3)})
    elif rng.random() < 0.25:
        out.append({"kind": "low_contrast", "range": round(rng.uniform(0.45, 0.65), 3)})
    if rng.random() < 0.25:
        out.append({"kind": "blur", "radius_pt": round(rng.uniform(0.1, 0.25), 3)})
    if rng.random() < 0.35:
        out.append({"kind": "noise", "sigma": round(rng.uniform(4, 12), 2)})
    if not out:
        out.append({"kind": "noise", "sigma": 5.0})
    return out


def _draw_seal(img: Image.Image, cx: float, cy: float, r: float, ring: str, s: float) -> None:
    size = int(2 * r * s) + 4
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    c = size / 2
    w1 = max(2, int(2.2 * s))
    rr = r * s
    d.ellipse([c - rr + 1, c - rr + 1, c + rr - 1, c + rr - 1], outline=200, width=w1)
    ri = rr * 0.72
    d.ellipse([c - ri, c - ri, c + ri, c + ri], outline=200, width=max(1, int(1.2 * s)))
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        rad = ri * (0.42 if k % 2 == 0 else 0.17)
        pts.append((c + rad * math.cos(a), c + rad * math.sin(a)))
    d.polygon(pts, fill=200)
    fsz = max(6.0, 7.5 * s)
    f = font("b", fsz)
    text = ring[:46]
    n = len(text)
    span = 2 * math.pi * 0.92
    rt = (rr + ri) / 2
    for i, ch in enumerate(text):
        if ch == " ":
            continue
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        g = Image.new("L", (int(fsz * 1.6), int(fsz * 1.6)), 0)
        ImageDraw.Draw(g).text((g.width / 2, g.height / 2), ch, font=f, fill=200, anchor="mm")
        g = g.rotate(-math.degrees(a) - 90, resample=Image.BILINEAR)
        px, py = c + rt * math.cos(a) - g.width / 2, c + rt * math.sin(a) - g.height / 2
        mask.paste(g, (int(px), int(py)), g)
    x0, y0 = int(cx * s - size / 2), int(cy * s - size / 2)
    red = Image.new("RGB", (size, size), RED)
    img.paste(red, (x0, y0), mask)


def _draw_scribble(img: Image.Image, x: float, y: float, w: float, h: float, seed: int, s: float) -> None:
    rng = random.Random(seed)
    d = ImageDraw.Draw(img)
    pts = []
    n = rng.randint(5, 9)
    for k in range(n * 6):
        t = k / (n * 6 - 1)
        px = x + w * t
        py = y + h / 2 + (h / 2.3) * math.sin(t * n * math.pi + rng.uniform(-0.3, 0.3)) * (1 - 0.4 * t)
        pts.append((px * s, py * s))
    d.line(pts, fill=(30, 40, 120), width=max(1, int(1.1 * s)), joint="curve")


def render_page(ops: list, dpi: int) -> Image.Image:
    """Draw one page; text in grey levels first, colour elements after."""
    s = dpi / 72.0
    w, h = round(PAGE_W * s), round(PAGE_H * s)
    gray = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(gray)
    colour_ops = []
    for op in ops:
        kind = op[0]
        if kind == "text":
            _, x, base, text, key, size, _colour, just = op
            f = font(key, size * s)
            if just:
                words = text.split()
                if len(words) > 1:
                    ws = [f.getlength(wd) for wd in words]
                    gap = (just * s - sum(ws)) / (len(words) - 1)
                    gap = min(gap, f.getlength(" ") * 3)
                    cx = x * s
                    for wd, ww in zip(words, ws, strict=True):
                        d.text((cx, base * s), wd, font=f, fill=INK["k"], anchor="ls")
                        cx += ww + gap
                    continue
            d.text((x * s, base * s), text, font=f, fill=INK["k"], anchor="ls")
        elif kind == "rule":
            _, x1, y, x2, lw = op
            d.line([(x1 * s, y * s), (x2 * s, y * s)], fill=INK["k"], width=max(1, round(lw * s)))
        else:
            colour_ops.append(op)
    img = Image.merge(
        "RGB",
        [
            gray.point(lambda v: v * 253 // 255),
            gray.point(lambda v: v * 250 // 255),
            gray.point(lambda v: v * 240 // 255),
        ],
    )
    for op in colour_ops:
        if op[0] == "seal":
            _draw_seal(img, op[1], op[2], op[3], op[4], s)
        elif op[0] == "scribble":
            _draw_scribble(img, *op[1:], s)
        elif op[0] == "stamp":
            _, x, y, bw, bh, text, size = op
            dd = ImageDraw.Draw(img)
            dd.rectangle([x * s, y * s, (x + bw) * s, (y + bh) * s], outline=RED, width=max(1, int(1.3 * s)))
            dd.text(
                ((x + bw / 2) * s, (y + bh / 2) * s), text, font=font("b", size * s), fill=RED, anchor="mm"
            )
    return img


def degrade(img: Image.Image, degradations: list[dict], dpi: int, seed: int) -> Image.Image:
    s = dpi / 72.0
    nprng = np.random.default_rng(seed)
    for dg in degradations:
        k = dg["kind"]
        if k == "skew":
            img = img.rotate(dg["angle"], resample=Image.BILINEAR, fillcolor=(246, 243, 235))
        elif k == "blur":
            img = img.filter(ImageFilter.GaussianBlur(dg["radius_pt"] * s))
        elif k == "stain":
            rng = random.Random(dg["seed"])
            over = Image.new("L", img.size, 0)
            od = ImageDraw.Draw(over)
            for _ in range(dg["count"]):
                cx, cy = rng.uniform(0.1, 0.9) * img.width, rng.uniform(0.1, 0.9) * img.height
                rx, ry = rng.uniform(0.03, 0.1) * img.width, rng.uniform(0.02, 0.08) * img.height
                od.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=rng.randint(50, 90))
            over = over.filter(ImageFilter.GaussianBlur(6 * s / 4))
            img = Image.composite(Image.new("RGB", img.size, (168, 132, 80)), img, over)
        elif k == "dark":
            g = dg["gain"]
            img = img.point(lambda v, g=g: int(v * g))
        elif k == "low_contrast":
            r = dg["range"]
            lo = int(255 * (1 - r) * 0.6)
            img = img.point(lambda v, r=r, lo=lo: int(lo + v * r))
        elif k == "shading":
            st = dg["strength"]
            xs = np.linspace(-1, 1, img.width, dtype=np.float32)
            ys = np.linspace(-1, 1, img.height, dtype=np.float32)
            field = 1 - st * (0.5 * (xs[None, :] + 1) * 0.6 + 0.4 * ys[:, None] ** 2)
            arr = np.asarray(img, dtype=np.float32) * field[:, :, None]
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        elif k == "noise":
            arr = np.asarray(img, dtype=np.int16)
            noise = nprng.normal(0, dg["sigma"], size=arr.shape[:2]).astype(np.int16)
            img = Image.fromarray(np.clip(arr + noise[:, :, None], 0, 255).astype(np.uint8))
    return img
