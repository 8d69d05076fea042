"""Hand K: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 7).

Each drawing is one student's idea of a T-shirt/top, trouser, pullover, dress, coat,
sandal, shirt, sneaker, bag or ankle boot on a 280x280 white canvas, in black ink with a
round pen. A class builder picks a shape variant and its proportions in a normalised
frame (y points down, garment roughly within [-1, 1]). The sketch is then made lopsided,
tilted, scaled, placed off-centre (side views may face either way), and every stroke
becomes a wobbly mouse path: slow tremor, sparse pointer samples joined by straight
segments, loops that overshoot or stop short. "filled" drawings are coloured in (solid or
zigzag scribble); "outline" drawings keep the outline plus a few inner details.
"""

import numpy as np
from PIL import Image, ImageDraw

CANVAS = 280
STYLES = ("filled", "outline")
SIDE_VIEWS = (5, 7, 8, 9)  # drawn facing right, mirrored half of the time
FLIP = np.array([-1.0, 1.0])


# ----------------------------------------------------------------- shape helpers


def bez(*ctrl, n=10):
    """Bezier curve of any degree given by its control points, n samples."""
    t = np.linspace(0.0, 1.0, n)[:, None, None]
    p = np.broadcast_to(np.asarray(ctrl, float), (n, len(ctrl), 2))
    while p.shape[1] > 1:
        p = p[:, :-1] * (1 - t) + p[:, 1:] * t
    return p[:, 0]


def path(*parts):
    """Joins points and point arrays into one polyline, dropping repeated points."""
    pts = np.vstack([np.atleast_2d(np.asarray(p, float)) for p in parts])
    keep = np.ones(len(pts), bool)
    keep[1:] = np.any(np.abs(np.diff(pts, axis=0)) > 1e-9, axis=1)
    return pts[keep]


def mirror(half):
    """Closed outline from a right half running from top centre to bottom centre."""
    full = path(half, (half * FLIP)[::-1])
    return full[:-1] if np.allclose(full[0], full[-1]) else full


def ellipse(cx, cy, rx, ry, n=16):
    """Points round an ellipse."""
    a = np.linspace(0.0, 2 * np.pi, n)
    return np.column_stack([cx + rx * np.cos(a), cy + ry * np.sin(a)])


def rounded(corners, r):
    """Closed polygon through the corners, each corner rounded off by about r."""
    c = np.asarray(corners, float)
    parts = []
    for i, v in enumerate(c):
        a, b = c[i - 1], c[(i + 1) % len(c)]
        fa = min(r / (np.linalg.norm(a - v) + 1e-9), 0.5)
        fb = min(r / (np.linalg.norm(b - v) + 1e-9), 0.5)
        parts.append(bez(v + (a - v) * fa, v, v + (b - v) * fb, n=5))
    return path(*parts)


def box(x0, y0, x1, y1, r=0.05):
    """Rounded rectangle."""
    return rounded([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], r)


def star(cx, cy, r):
    """Five-pointed star."""
    a = np.radians(np.arange(10) * 36 - 90)
    rad = np.where(np.arange(10) % 2 == 0, r, r * 0.45)
    return np.column_stack([cx + rad * np.cos(a), cy + rad * np.sin(a)])


class Sketch:
    """The strokes of one drawing plus the random choices that shape it.

    Stroke roles: 'body' (closed outline, coloured in when filled), 'line' (always
    drawn, e.g. straps and handles) and 'detail' (only drawn in outline style).
    """

    def __init__(self, rng, richness, filled):
        self.rng, self.richness, self.filled = rng, richness, filled
        self.strokes = []

    def u(self, a, b):
        """Uniform random number in [a, b)."""
        return float(self.rng.uniform(a, b))

    def pick(self, n):
        """Random variant number below n."""
        return int(self.rng.integers(n))

    def chance(self, p):
        """True with probability p."""
        return bool(self.rng.random() < p)

    def extra(self, p):
        """Whether to add an optional detail (students drawing small add fewer)."""
        return self.chance(p * self.richness)

    def add(self, role, pts, closed=False):
        """Adds one stroke."""
        self.strokes.append((role, np.asarray(pts, float), closed))

    def body(self, pts):
        """Adds a closed silhouette outline."""
        self.add("body", pts, True)

    def detail(self, pts, closed=False):
        """Adds an inner detail line."""
        self.add("detail", pts, closed)

    def maybe(self, p, pts, closed=False, both=False):
        """Adds an optional detail (and its mirror image if `both`) with chance p."""
        if self.extra(p):
            (self.pair if both else self.detail)(pts, closed=closed)

    def pair(self, pts, role="detail", closed=False):
        """Adds a stroke and its left-right mirror image."""
        self.add(role, pts, closed)
        self.add(role, np.asarray(pts, float) * FLIP, closed)

    def dot(self, x, y, r=0.03):
        """Adds a button-like dot."""
        self.detail(ellipse(x, y, r, r, n=8), closed=True)


# ------------------------------------------------------------ garments, front view


def round_neck(w, depth):
    """Right half of a round neckline, from its lowest point to the shoulder seam."""
    return bez((0, -1 + depth), (w * 0.75, -1 + depth), (w, -1))


def v_neck(w, depth):
    """Right half of a V neckline."""
    return path((0, -1 + depth), (w, -1))


def top(sk, neck, shoulder_x, angle, length, width, hem_y, flare=0.0, hem_drop=0.0):
    """Adds a sleeved garment (right half mirrored), sleeve `angle` in degrees below
    horizontal, hem centre lowered by hem_drop; returns key points for details."""
    s = np.array([shoulder_x, -1 + sk.u(0.03, 0.12)])
    a = np.radians(angle)
    d = np.array([np.cos(a), np.sin(a)])
    out = s + length * d
    inn = out + width * np.array([-d[1], d[0]])
    bx = sk.u(0.44, 0.58)
    if inn[0] < bx + max(flare, 0) + 0.18:  # keep the sleeve clear of the body
        shift = np.array([bx + max(flare, 0) + 0.18 - inn[0], 0.0])
        out, inn = out + shift, inn + shift
    along = inn[1] - (inn[0] - bx) / max(d[0], 1e-3) * d[1]
    pit = np.array([bx, max(min(along, s[1] + sk.u(0.35, 0.55)), s[1] + 0.2)])
    hem = np.array([bx + flare, hem_y])
    hem_line = bez(hem, (hem[0] * 0.5, hem_y + hem_drop), (0, hem_y + hem_drop))
    sk.body(mirror(path(neck, s, out, inn, pit, hem_line)))
    return dict(s=s, out=out, inn=inn, d=d, pit=pit, hem=hem)


def cuff(k, inset=0.14):
    """Line across the right sleeve end."""
    return path(k["out"] - inset * k["d"], k["inn"] - inset * k["d"])


def hem_band(k, up=0.14):
    """Line across the body just above the hem."""
    x, y = k["hem"]
    return path((-x * 0.97, y - up), (x * 0.97, y - up))


def draw_tshirt(sk):
    """T-shirt/top: crew neck, V-neck, boxy cross-shaped tee, or sleeveless tank top."""
    v = sk.pick(4)
    nw, depth = sk.u(0.17, 0.28), sk.u(0.08, 0.2)
    if v == 3:
        sx, bx, hy = nw + sk.u(0.08, 0.18), sk.u(0.4, 0.55), sk.u(0.5, 0.95)
        sk.body(
            mirror(
                path(
                    round_neck(nw, depth + 0.2),
                    (sx, -1),
                    bez((sx, -1), (sx, -0.5), (bx, -0.4)),
                    (bx + sk.u(-0.03, 0.1), hy),
                    (0, hy),
                )
            )
        )
        sk.maybe(0.3, path((-bx, hy - 0.14), (bx, hy - 0.14)))
        return
    neck = v_neck(nw, depth + 0.2) if v == 1 else round_neck(nw, depth)
    angle, length, width = [
        (sk.u(15, 40), sk.u(0.3, 0.5), sk.u(0.28, 0.4)),
        (sk.u(25, 50), sk.u(0.3, 0.45), sk.u(0.28, 0.36)),
        (sk.u(-4, 10), sk.u(0.4, 0.65), sk.u(0.3, 0.42)),
    ][v]
    k = top(sk, neck, sk.u(0.45, 0.6), angle, length, width, sk.u(0.55, 1.0), flare=sk.u(-0.05, 0.1))
    sk.maybe(0.35, path(k["s"], k["pit"]), both=True)
    sk.maybe(0.35 * (v != 1), round_neck(nw + 0.06, depth + 0.1), both=True)
    if sk.extra(0.3):
        x, y, r = sk.u(-0.2, 0.2), sk.u(-0.35, 0.0), sk.u(0.1, 0.2)  # a print on the chest
        prints = (star(x, y, r), ellipse(x, y, r, r, n=14), box(x - r, y - r, x + r, y + r))
        sk.detail(prints[sk.pick(3)], closed=True)
    sk.maybe(0.2, hem_band(k))


def draw_pullover(sk):
    """Pullover: long sleeves hanging down or held out; crew neck, turtleneck or hood."""
    arms_down = sk.chance(0.6)
    neck_kind = sk.pick(4)  # 0, 1 crew neck, 2 turtleneck, 3 hood
    nw, depth, sx = sk.u(0.18, 0.27), sk.u(0.06, 0.16), sk.u(0.5, 0.62)
    collar, hood = sk.u(0.15, 0.28), sk.u(0.3, 0.45)
    if neck_kind == 2:
        neck = path((0, -1 - collar), (nw * 0.95, -1 - collar), (nw, -1))
    elif neck_kind == 3:
        sx = max(sx, nw + 0.35)
        neck = bez((0, -1 - hood), (nw + 0.32, -1 - hood), (nw + 0.25, -0.95))
    else:
        neck = round_neck(nw, depth)
    k = top(
        sk,
        neck,
        sx,
        sk.u(50, 66) if arms_down else sk.u(20, 45),
        sk.u(1.0, 1.35),
        sk.u(0.26, 0.36),
        sk.u(0.75, 1.05),
        flare=sk.u(-0.06, 0.04),
    )
    sk.maybe(0.6, cuff(k), both=True)
    sk.maybe(0.6, hem_band(k))
    sk.maybe(0.5 * (neck_kind < 2), round_neck(nw + 0.06, depth + 0.1), both=True)
    sk.maybe(0.6 * (neck_kind == 2), path((-nw, -1 - collar * 0.45), (nw, -1 - collar * 0.45)))
    if neck_kind == 3:
        sk.maybe(0.7, ellipse(0, -1 - hood * 0.45, nw * 0.75, hood * 0.45), closed=True)
        sk.maybe(0.5, path((0.1, -0.95), (0.12, -0.6)), both=True)
        pocket = rounded([(-0.3, 0.15), (0.3, 0.15), (0.42, 0.6), (-0.42, 0.6)], 0.05)
        sk.maybe(0.5, pocket, closed=True)


def draw_shirt(sk):
    """Shirt: pointed collar and button placket; long sleeves down/out or short
    sleeves; often a curved hem and a breast pocket."""
    v = sk.pick(3)
    nw, vd = sk.u(0.14, 0.22), sk.u(0.12, 0.25)
    angle, length, width = [
        (sk.u(55, 72), sk.u(1.0, 1.3), sk.u(0.24, 0.32)),
        (sk.u(20, 40), sk.u(1.0, 1.25), sk.u(0.24, 0.32)),
        (sk.u(15, 40), sk.u(0.3, 0.5), sk.u(0.28, 0.38)),
    ][v]
    hem_y = sk.u(0.7, 1.0)
    drop = sk.u(0.1, 0.25) if sk.chance(0.5) else 0.0
    k = top(
        sk,
        path((0, -1 + vd), (nw, -1.06)),
        sk.u(0.42, 0.56),
        angle,
        length,
        width,
        hem_y,
        flare=sk.u(-0.04, 0.04),
        hem_drop=drop,
    )
    tip = (nw * 0.4 + 0.06, -1 + vd + sk.u(0.08, 0.18))
    sk.maybe(0.9, path((nw, -1.06), tip, (0, -1 + vd)), both=True)
    sk.maybe(0.7, path((0, -1 + vd), (0, hem_y + drop)))
    if sk.extra(0.8):
        x = sk.u(0.0, 0.08)
        for y in np.linspace(-1 + vd + 0.15, hem_y - 0.1, sk.pick(3) + 3):
            sk.dot(x, y)
    x, y = sk.u(-0.4, -0.3), sk.u(-0.6, -0.45)
    sk.maybe(0.35, box(x, y, x + 0.24, y + 0.26, 0.03), closed=True)
    if v < 2:
        sk.maybe(0.5, cuff(k), both=True)


def draw_coat(sk):
    """Coat: long flared body with lapels and buttons, a belted double-breasted
    trench, or a hooded/stand-collar parka with zip and pockets."""
    v = sk.pick(3)
    nw = sk.u(0.18, 0.26)
    if v == 2:
        if sk.chance(0.5):
            hood = sk.u(0.4, 0.55)
            neck = bez((0, -1 - hood), (nw + 0.32, -1 - hood), (nw + 0.25, -0.95))
        else:
            neck = path((0, -1.15), (nw + 0.03, -1.15), (nw, -1))
        hem_y = sk.u(1.0, 1.35)
        k = top(
            sk, neck, sk.u(0.55, 0.62), sk.u(45, 72), sk.u(1.05, 1.4), sk.u(0.28, 0.38), hem_y, flare=sk.u(0.0, 0.1)
        )
        sk.maybe(0.85, path((0, -1), (0, hem_y)))
        y = sk.u(0.2, 0.45)
        sk.maybe(0.6, box(0.15, y, 0.42, y + 0.3, 0.04), closed=True, both=True)
        sk.maybe(0.4, cuff(k), both=True)
        return
    vd = sk.u(0.35, 0.7)
    hem_y = sk.u(1.3, 1.8)
    k = top(
        sk,
        v_neck(nw, vd),
        sk.u(0.45, 0.6),
        sk.u(50, 75) if v == 0 else sk.u(35, 65),
        sk.u(1.1, 1.45),
        sk.u(0.28, 0.38),
        hem_y,
        flare=sk.u(0.05, 0.25),
    )
    lapel = (nw + sk.u(0.08, 0.16), -1 + vd * 0.55)
    sk.maybe(0.8, path((nw, -1), lapel, (0.02, -1 + vd)), both=True)
    sk.maybe(0.8, path((0.02, -1 + vd), (0.05, hem_y)))
    if sk.extra(0.75):
        ys = np.linspace(-1 + vd + 0.12, -1 + vd + 0.12 + sk.u(0.6, 1.1), sk.pick(3) + 2)
        for y in ys:
            for x in (-0.17, 0.17) if v == 1 else (0.14,):
                sk.dot(x, y)
    if v == 1 and sk.extra(0.85):
        y = sk.u(-0.1, 0.25)
        (px, py), (hx, hy) = k["pit"], k["hem"]
        x = px + (hx - px) * (y - py) / (hy - py)
        sk.detail(path((-x, y), (x, y)))
        sk.detail(path((-x, y + 0.13), (x, y + 0.13)))
    y = hem_y * sk.u(0.35, 0.55)
    sk.maybe(0.5, path((0.2, y), (0.45, y - 0.12)), both=True)
    sk.maybe(0.3, cuff(k), both=True)


def draw_dress(sk):
    """Dress: strappy A-line, short-sleeved flared, sleeveless long maxi, or fitted
    hourglass; waist line or belt, skirt folds, a bow."""
    v = sk.pick(4)
    ww, wy = sk.u(0.18, 0.3), sk.u(-0.35, -0.05)
    bw, bust = ww + sk.u(0.03, 0.12), sk.u(-0.65, -0.55)
    hem_y = sk.u(1.2, 1.6) if v == 2 else sk.u(0.75, 1.0)
    hw = [sk.u(0.55, 0.9), sk.u(0.6, 1.0), sk.u(0.35, 0.55), sk.u(0.45, 0.75)][v]
    nw = sk.u(0.12, 0.2)
    if v == 0:
        dip = sk.u(-0.12, 0.08)
        upper = bez((0, bust + 0.06 + dip * 0.3), (bw * 0.5, bust - 0.1 if dip < 0 else bust), (bw, bust))
        sk.pair(path((bw * 0.55, bust - 0.02), (bw * 0.45 + sk.u(-0.05, 0.05), -1.0)), "line")
    elif v == 1:
        sx = nw + sk.u(0.08, 0.14)
        upper = path(
            round_neck(nw, sk.u(0.08, 0.2)), (sx, -0.98), (sx + sk.u(0.18, 0.28), -0.85), (sx + sk.u(0.12, 0.2), -0.66)
        )
    else:
        sx = nw + sk.u(0.06, 0.14)
        neck = v_neck(nw, sk.u(0.2, 0.35)) if sk.chance(0.5) else round_neck(nw, sk.u(0.1, 0.2))
        upper = path(neck, (sx, -1), bez((sx, -1), (sx + 0.02, -0.7), (bw, bust)))
    hip = 0.2 if v == 3 else (hw - ww) * 0.3
    skirt = bez((ww, wy), (ww + hip, wy + (hem_y - wy) * 0.35), (hw, hem_y))
    sag = sk.u(0.0, 0.1)
    hem = bez((hw, hem_y), (hw * 0.5, hem_y + sag), (0, hem_y + sag), n=16)
    if sk.chance(0.25):
        hem[:, 1] += 0.04 * np.sin(hem[:, 0] / max(hw, 0.1) * np.pi * sk.u(3, 5))
    sk.body(mirror(path(upper, (bw, bust), (ww, wy), skirt, hem)))
    sk.maybe(0.6, path((-ww, wy), (ww, wy)))
    sk.maybe(0.15, path((0, wy), (0.15, wy - 0.08), (0.15, wy + 0.08)), closed=True, both=True)
    if sk.extra(0.35):
        for f in (-0.5, 0.0, 0.5)[: sk.pick(2) + 2]:
            sk.detail(path((f * ww, wy + 0.2), (f * hw * 1.1, hem_y - 0.05)))


def draw_trouser(sk):
    """Trousers: straight, flared, skinny or wide-stance legs; waistband, fly,
    pockets, creases and turned-up hems."""
    v = sk.pick(4)
    ww = sk.u(0.38, 0.55)
    hx, cx, cy = ww + sk.u(0.0, 0.08), sk.u(0.02, 0.07), sk.u(-0.5, -0.2)
    lo, lw = [
        (hx + sk.u(-0.04, 0.04), sk.u(0.26, 0.36)),
        (hx + sk.u(0.12, 0.25), sk.u(0.38, 0.5)),
        (hx - sk.u(0.04, 0.12), sk.u(0.18, 0.25)),
        (hx + sk.u(0.2, 0.4), sk.u(0.26, 0.34)),
    ][v]
    li = max(lo - lw, cx + 0.1)
    hy = sk.u(0.9, 1.1)
    sk.body(
        mirror(
            path(
                (0, -1),
                (ww, -1),
                bez((ww, -1), (hx + 0.02, -0.7), (hx, -0.45)),
                (lo, hy),
                (li, hy),
                (cx, cy),
                (0, cy - 0.02),
            )
        )
    )
    if sk.extra(0.6):
        sk.detail(path((-ww, -0.86), (ww, -0.86)))
        if sk.extra(0.3):
            sk.dot(0, -0.93)
    sk.maybe(0.5, bez((0.07, -0.86), (0.08, cy), (0, cy - 0.02)))
    sk.maybe(0.4, bez((ww - 0.22, -0.86), (ww - 0.2, -0.62), (hx, -0.55)), both=True)
    sk.maybe(0.2, path(((hx + cx) / 2, -0.3), ((lo + li) / 2, hy - 0.05)), both=True)
    sk.maybe(0.25, path((li + 0.02, hy - 0.12), (lo - 0.02, hy - 0.12)), both=True)


# ------------------------------------------------- shoes and bags, side/front view


def ankle_strap(sk, heel_x, heel_y, ankle_y, instep=None):
    """Back strap rising from the heel to a ring round the ankle, optionally joined
    to the sole at `instep` by a T-strap."""
    rx = sk.u(0.2, 0.28)
    sk.add("line", path((heel_x, heel_y), (heel_x + 0.04, ankle_y)))
    sk.add("line", ellipse(heel_x + rx, ankle_y, rx, sk.u(0.08, 0.14)), True)
    if instep is not None and sk.chance(0.5):
        sk.add("line", path((heel_x + 2 * rx, ankle_y), instep))


def draw_sandal(sk):
    """Sandal (side view facing right): flat strappy, high heel with ankle strap,
    wedge; or (outline only) a flip-flop seen from above."""
    v = sk.pick(3) if sk.filled else sk.pick(4)
    if v == 3:
        sk.body(
            mirror(
                path(
                    bez((0, -1), (0.45, -1), (0.42, -0.5)),
                    bez((0.42, -0.5), (0.26, 0.2), (0.33, 0.6)),
                    bez((0.33, 0.6), (0.33, 1.0), (0, 1.0)),
                )
            )
        )
        sk.add("line", path((-0.4, -0.1), (sk.u(-0.08, 0.08), -0.68), (0.4, -0.1)))
        return
    if v == 0:
        th = sk.u(0.12, 0.2)
        sk.body(box(-1, 0, 1, th, th * 0.5))
        for x0 in np.linspace(sk.u(-0.3, 0.0), sk.u(0.45, 0.65), sk.pick(3) + 1):
            apex = -0.7 + 0.45 * (x0 + 1) / 2  # top of the (undrawn) foot
            sk.add("line", bez((x0 - 0.22, 0), (x0, 2 * apex), (x0 + 0.22, 0)))
        if sk.chance(0.7):
            ankle_strap(sk, -0.92, 0, sk.u(-0.8, -0.6), instep=(-0.2, 0))
        return
    if v == 1:
        t, heel, w = sk.u(0.07, 0.1), sk.u(0.5, 0.8), sk.u(0.03, 0.1)
        top_edge = path(bez((-1, -heel), (-0.3, -heel), (0.2, 0.3)), (1.0, 0.3))
        sk.body(path(top_edge, bez((1.0, 0.3), (1.06, 0.3 + t / 2), (1.0, 0.3 + t)), (top_edge + [0.0, t])[::-1]))
        sk.body(path((-0.97, -heel + t), (-0.85 + w, -heel + t + 0.02), (-0.86 + w / 2, 0.3 + t), (-0.9, 0.3 + t)))
        sk.add("line", bez((0.45, 0.3), (0.7, -0.2), (0.95, 0.3)))
        ankle_strap(sk, -0.97, -heel, -heel - sk.u(0.35, 0.55))
        return
    slope = sk.u(0.35, 0.6)
    sk.body(
        path(
            bez((-1, -slope), (-0.2, -slope * 0.7), (0.3, 0.05)),
            (1.0, 0.1),
            bez((1.0, 0.1), (1.08, 0.2), (1.0, 0.3)),
            (-1, 0.3),
        )
    )
    for x0 in np.linspace(0.25, 0.6, sk.pick(2) + 1):
        sk.add("line", bez((x0 - 0.22, 0.05), (x0, -0.85), (x0 + 0.25, 0.08)))
    ankle_strap(sk, -0.95, -slope, -slope - sk.u(0.35, 0.5))


def draw_sneaker(sk):
    """Sneaker (side view facing right): low runner, high-top, chunky sole or slip-on;
    sole line, laces, logo stripes or swoosh, toe cap."""
    v = sk.pick(4)
    g = 0.4
    st = sk.u(0.25, 0.35) if v == 2 else sk.u(0.12, 0.2)
    toe = sk.u(-0.15, 0.0)
    ankle = [sk.u(-0.55, -0.4), sk.u(-1.05, -0.8), sk.u(-0.6, -0.4), sk.u(-0.35, -0.22)][v]
    tx = sk.u(-0.4, -0.25) if v == 1 else sk.u(-0.2, 0.0)
    ty = ankle + (0.05 if v == 1 else sk.u(0.05, 0.15))
    back = -1 - sk.u(0.0, 0.08)
    vamp_ctrl = ((0.65, toe - 0.02), (0.3, toe - 0.04), (tx + 0.2, ty + 0.2), (tx, ty))
    parts = [(back + 0.05, g), (0.8, g), bez((0.8, g), (1.2, g), (1.2, toe), (0.65, toe - 0.02)), bez(*vamp_ctrl)]
    if v != 3:
        parts.append(bez((tx, ty), (tx - 0.03, ty - 0.2), (tx - 0.22, ty - 0.12)))
    parts += [
        bez((tx - 0.22, ty - 0.1), (-0.45, ankle + 0.3), (-0.75, ankle + 0.2), (-0.9, ankle)),
        bez((-0.9, ankle), (back - 0.1, ankle + 0.15), (back - 0.08, g - 0.1), (back + 0.05, g)),
    ]
    sk.body(path(*parts))
    if sk.extra(0.75):
        xs = np.linspace(back + 0.02, 1.05, 12)
        wave = 0.03 * np.sin(xs * 9) if v == 2 else 0 * xs
        sk.detail(np.column_stack([xs, g - st + wave]))
    if v != 3 and sk.extra(0.8):
        vamp = bez(*vamp_ctrl, n=12)
        picks = np.arange(4 if v != 1 else 3, 12, 2 if sk.chance(0.6) else 3)
        crossed = sk.chance(0.5)
        for i, j in zip(picks[:-1], picks[1:], strict=True):
            d = vamp[min(i + 1, 11)] - vamp[i - 1]
            n = np.array([d[1], -d[0]]) / (np.linalg.norm(d) + 1e-9)
            if crossed:
                sk.detail(path(vamp[i] + 0.03 * n, vamp[j] + 0.17 * n))
                sk.detail(path(vamp[i] + 0.17 * n, vamp[j] + 0.03 * n))
            else:
                sk.detail(path(vamp[i] + 0.03 * n, vamp[i] + 0.18 * n))
    logo = sk.pick(3)
    if logo == 0 and sk.extra(0.6):
        sk.detail(bez((-0.6, g - st - 0.15), (0.0, g - st + 0.05), (0.4, -0.1)))
    elif logo == 1 and sk.extra(0.6):
        for x in np.linspace(-0.5, -0.1, 3):
            sk.detail(path((x, g - st - 0.03), (x + 0.2, max(ankle + 0.35, -0.25))))
    elif v == 1 and sk.extra(0.6):
        sk.detail(star(-0.55, (ankle + g) / 2, 0.15), closed=True)
    sk.maybe(0.35, bez((0.6, g - st), (0.58, toe + 0.1), (0.86, toe + 0.03)))


def draw_boot(sk):
    """Ankle boot (side view facing right): Chelsea with block heel, lace-up combat
    boot, high-heeled pointed boot, or flat boot with a fur cuff."""
    v = sk.pick(4)
    g = 0.55
    hh = [sk.u(0.12, 0.25), sk.u(0.05, 0.12), sk.u(0.35, 0.55), 0.0][v]
    floor, st = g + hh, sk.u(0.1, 0.2)
    bx, fx = sk.u(-0.9, -0.8), sk.u(-0.3, -0.05)
    th = sk.u(0.4, 0.5) if v == 3 else sk.u(0.3, 0.42)
    if v == 3:
        xs = np.linspace(bx, fx, 9)
        parts = [np.column_stack([xs, -1 + 0.04 * np.sin(np.arange(9) * 2.2)])]
    elif v == 1:
        parts = [(bx, -1), (fx - 0.05, -1), (fx - 0.02, -1.1), (fx + 0.1, -1.05)]
    else:
        parts = [(bx, -1), (fx, -1)]
    parts.append(bez((fx + 0.04, -0.95), (fx + 0.06, -0.3), (fx + 0.12, floor - th), (0.55, floor - th)))
    if v == 2:
        parts += [(1.15, floor - 0.03), (0.85, floor)]
    else:
        parts.append(bez((0.55, floor - th), (1.08, floor - th), (1.08, floor), (0.85, floor)))
    if hh > 0:
        hf = -0.45 if v == 2 else -0.35
        narrow = 0.12 if v == 2 else 0.02
        parts += [
            bez((0.85, floor), (0.1, floor), (hf + 0.1, g), (hf, g)),
            (hf - narrow, floor),
            (bx + narrow * 0.8, floor),
            (bx - 0.03, g),
        ]
    else:
        parts.append((bx - 0.03, g))
    parts.append(bez((bx - 0.03, g), (bx - 0.12, 0.0), (bx, -1)))
    sk.body(path(*parts))
    mx = (bx + fx) / 2
    if v != 2 and sk.extra(0.9 if v == 1 else 0.55):
        sk.detail(path((bx - 0.04, g - st), (1.0, floor - st)))
    if v == 0 and sk.extra(0.7):
        sk.detail(bez((mx - 0.15, -1), (mx - 0.08, -0.3), (mx + 0.08, -0.3), (mx + 0.15, -1)))
    if v == 1 and sk.extra(0.9):
        ys = np.linspace(-0.9, -0.3, sk.pick(2) + 4)
        for y0, y1 in zip(ys[:-1], ys[1:], strict=True):
            sk.detail(path((fx - 0.15, y0), (fx + 0.03, y1)))
            sk.detail(path((fx + 0.02, y0), (fx - 0.15, y1)))
    if v == 3 and sk.extra(0.7):
        xs = np.linspace(bx - 0.02, fx + 0.04, 9)
        sk.detail(np.column_stack([xs, -0.75 + 0.04 * np.sin(np.arange(9) * 2.2 + 1)]))


def draw_bag(sk):
    """Bag: handbag with one arched handle, tote with two handles, shoulder bag with
    a long strap, or envelope clutch; flaps, clasps, zips, pockets."""
    v = sk.pick(4)
    if v == 0:
        tw, bw, top, bot = sk.u(0.5, 0.8), sk.u(0.8, 1.05), -0.2, sk.u(0.55, 0.9)
        sk.body(rounded([(-tw, top), (tw, top), (bw, bot), (-bw, bot)], sk.u(0.05, 0.25)))
        hx, hh = tw * sk.u(0.45, 0.75), sk.u(0.4, 0.75)
        sk.add("line", bez((-hx, top), (-hx, top - hh * 1.3), (hx, top - hh * 1.3), (hx, top)))
        if sk.extra(0.5):
            sk.detail(bez((-tw, top), (0, top + sk.u(0.6, 0.9)), (tw, top)))
            sk.dot(0, top + 0.3)
    elif v == 1:
        w, top, bot = sk.u(0.7, 0.95), sk.u(-0.45, -0.25), sk.u(0.8, 1.0)
        sk.body(rounded([(-w, top), (w, top), (w * 0.9, bot), (-w * 0.9, bot)], sk.u(0.04, 0.12)))
        x, h = w * sk.u(0.35, 0.6), sk.u(0.5, 0.8)
        for o in (0.0,) if sk.chance(0.4) else (-0.08, 0.08):
            sk.add("line", bez((-x + o, top), (-x + o, top - h), (x + o, top - h), (x + o, top)))
        sk.maybe(0.3, box(-w * 0.5, 0.2, w * 0.5, 0.7, 0.04), closed=True)
    elif v == 2:
        w, top, bot = sk.u(0.7, 1.0), 0.2, sk.u(0.7, 0.9)
        sk.body(bez((w, top), (w, bot + 0.2), (-w, bot + 0.2), (-w, top), n=16))
        sk.add("line", bez((-w * 0.9, top), (-w * 0.7, top - 2.2), (w * 0.7, top - 2.2), (w * 0.9, top)))
        if sk.extra(0.6):
            sk.detail(bez((-w, top), (-w * 0.9, top + 0.5), (w * 0.9, top + 0.5), (w, top)))
            sk.dot(0, top + 0.38)
    else:
        w, h = sk.u(0.9, 1.1), sk.u(0.45, 0.65)
        sk.body(box(-w, -h, w, h, sk.u(0.03, 0.1)))
        if sk.extra(0.85):
            tip = sk.u(0.0, 0.3)
            sk.detail(path((-w, -h), (0, tip), (w, -h)))
            sk.dot(0, tip - 0.05)
        if sk.filled or sk.extra(0.3):
            sk.add("line", bez((w * 0.6, -h), (w * 0.7, -h - 0.7), (w * 1.3, -h - 0.5), (w, 0)))


BUILDERS = (
    draw_tshirt,
    draw_trouser,
    draw_pullover,
    draw_dress,
    draw_coat,
    draw_sandal,
    draw_shirt,
    draw_sneaker,
    draw_bag,
    draw_boot,
)


# ------------------------------------------------------------------ the mouse hand


def place(sk, label, span, margin):
    """Warps, mirrors, tilts, scales and positions the sketch; strokes in pixels."""
    rng = sk.rng
    every = np.vstack([p for _, p, _ in sk.strokes])
    lo, hi = every.min(0), every.max(0)
    centre, half = (lo + hi) / 2, (hi - lo).max() / 2
    angle = np.radians(np.clip(rng.normal(0, 6), -15, 15))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shear, bend, phase = rng.normal(0, 0.05, 2), rng.normal(0, 0.04, 2), rng.uniform(0, 6.3, 2)
    stretch = np.exp(np.clip(rng.normal(0, 0.1, 2), -0.2, 0.2))
    if label in SIDE_VIEWS and rng.random() < 0.5:
        stretch[0] = -stretch[0]
    moved = []
    for role, p, closed in sk.strokes:
        q = (p - centre) / half
        x = q[:, 0] + shear[0] * q[:, 1] + bend[0] * np.sin(1.7 * q[:, 1] + phase[0])
        y = q[:, 1] + shear[1] * q[:, 0] + bend[1] * np.sin(1.7 * q[:, 0] + phase[1])
        moved.append((role, (np.column_stack([x, y]) * stretch) @ rot.T, closed))
    every = np.vstack([q for _, q, _ in moved])
    lo, hi = every.min(0), every.max(0)
    scale = min(span * CANVAS, CANVAS - 2 * margin) / (hi - lo).max()
    free = np.maximum(CANVAS - 2 * margin - (hi - lo) * scale, 0)
    offset = margin + free * rng.beta(1.6, 1.6, 2) - lo * scale
    return [(role, q * scale + offset, closed) for role, q, closed in moved]


def resample(pts, spacing):
    """Points evenly spaced about `spacing` px apart along a polyline."""
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    t = np.linspace(0.0, s[-1], max(2, int(s[-1] / spacing) + 1))
    return np.column_stack([np.interp(t, s, pts[:, 0]), np.interp(t, s, pts[:, 1])])


def wobble(dense, shake, rng):
    """Adds sideways hand tremor and a slow drift to a path sampled every 2 px."""
    s = np.arange(len(dense)) * 2.0
    tangent = np.gradient(dense, axis=0) if len(dense) > 1 else np.ones_like(dense)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True) + 1e-9
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    off = np.zeros(len(dense))
    for _ in range(3):
        off += rng.normal(0, shake) * np.sin(2 * np.pi * s / rng.uniform(40, 220) + rng.uniform(0, 2 * np.pi))
    off += rng.normal(0, min(0.02 * s[-1], 4.0)) * np.sin(np.pi * s / max(s[-1], 1.0))
    return dense + normal * off[:, None]


def pointer_samples(dense, step, rng):
    """Sparse mouse events along a dense path, to be joined by straight segments."""
    idx = [0]
    while idx[-1] < len(dense) - 1:
        idx.append(min(len(dense) - 1, idx[-1] + max(1, round(rng.uniform(0.6, 1.4) * step / 2))))
    return dense[idx] + rng.normal(0, 0.5, (len(idx), 2))


def mouse_stroke(pts, closed, hand, rng):
    """Ideal polyline (px) -> list of wobbly mouse strokes, and the traced loop."""
    if closed:
        pts = np.vstack([pts, pts[:1]])
    loop = dense = wobble(resample(pts, 2.0), hand["shake"], rng)
    if closed:  # start anywhere, then overshoot or stop short of the start
        k = int(rng.integers(len(dense) - 1))
        dense = np.vstack([dense[k:-1], dense[: k + 1]])
        extra = int(rng.integers(-min(3, len(dense) - 2), 8))
        dense = np.vstack([dense, dense[1 : extra + 1]]) if extra > 0 else dense[: len(dense) + extra]
    pieces = [dense]
    if closed and len(dense) > 60 and rng.random() < hand["split"]:
        cut = int(rng.integers(20, len(dense) - 20))
        pieces = [dense[: cut + 2] + rng.normal(0, 1.5, 2), dense[cut:] + rng.normal(0, 1.5, 2)]
    return [pointer_samples(p, hand["step"], rng) for p in pieces], loop


def scribble(poly, hand, rng):
    """Back-and-forth colouring-in strokes over a polygon, as zigzag polylines (px)."""
    a = np.radians(hand["angle"])
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    centre = poly.mean(0)
    q = (poly - centre) @ rot
    x, y = q[:, 0], q[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    chains = []
    step = hand["fill_step"]
    for row, yy in enumerate(np.arange(y.min() + step * 0.4, y.max(), step)):
        hit = (y <= yy) != (y2 <= yy)
        xs = np.sort(x[hit] + (yy - y[hit]) * (x2[hit] - x[hit]) / (y2[hit] - y[hit]))
        for x0, x1 in zip(xs[::2], xs[1::2], strict=True):
            chain = next((c for c in chains if c["row"] == row - 1 and c["span"][0] < x1 and x0 < c["span"][1]), None)
            if chain is None:
                chain = {"pts": [], "right": rng.random() < 0.5}
                chains.append(chain)
            inset = min(rng.uniform(-1, 7), (x1 - x0) / 2)
            chain["pts"].append((x1 - inset if chain["right"] else x0 + inset, yy))
            chain["row"], chain["span"], chain["right"] = row, (x0, x1), not chain["right"]
    return [np.array(c["pts"]) @ rot.T + centre for c in chains]


def ink(strokes, filled, rng):
    """Polygons to fill and mouse polylines to draw for a placed sketch."""
    hand = {
        "shake": rng.uniform(0.2, 1.0),
        "step": rng.uniform(5, 12),
        "split": rng.uniform(0, 0.6),
        "fill_step": rng.uniform(8, 13),
        "angle": rng.choice([0, 45, 90, -45]) + rng.normal(0, 12),
    }
    lines, loops = [], []
    for role, pts, closed in strokes:
        if filled and role == "detail":
            continue
        paths, loop = mouse_stroke(pts, closed, hand, rng)
        lines += paths
        if role == "body":
            loops.append(loop)
    if not filled:
        return [], lines
    if rng.random() < 0.5:
        return loops, lines
    for loop in loops:
        for zigzag in scribble(loop, hand, rng):
            dense = wobble(resample(zigzag, 2.0), hand["shake"], rng)
            lines.append(pointer_samples(dense, hand["step"], rng))
    return [], lines


def render(polygons, lines, pen):
    """Draws filled polygons and round-pen polylines; returns a uint8 RGB array."""
    img = Image.new("L", (CANVAS, CANVAS), 255)
    draw = ImageDraw.Draw(img)
    for poly in polygons:
        draw.polygon(poly.ravel().tolist(), fill=0)
    r = pen / 2
    for line in lines:
        if len(line) > 1:
            draw.line(line.ravel().tolist(), fill=0, width=pen)
        for x, y in line:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draws one drawing of class `label` in `style` ('filled' or 'outline') and
    renders it once per pen width; returns one (280, 280, 3) uint8 array per pen."""
    if label not in range(len(BUILDERS)):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    span = rng.uniform(0.35, 0.95)
    sk = Sketch(rng, richness=float(np.clip((span - 0.2) / 0.45, 0.4, 1.0)), filled=style == "filled")
    BUILDERS[label](sk)
    strokes = place(sk, label, span, margin=max(pens) / 2 + 10)
    polygons, lines = ink(strokes, sk.filled, rng)
    return [render(polygons, lines, pen) for pen in pens]
