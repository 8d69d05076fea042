"""Hand J: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 7).

Students aged 13-16 draw one of the ten Fashion-MNIST classes on a 280x280
white canvas with a round black pen (22 or 18 px wide).  Some colour the
garment in ("filled": solid, scribbled or hatched), others draw its outline
plus a few inner lines that matter to them ("outline": collar, buttons,
laces, straps, pockets, ...).  Garments are seen from the front, shoes from
the side.  Each class has several shape variants built in a unit frame
(y pointing down); a drawing is then placed with random size, position and
tilt, warped a little, and traced as wobbly, sparsely sampled mouse strokes
with rounded or overshooting corners and strokes that do not quite meet.
"""

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280
STYLES = ("filled", "outline")


# ---------------------------------------------------------------- geometry


def pts(*xy):
    """Points given as (x, y) pairs, as an (n, 2) float array."""
    return np.array(xy, dtype=float).reshape(-1, 2)


def cat(*parts):
    """Concatenate points and point arrays into one (n, 2) array."""
    return np.vstack([np.asarray(p, dtype=float).reshape(-1, 2) for p in parts])


def arc(cx, cy, rx, ry, a0, a1, n=10):
    """Points on an ellipse arc from angle a0 to a1 (degrees, y down)."""
    t = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def mirror(p):
    """Reflect points in the vertical axis x = 0."""
    return np.asarray(p, dtype=float) * [-1, 1]


def symmetric(right):
    """Close a right-half outline (top centre round to bottom centre) into a full polygon."""
    return cat(right, mirror(right)[::-1])


def rounded_rect(x0, y0, x1, y1, r):
    """Closed rectangle outline with rounded corners of radius r."""
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    return cat(
        arc(x1 - r, y0 + r, r, r, -90, 0, 5),
        arc(x1 - r, y1 - r, r, r, 0, 90, 5),
        arc(x0 + r, y1 - r, r, r, 90, 180, 5),
        arc(x0 + r, y0 + r, r, r, 180, 270, 5),
    )


def direction(angle):
    """Unit vector at `angle` degrees from straight down (90 = outwards) and its inward normal."""
    a = np.radians(angle)
    return np.array([np.sin(a), np.cos(a)]), np.array([-np.cos(a), np.sin(a)])


def densify(path, closed, step=0.15):
    """Insert points so that no edge is longer than `step` (keeps corner rounding local)."""
    ends = cat(path, path[:1]) if closed else path
    out = [path[:1]]
    for a, b in zip(ends[:-1], ends[1:], strict=True):
        n = max(1, int(np.ceil(np.hypot(*(b - a)) / step)))
        out.append(a + (b - a) * (np.arange(1, n + 1) / n)[:, None])
    path = cat(*out)
    return path[:-1] if closed else path


def chaikin(path, closed, rounds):
    """Cut corners `rounds` times, the way a mouse hand rounds them off."""
    if rounds and len(path) > 1:
        path = densify(path, closed)
    for _ in range(rounds):
        if len(path) < 3:
            break
        a, b = (path, np.roll(path, -1, axis=0)) if closed else (path[:-1], path[1:])
        cut = np.empty((2 * len(a), 2))
        cut[0::2], cut[1::2] = 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b
        path = cut if closed else cat(path[:1], cut, path[-1:])
    return path


@dataclass
class Sketch:
    """One drawing in unit coordinates: what it is made of, before the hand draws it."""

    shapes: list = field(default_factory=list)  # closed outlines, coloured in when filled
    lines: list = field(default_factory=list)  # (points, closed) strokes drawn in both styles
    details: list = field(default_factory=list)  # (points, closed) inner lines, outline style only

    def line(self, *paths, closed=False):
        """Add structural strokes (handles, straps, heels)."""
        self.lines += [(cat(p), closed) for p in paths]

    def detail(self, rng, prob, *paths, closed=False):
        """With probability prob, add inner lines that belong together (e.g. both cuffs)."""
        if rng.random() < prob:
            self.details += [(cat(p), closed) for p in paths]

    def flipped(self):
        """The same sketch facing the other way."""
        return Sketch(
            [mirror(s) for s in self.shapes],
            [(mirror(p), c) for p, c in self.lines],
            [(mirror(p), c) for p, c in self.details],
        )


def upper_body(rng, body_w, sleeve_len, sleeve_w, angle, neck_w, neck_depth, lower, v_neck=False):
    """Right half of a front-view top (neck, shoulder, sleeve, armpit, then `lower`) and its cuff line.

    Hanging sleeves push the shoulder out so that a gap stays between sleeve and body.
    """
    drop, lower = rng.uniform(0.04, 0.14), cat(lower)
    along, across = direction(angle)
    reach = drop + sleeve_len * along[1]
    side = max(body_w / 2, lower[lower[:, 1] < reach + 0.3, 0].max(initial=0))
    shoulder_x = max(
        body_w / 2 + rng.uniform(0.02, 0.1),
        side + rng.uniform(0.06, 0.14) + sleeve_w * (-across[0]) - sleeve_len * along[0],
    )
    shoulder = np.array([shoulder_x, drop])
    cuff_out = shoulder + sleeve_len * along
    cuff_in = cuff_out + sleeve_w * across
    armpit = (body_w / 2, drop + sleeve_w / max(along[0], 0.45) * rng.uniform(0.75, 0.95))
    neck = pts((0, neck_depth), (neck_w / 2, 0)) if v_neck else arc(0, 0, neck_w / 2, neck_depth, 90, 0, 6)
    right = cat(neck, shoulder, cuff_out, cuff_in, armpit, lower, (0, lower[-1, 1]))
    back = min(0.13, 0.3 * sleeve_len) * along
    return right, cat(cuff_out - back, cuff_in - back)


def neck_band(neck_w, neck_depth, v_neck=False):
    """Inner neckline drawn parallel to the neck opening."""
    if v_neck:
        return pts((-neck_w / 2, 0), (0, neck_depth + 0.09), (neck_w / 2, 0))
    return arc(0, 0, neck_w / 2, neck_depth + 0.08, 0, 180, 8)


def hood(rng, sk, neck_w):
    """Add a hood standing up behind the neck, with its face opening."""
    rx, ry = neck_w / 2 + rng.uniform(0.14, 0.24), rng.uniform(0.25, 0.38)
    sk.shapes.append(arc(0, 0.05, rx, ry, 180, 360, 9))
    sk.detail(rng, 0.85, arc(0, 0.05, rx - 0.12, ry - 0.1, 180, 360, 7))


# ---------------------------------------------------------------- classes


def tshirt(rng):
    """T-shirt/top: angled short sleeves, boxy T, tank top, or body and sleeves drawn as boxes."""
    sk, u = Sketch(), rng.uniform
    bw, bh, nw = u(0.85, 1.15), u(1.0, 1.45), u(0.3, 0.45)
    kind = rng.integers(4)
    if kind < 2:
        v_neck = rng.random() < 0.3
        nd = u(0.15, 0.3) if v_neck else u(0.05, 0.2)
        if kind == 0:
            angle, length, width = u(45, 70), u(0.3, 0.5), u(0.3, 0.42)
        else:
            angle, length, width = u(80, 97), u(0.25, 0.45), u(0.35, 0.5)
        right, cuff = upper_body(rng, bw, length, width, angle, nw, nd, pts((bw / 2 * u(0.95, 1.08), bh)), v_neck)
        sk.shapes.append(symmetric(right))
        sk.detail(rng, 0.55, neck_band(nw, nd, v_neck))
        sk.detail(rng, 0.4, cuff, mirror(cuff))
    elif kind == 2:
        nd, strap, deep = u(0.2, 0.45), u(0.08, 0.15), u(0.3, 0.5)
        rx = max(bw / 2 - nw / 2 - strap, 0.08)
        sk.shapes.append(
            symmetric(
                cat(
                    arc(0, 0, nw / 2, nd, 90, 0, 6),
                    (bw / 2 - rx, 0),
                    arc(bw / 2, 0, rx, deep, 180, 90, 6),
                    (bw / 2 * u(0.95, 1.1), bh),
                    (0, bh),
                )
            )
        )
    else:
        sk.shapes.append(pts((-bw / 2, 0), (bw / 2, 0), (bw / 2, bh), (-bw / 2, bh)))
        along, across = direction(u(40, 75))
        start, length, width = np.array([bw / 2 - u(0, 0.06), u(0, 0.06)]), u(0.3, 0.5), u(0.3, 0.42)
        sleeve = cat(start, start + length * along, start + length * along + width * across, start + width * across)
        sk.shapes += [sleeve, mirror(sleeve)]
        sk.detail(rng, 0.9, arc(0, 0, nw / 2, u(0.08, 0.2), 0, 180, 8))
    r = u(0.08, 0.14)
    sk.detail(rng, 0.2, arc(u(-0.15, 0.15), bh * u(0.4, 0.55), r, r, 0, 360, 10), closed=True)
    return sk


def trousers(rng):
    """Trouser: two long legs with a crotch gap; straight, flared, slim or wide legs."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(4)
    ww, length = u(0.8, 1.0), u(1.9, 2.4)
    crotch = length * u(0.22, 0.36)
    leg_w = ww * (u(0.38, 0.46), u(0.5, 0.62), u(0.3, 0.36), u(0.58, 0.7))[kind]
    inner = u(0.14, 0.25)
    outer = inner + leg_w
    side = [(ww / 2, 0)]
    if rng.random() < 0.5:
        side.append((ww / 2 * u(1.0, 1.08), length * u(0.12, 0.2)))
    if kind == 1:
        side.append((ww / 2 * u(0.85, 0.95), length * u(0.55, 0.65)))
    sk.shapes.append(
        symmetric(cat((0, 0), *side, (outer, length + u(-0.04, 0.04)), (inner, length + u(-0.04, 0.04)), (0, crotch)))
    )
    band = u(0.1, 0.18)
    sk.detail(rng, 0.7, pts((-ww / 2, band), (ww / 2, band)))
    sk.detail(rng, 0.55, pts((0.04, band), (0.05, crotch * 0.75), (0, crotch * 0.85)))
    pocket = pts((ww / 2 * 0.5, band), (ww / 2 * u(0.85, 1.0), band + u(0.2, 0.35)))
    sk.detail(rng, 0.4, pocket, mirror(pocket))
    crease = pts(((outer + inner) / 2, length - 0.05), (ww / 4, crotch))
    sk.detail(rng, 0.25, crease, mirror(crease))
    sk.detail(rng, 0.2, *[pts((x, 0), (x, band)) for x in (-0.3, -0.1, 0.1, 0.3)])
    return sk


def pullover(rng):
    """Pullover: long sleeves hanging, angled or stretched out; ribbed cuffs and hem; maybe a hoodie."""
    sk, u = Sketch(), rng.uniform
    bw, bh, width = u(0.85, 1.1), u(1.3, 1.7), u(0.25, 0.34)
    pose = rng.integers(3)
    if pose == 0:
        angle, length = u(8, 25), bh * u(0.8, 1.0)
    elif pose == 1:
        angle, length = u(38, 60), u(0.8, 1.05)
    else:
        angle, length = u(78, 95), u(0.6, 0.9)
    nw, nd, hem_x = u(0.3, 0.45), u(0.04, 0.14), bw / 2 * u(0.88, 1.0)
    right, cuff = upper_body(rng, bw, length, width, angle, nw, nd, pts((hem_x, bh)))
    sk.shapes.append(symmetric(right))
    if rng.random() < 0.25:
        hood(rng, sk, nw)
        sk.detail(rng, 0.6, pts((-0.3, bh - 0.08), (-0.2, bh * 0.6), (0.2, bh * 0.6), (0.3, bh - 0.08)))
        sk.detail(rng, 0.4, pts((-0.07, nd), (-0.09, nd + 0.3)), pts((0.07, nd), (0.09, nd + 0.3)))
    else:
        sk.detail(rng, 0.6, neck_band(nw, nd))
    sk.detail(rng, 0.75, cuff, mirror(cuff))
    hem_y = bh - u(0.08, 0.15)
    sk.detail(rng, 0.65, pts((-hem_x, hem_y), (hem_x, hem_y)))
    zig = np.linspace(-bw / 2 * 0.9, bw / 2 * 0.9, 9)
    sk.detail(rng, 0.15, np.column_stack([zig, bh * 0.45 + 0.06 * (-1) ** np.arange(9)]))
    return sk


def dress(rng):
    """Dress: narrow bodice and waist, flared skirt; with straps, sleeveless, short sleeves, or long and slim."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(4)
    ww = u(0.36, 0.5)
    length, hem = (u(2.2, 2.7), u(0.7, 1.0)) if kind == 3 else (u(1.5, 2.2), u(1.0, 1.6))
    waist = u(0.6, 0.8) if kind == 2 else u(0.45, 0.65)
    if kind == 0:
        top = u(0.45, 0.62)
        right = cat((0, u(0.0, 0.08)), (top / 2, -u(0.0, 0.05)), (ww / 2, waist), (hem / 2, length), (0, length))
        strap = pts((top / 2 * u(0.45, 0.8), 0), (top / 2 * u(0.4, 0.75), -u(0.2, 0.35)))
        sk.line(strap, mirror(strap))
    elif kind == 2:
        right, _ = upper_body(
            rng,
            u(0.5, 0.66),
            u(0.18, 0.32),
            u(0.22, 0.3),
            u(55, 80),
            u(0.26, 0.36),
            u(0.06, 0.2),
            pts((ww / 2, waist), (hem / 2, length)),
        )
    else:
        nw, strap, nd, deep, bw = u(0.28, 0.38), u(0.07, 0.13), u(0.12, 0.35), u(0.22, 0.35), u(0.5, 0.64)
        waist = max(waist, deep + 0.15)
        rx = max(bw / 2 - nw / 2 - strap, 0.06)
        right = cat(
            arc(0, 0, nw / 2, nd, 90, 0, 6),
            (bw / 2 - rx, 0),
            arc(bw / 2, 0, rx, deep, 180, 90, 6),
            (ww / 2, waist),
            (hem / 2, length),
            (0, length),
        )
    sk.shapes.append(symmetric(right))
    sk.detail(rng, 0.7, pts((-ww / 2, waist), (ww / 2, waist)))
    wave = np.linspace(-hem / 2 * 0.9, hem / 2 * 0.9, 11)
    sk.detail(rng, 0.3, np.column_stack([wave, length - 0.15 + 0.05 * (-1) ** np.arange(11)]))
    sk.detail(
        rng, 0.25, *[pts((x * ww / 2, waist + 0.05), (x * hem / 2 * 0.8, length - 0.05)) for x in (-0.6, 0.0, 0.6)]
    )
    if kind == 3:
        sk.detail(rng, 0.4, pts((0.1, length), (0.08, length * 0.7)))
    return sk


def coat(rng):
    """Coat: long body and long sleeves, a front opening, lapels, buttons, pockets; zip jacket or trench."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(3)  # 0 long buttoned coat, 1 hooded zip jacket, 2 belted trench
    bw, width = u(0.95, 1.2), u(0.27, 0.36)
    bh = u(1.45, 1.75) if kind == 1 else u(1.75, 2.3)
    if kind == 0 or rng.random() < 0.4:
        angle, length = u(8, 28), u(1.05, 1.35)
    else:
        angle, length = u(35, 60), u(0.95, 1.25)
    hem_x = bw / 2 * (u(0.92, 1.0) if kind == 1 else u(1.0, 1.22))
    nw, nd = (u(0.3, 0.4), u(0.06, 0.14)) if kind == 1 else (u(0.28, 0.4), u(0.35, 0.6))
    right, cuff = upper_body(rng, bw, length, width, angle, nw, nd, pts((hem_x, bh)), kind != 1)
    sk.shapes.append(symmetric(right))
    sk.detail(rng, 0.95, pts((0, nd), (0, bh)))
    if kind == 1:
        if rng.random() < 0.6:
            hood(rng, sk, nw)
        pocket = rounded_rect(0.12, bh * 0.6, 0.4, bh * 0.85, 0.04)
        sk.detail(rng, 0.55, pocket, mirror(pocket), closed=True)
    else:
        lapel = pts((nw / 2, 0), (nw / 2 + u(0.08, 0.18), nd * u(0.45, 0.7)), (0.02, nd))
        sk.detail(rng, 0.75, lapel, mirror(lapel))
        xs = (0.1,) if rng.random() < 0.6 else (-0.14, 0.14)
        ys = np.linspace(nd + 0.12, bh * u(0.55, 0.7), rng.integers(3, 6))
        sk.detail(rng, 0.85, *[pts((x, y)) for x in xs for y in ys])
        slit = pts((0.18, bh * 0.7), (0.42, bh * 0.66))
        sk.detail(rng, 0.5, slit, mirror(slit))
        if kind == 2:
            belt_y, buckle = u(0.8, 1.0), rounded_rect(-0.08, 0, 0.08, 0.12, 0.02)
            sk.detail(
                rng,
                0.95,
                pts((-bw / 2, belt_y), (bw / 2, belt_y)),
                pts((-bw / 2, belt_y + 0.12), (bw / 2, belt_y + 0.12)),
                buckle + (0, belt_y),
            )
    sk.detail(rng, 0.5, cuff, mirror(cuff))
    return sk


def sandal(rng):
    """Sandal, side view: a thin sole with open straps (flat, high-heeled, slide/flip-flop or wedge)."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(4)
    if kind in (0, 2):
        t = u(0.08, 0.14) if kind == 0 else u(0.14, 0.22)
        sk.shapes.append(rounded_rect(-1, -t, 1, 0, t * 0.5))
        if kind == 0:
            for cx in np.linspace(u(0.45, 0.65), u(-0.2, 0.1), rng.integers(1, 4)):
                sk.line(arc(cx, -t, u(0.16, 0.26), u(0.25, 0.42), 180, 360, 8))
            ankle = -t - u(0.6, 0.9)
            sk.line(pts((-0.88, -t), (-0.84, ankle), (u(-0.4, -0.25), ankle + u(0.0, 0.1))))
            if rng.random() < 0.6:
                sk.line(pts((-0.84, ankle + 0.12), (u(-0.2, 0.0), -t)))
        elif rng.random() < 0.5:
            cx, rx, ry, band = u(0.1, 0.4), u(0.35, 0.5), u(0.35, 0.5), u(0.1, 0.16)
            sk.shapes.append(cat(arc(cx, -t, rx, ry, 180, 360, 9), arc(cx, -t, rx - band, ry - band, 360, 180, 9)))
        else:
            sk.line(pts((u(0.45, 0.6), -t), (u(0.0, 0.2), -t - u(0.3, 0.45)), (u(-0.35, -0.2), -t)))
        return sk
    h, t = u(0.55, 0.85) if kind == 1 else u(0.3, 0.45), u(0.06, 0.1)
    top = pts((-1, -h - t), (-0.75, -h * 0.95 - t), (-0.35, -h * 0.55 - t), (0.05, -h * 0.1 - t), (0.35, -t), (1.0, -t))
    if kind == 1:
        sk.shapes.append(cat(top, (1.0, 0), (top[:-1] + (0, t))[::-1]))
        if rng.random() < 0.5:
            sk.line(pts((-0.93, -h), (-0.9 + u(0, 0.1), 0)))
        else:
            sk.shapes.append(pts((-1, -h), (-0.74, -h * 0.9), (-0.8, 0), (-0.98, 0)))
    else:
        sk.shapes.append(cat(top, (1.0, 0), (-1, 0)))
    sk.line(arc(u(0.45, 0.7), -t, u(0.18, 0.28), u(0.22, 0.35), 180, 360, 8))
    ankle = -h - t - u(0.4, 0.6)
    sk.line(pts((-0.97, -h - t), (-0.95, ankle), (u(-0.6, -0.45), ankle + u(0, 0.1))))
    if rng.random() < 0.5:
        sk.line(pts((-0.6, ankle + 0.05), (u(-0.15, 0.05), -h * 0.3 - t)))
    return sk


def shirt(rng):
    """Shirt: pointed collar, buttons down the front, long or short sleeves, maybe pocket and cuffs."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(3)  # 0 long sleeves angled, 1 short sleeves, 2 long sleeves hanging
    bw, bh = u(0.85, 1.1), u(1.3, 1.7)
    if kind == 0:
        angle, length, width = u(35, 60), u(0.8, 1.05), u(0.25, 0.32)
    elif kind == 1:
        angle, length, width = u(55, 78), u(0.3, 0.5), u(0.3, 0.4)
    else:
        angle, length, width = u(8, 25), bh * u(0.8, 0.95), u(0.26, 0.32)
    nw, nd = u(0.26, 0.36), u(0.2, 0.32)
    right, cuff = upper_body(rng, bw, length, width, angle, nw, nd, pts((bw / 2 * u(0.92, 1.03), bh)), True)
    collar = pts((nw / 2 + 0.02, -u(0.03, 0.09)), (nw / 2 + u(0.08, 0.16), nd + u(0.04, 0.12)), (0.02, nd + 0.02))
    sk.shapes += [symmetric(right), collar, mirror(collar)]
    ys, x = np.linspace(nd + 0.15, bh - 0.15, rng.integers(3, 6)), u(0.0, 0.08)
    sk.detail(rng, 0.8, *[pts((x, y)) for y in ys])
    sk.detail(rng, 0.6, pts((0, nd), (0, bh)))
    px = u(0.12, 0.25) * rng.choice([-1, 1])
    sk.detail(rng, 0.45, pts((px, 0.35), (px * 2.2, 0.35), (px * 2.2, 0.58), (px, 0.58)), closed=True)
    sk.detail(rng, 0.3 if kind == 1 else 0.55, cuff, mirror(cuff))
    return sk


def sneaker(rng):
    """Sneaker, side view: low shoe on a flat sole; runner, canvas low-top or chunky trainer."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(3)  # 0 runner, 1 canvas low-top, 2 chunky trainer
    t = (u(0.12, 0.18), u(0.12, 0.2), u(0.22, 0.32))[kind]
    h = (u(0.7, 0.95), u(0.6, 0.8), u(0.75, 0.95))[kind]
    toe = (u(0.32, 0.42), u(0.35, 0.45), u(0.38, 0.5))[kind]
    tongue = h + u(0.05, 0.15)
    rx = u(0.3, 0.45) if kind == 1 else u(0.2, 0.35)
    front = arc(0.98 - rx, -t, rx, toe - t, 270, 360, 6)
    sk.shapes.append(
        cat(
            (-0.95, 0),
            (-1.0, -t),
            (-1.02, -h * 0.7),
            (-0.93, -h),
            (-0.62, -h * u(0.78, 0.9)),
            (-0.38, -tongue),
            (0.3, -toe - 0.08),
            front,
            (0.96, 0),
        )
    )
    if kind == 2:
        sole = np.linspace(-1.0, 0.98, 9)
        sk.detail(rng, 0.8, np.column_stack([sole, -t + 0.04 * (-1) ** np.arange(9)]))
    else:
        sk.detail(rng, 0.8, pts((-1.0, -t), (0.99, -t)))
    a, b = np.array([-0.3, -tongue * 0.95]), np.array([0.3, -toe - 0.1])
    normal = np.array([b[1] - a[1], a[0] - b[0]]) / np.hypot(*(b - a)) * 0.09
    sk.detail(
        rng,
        0.7,
        *[pts(a + f * (b - a) - normal, a + f * (b - a) + normal) for f in np.linspace(0.1, 0.9, rng.integers(3, 6))],
    )
    if kind == 0:
        sk.detail(rng, 0.5, pts((-0.65, -t - 0.1), (-0.1, -t - 0.15), (0.35, -h * 0.55)))
    elif kind == 1:
        sk.detail(rng, 0.6, arc(1.0, -t, 0.35, toe * 0.8, 180, 270, 6))
        sk.detail(rng, 0.4, pts((-0.98, -t / 2), (0.97, -t / 2)))
    else:
        sk.detail(rng, 0.4, pts((-0.98, -h * 0.9), (-1.1, -h - 0.1), (-0.9, -h - 0.05)))
    return sk


def bag(rng):
    """Bag: handbag with a handle, tote with two handles, shoulder bag with flap and strap, or backpack."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(4)
    if kind == 0:
        top, bottom, h = u(1.0, 1.4), u(1.3, 1.8), u(0.9, 1.3)
        sk.shapes.append(pts((-top / 2, 0), (top / 2, 0), (bottom / 2, h), (-bottom / 2, h)))
        sk.line(arc(0, 0, top / 2 * u(0.45, 0.8), u(0.35, 0.7), 180, 360, 10))
        flap = u(0.3, 0.5) * h
        sk.detail(rng, 0.5, arc(0, 0, top / 2, flap, 0, 180, 9))
        sk.detail(rng, 0.6, pts((0, flap)))
    elif kind == 1:
        w, h = u(1.2, 1.6), u(1.2, 1.7)
        sk.shapes.append(pts((-w / 2, 0), (w / 2, 0), (w / 2 * u(0.85, 1.0), h), (-w / 2 * u(0.85, 1.0), h)))
        hx, hy = w * u(0.2, 0.32), u(0.5, 0.8)
        sk.line(arc(0, 0, hx, hy, 180, 360, 10))
        if rng.random() < 0.5:
            sk.line(arc(0.08, 0, hx, hy * 0.9, 180, 360, 10))
        sk.detail(rng, 0.4, rounded_rect(-w * 0.25, h * 0.4, w * 0.25, h * 0.8, 0.05), closed=True)
        sk.detail(rng, 0.4, pts((-w / 2, 0.15), (w / 2, 0.15)))
    elif kind == 2:
        w, h = u(1.4, 2.0), u(0.9, 1.3)
        sk.shapes.append(rounded_rect(-w / 2, 0, w / 2, h, u(0.05, 0.2)))
        sk.line(arc(0, 0.05, w / 2 * u(0.55, 0.9), u(0.8, 1.3), 180, 360, 12))
        flap = h * u(0.45, 0.65)
        if rng.random() < 0.5:
            sk.detail(rng, 0.85, pts((-w / 2, 0.03), (-w / 2 * 0.95, flap), (w / 2 * 0.95, flap), (w / 2, 0.03)))
        else:
            sk.detail(rng, 0.85, pts((-w / 2, 0.03), (0, flap), (w / 2, 0.03)))
        sk.detail(rng, 0.6, pts((0, flap + 0.02)))
    else:
        w, h = u(1.1, 1.4), u(1.4, 1.9)
        r = u(0.2, 0.32) * w
        sk.shapes.append(rounded_rect(-w / 2, 0, w / 2, h, r))
        sk.line(arc(0, 0, 0.18, 0.2, 180, 360, 7))
        sk.detail(rng, 0.75, rounded_rect(-w * 0.32, h * 0.55, w * 0.32, h * 0.9, 0.1), closed=True)
        sk.detail(rng, 0.5, arc(0, r + 0.1, w / 2 * 0.8, r * 0.8, 200, 340, 8))
        strap = pts((-w / 2 + 0.1, 0.15), (-w / 2 - 0.08, h * 0.5), (-w / 2 + 0.05, h * 0.9))
        sk.detail(rng, 0.4, strap, mirror(strap))
    return sk


def ankle_boot(rng):
    """Ankle boot, side view: shaft up to the ankle and a heel; Chelsea, heeled bootie or lace-up work boot."""
    sk, u = Sketch(), rng.uniform
    kind = rng.integers(3)  # 0 Chelsea, 1 heeled bootie, 2 lace-up work boot
    shaft, toe, back = u(1.25, 1.65), u(0.35, 0.5), -0.85
    front_x = back + u(0.7, 0.9)
    top = pts((back + u(-0.05, 0.05), -shaft), (front_x, -shaft * u(0.93, 1.02)), (front_x + 0.05, -toe - u(0.15, 0.3)))
    if kind == 1:
        heel = u(0.3, 0.5)
        sk.shapes.append(
            cat(
                top,
                (0.5, -toe * 0.85),
                (0.95, -0.08),
                (0.9, 0),
                (0.35, 0),
                (-0.1, -heel * 0.7),
                (-0.5, -heel),
                (back, -heel),
                (back - 0.03, -0.5),
            )
        )
        sk.shapes.append(pts((back + 0.02, -heel), (-0.5, -heel), (-0.56, 0), (back + 0.08, 0)))
        sk.detail(rng, 0.5, pts((back + 0.12, -shaft + 0.05), (back + 0.12, -heel - 0.15)))
        sk.detail(rng, 0.3, pts((back, -shaft + 0.15), (front_x, -shaft * 0.95 + 0.15)))
        return sk
    sole, heel = (u(0.07, 0.12), u(0.08, 0.15)) if kind == 0 else (u(0.14, 0.22), u(0.05, 0.1))
    toe_front = (
        arc(0.6, -toe / 2, 0.35, toe / 2, 270, 360, 5)
        if kind == 2
        else pts((0.5, -toe), (0.88, -toe * 0.6), (0.97, -0.1))
    )
    sk.shapes.append(
        cat(
            top,
            toe_front,
            (0.93, 0),
            (0.15, 0),
            (-0.35, -heel * 0.6),
            (-0.4, -heel * 0.7),
            (-0.42, 0),
            (back, 0),
            (back - 0.03, -0.4),
        )
    )
    sole_line = pts((back, -sole), (-0.42, -sole), (0.15, -sole), (0.95, -sole))
    if kind == 0:
        mid = back + (front_x - back) * u(0.4, 0.6)
        sk.detail(rng, 0.75, pts((mid - 0.15, -shaft), (mid, -toe - 0.2), (mid + 0.15, -shaft * 0.98)))
        sk.detail(rng, 0.4, arc(back, -shaft + 0.12, 0.08, 0.14, 90, 270, 6))
        sk.detail(rng, 0.5, sole_line)
    else:
        sk.detail(rng, 0.8, sole_line)
        ys = np.linspace(-shaft * 0.88, -toe - 0.25, rng.integers(3, 6))
        sk.detail(rng, 0.75, *[pts((front_x - 0.18, y), (front_x + 0.06, y - 0.07)) for y in ys])
        sk.detail(rng, 0.4, pts((back, -shaft + 0.15), (front_x, -shaft * 0.95 + 0.15)))
        sk.detail(rng, 0.4, arc(0.95, -sole, 0.4, toe * 0.8, 180, 270, 6))
    return sk


DRAWERS = (tshirt, trousers, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)
MAY_FACE_LEFT = {5, 7, 8, 9}


# ---------------------------------------------------------------- the hand


def placement(points, size, rng):
    """Map unit coordinates to pixels: stretch, tilt, scale to `size` of the canvas, shift, warp."""
    stretch = np.exp(rng.normal(0, 0.08, 2))
    tilt = np.radians(np.clip(rng.normal(0, 6), -15, 15))
    rot = np.array([[np.cos(tilt), -np.sin(tilt)], [np.sin(tilt), np.cos(tilt)]])
    q = (points * stretch) @ rot.T
    lo, hi = q.min(0), q.max(0)
    margin = 12
    scale = min(size * SIZE, SIZE - 2 * margin) / (hi - lo).max()
    slack = SIZE - 2 * margin - (hi - lo) * scale
    offset = margin + slack * rng.beta(2, 2, 2) - lo * scale
    amp, phase = rng.uniform(1, 7, 2), rng.uniform(0, 2 * np.pi, 2)
    freq = rng.normal(0, 2 * np.pi / 250, (2, 2))

    def to_px(p):
        r = (p * stretch) @ rot.T * scale + offset
        return r + amp * np.sin(r @ freq.T + phase)

    return to_px


def mouse_strokes(path, closed, rng, spacing, shake):
    """Trace a pixel path like a mouse: split into strokes, sampled sparsely, wobbly, overshooting or short."""
    if closed:
        path = cat(path, path[:1])
    path = path[np.r_[True, np.hypot(*np.diff(path, axis=0).T) > 1e-6]]
    if len(path) == 1:
        return [path + rng.normal(0, 1.0, 2)]
    cum = np.r_[0, np.cumsum(np.hypot(*np.diff(path, axis=0).T))]
    total = cum[-1]
    if closed:
        pieces = int(rng.choice([1, 1, 2, 3])) if total > 200 else 1
        cuts = (
            rng.uniform(0, total)
            + total * (np.arange(pieces + 1) + np.r_[0, rng.uniform(-0.15, 0.15, pieces - 1), 0]) / pieces
        )
        spans = [(cuts[i] - rng.uniform(-3, 6), cuts[i + 1] + rng.uniform(-5, 10)) for i in range(pieces)]
    else:
        trim = min(3, total * 0.2)
        spans = [(rng.uniform(-5, trim), total + rng.uniform(-trim, 6))]
    start_dir = (path[1] - path[0]) / np.hypot(*(path[1] - path[0]))
    end_dir = (path[-1] - path[-2]) / np.hypot(*(path[-1] - path[-2]))
    step = shake * np.sqrt(spacing / 8)
    strokes = []
    for a, b in spans:
        n = max(2, int(np.ceil((b - a) / spacing)) + 1)
        s = np.linspace(a, b, n)
        if closed:
            s = s % total
        p = np.column_stack([np.interp(s, cum, path[:, 0]), np.interp(s, cum, path[:, 1])])
        if not closed:
            p += np.minimum(s, 0)[:, None] * start_dir + np.maximum(s - total, 0)[:, None] * end_dir
        walk = np.cumsum(rng.normal(0, step, (n, 2)), axis=0)
        walk -= np.linspace(0, 1, n)[:, None] * walk[-1]
        strokes.append(p + walk + rng.normal(0, 0.4, (n, 2)))
    return strokes


def fill_strokes(polygons, zigzag, rng, spacing, shake):
    """Colour polygons in with back-and-forth scribbles (zigzag) or separate parallel hatching lines."""
    mask_img = Image.new("1", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(mask_img)
    for poly in polygons:
        draw.polygon(list(map(tuple, poly.tolist())), fill=1)
    mask = np.asarray(mask_img, dtype=bool)
    theta = np.radians(rng.choice([0, 0, 45, -45, 90, 20, -20]) + rng.normal(0, 6))
    along = np.array([np.cos(theta), np.sin(theta)])
    across = np.array([-along[1], along[0]])
    gap, inset = rng.uniform(11, 19), rng.uniform(1, 7)
    s = np.arange(-200, 200, 2.0)
    done, active = [], []  # each scribble: [list of points, (start, end) of its last run]
    for t in np.arange(-200 + rng.uniform(0, gap), 200, gap):
        base = SIZE / 2 + t * across
        ix, iy = np.round(base + s[:, None] * along).astype(int).T
        ok = (ix >= 0) & (ix < SIZE) & (iy >= 0) & (iy < SIZE)
        inside = np.zeros(len(s), dtype=np.int8)
        inside[ok] = mask[iy[ok], ix[ok]]
        edges = np.flatnonzero(np.diff(np.r_[0, inside, 0]))
        continued, used = [], set()
        for i, j in zip(edges[::2], edges[1::2], strict=True):
            room = min(inset, (s[j - 1] - s[i]) / 4)
            a, b = s[i] + room, s[j - 1] - room
            ends = [base + a * along, base + b * along]
            match = (
                next((k for k, sc in enumerate(active) if k not in used and sc[1][0] <= b and a <= sc[1][1]), None)
                if zigzag
                else None
            )
            if match is None:
                scribble = [[], None]
                if rng.random() < 0.5:
                    ends.reverse()
            else:
                used.add(match)
                scribble = active[match]
                last = scribble[0][-1]
                if np.hypot(*(ends[1] - last)) < np.hypot(*(ends[0] - last)):
                    ends.reverse()
            scribble[0] += ends
            scribble[1] = (a, b)
            continued.append(scribble)
        done += [sc for k, sc in enumerate(active) if k not in used]
        active = continued
    strokes = []
    for points, _ in done + active:
        strokes += mouse_strokes(np.array(points), False, rng, spacing, shake)
    return strokes


def trace(sketch, style, rng):
    """Place a sketch on the canvas and turn it into mouse strokes and solid polygons (pixels)."""
    rounds = int(rng.choice([0, 1, 1, 2]))
    shapes = [chaikin(s, True, rounds) for s in sketch.shapes]
    lines = [(chaikin(p, c, rounds), c) for p, c in sketch.lines]
    size = rng.uniform(0.35, 0.95)
    details = []
    if style == "outline":  # small drawings get fewer inner lines
        keep = 0.45 + 0.6 * size
        details = [
            (chaikin(p, c, rounds), c) for k, (p, c) in enumerate(sketch.details) if k == 0 or rng.random() < keep
        ]
    to_px = placement(cat(*shapes, *[p for p, _ in lines + details]), size, rng)
    spacing, shake = rng.uniform(4, 13), rng.uniform(0.3, 1.0)
    polygons = [to_px(s) for s in shapes]
    fill = rng.choice(["solid", "scribble", "hatch"], p=[0.45, 0.35, 0.2]) if style == "filled" else None
    strokes = []
    if fill != "scribble" or rng.random() < 0.75:
        for poly in polygons:
            strokes += mouse_strokes(poly, True, rng, spacing, shake)
    for p, closed in lines + details:
        strokes += mouse_strokes(to_px(p), closed, rng, spacing, shake)
    if fill in ("scribble", "hatch"):
        strokes += fill_strokes(polygons, fill == "scribble", rng, spacing, shake)
    return strokes, (polygons if fill == "solid" else [])


def render(strokes, solids, pen):
    """Paint solids and round-pen strokes of width `pen` on a white canvas; return uint8 RGB."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    for poly in solids:
        draw.polygon(list(map(tuple, poly.tolist())), fill=0)
    r = pen / 2
    for stroke in strokes:
        xy = list(map(tuple, stroke.tolist()))
        if len(xy) > 1:
            draw.line(xy, fill=0, width=pen, joint="curve")
        for x, y in (xy[0], xy[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style` and render it once per pen width."""
    if not isinstance(label, (int, np.integer)) or not 0 <= label < len(DRAWERS):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    sketch = DRAWERS[label](rng)
    if label in MAY_FACE_LEFT and rng.random() < 0.5:
        sketch = sketch.flipped()
    strokes, solids = trace(sketch, style, rng)
    return [render(strokes, solids, pen) for pen in pens]
