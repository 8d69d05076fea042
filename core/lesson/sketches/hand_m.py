"""Hand M: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 8).

Students aged 13-16 draw one of the ten Fashion-MNIST classes (T-shirt/top,
trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot) on a
280x280 white canvas with a round black pen of 22 or 18 px.  Some colour the
thing in ("filled": solid or scribbled), others draw its outline with a few
inner lines that matter to them ("outline": collar, buttons, laces, ...).

A drawing is built as ideal geometry in design units, made lopsided, tilted,
resized and moved, turned into sparse, wobbly mouse strokes and finally
rendered once per pen width.
"""

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280  # canvas side in pixels
MARGIN = 14  # pixels kept free at the edge: half the widest pen plus wobble
STYLES = ("filled", "outline")
PENS = (22, 18)
SIDE_VIEW = {5, 7, 8, 9}  # shoes and bags may face either way


@dataclass
class Sketch:
    """Ideal drawing: closed regions (coloured in when filled), lines drawn in
    both styles (straps, handles) and details drawn only in outline style."""

    regions: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    details: list = field(default_factory=list)

    def mapped(self, f):
        """The same sketch with every point array passed through f."""
        return Sketch([f(p) for p in self.regions], [f(p) for p in self.lines], [f(p) for p in self.details])

    def points(self):
        """All points of the sketch in one array."""
        return np.vstack(self.regions + self.lines + self.details)


@dataclass
class Dice:
    """Short names for the random choices of one drawing."""

    rng: np.random.Generator

    def u(self, low, high):
        """Uniform number between low and high."""
        return float(self.rng.uniform(low, high))

    def p(self, prob):
        """True with probability prob."""
        return bool(self.rng.random() < prob)

    def maybe(self, prob, *items):
        """The items as a list with probability prob, otherwise an empty list."""
        return list(items) if self.p(prob) else []

    def pick(self, n, weights=None):
        """Index 0..n-1, optionally weighted."""
        return int(self.rng.choice(n, p=weights))


# ---------------------------------------------------------------- geometry helpers
def pts(*xy):
    """Array of 2-D points from a flat list of x, y values."""
    return np.array(xy, float).reshape(-1, 2)


def bez(p0, p1, p2, n=8):
    """Quadratic Bezier curve from p0 to p2 pulled towards p1."""
    t = np.linspace(0, 1, n)[:, None]
    p0, p1, p2 = (np.asarray(p, float) for p in (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * p1 + t**2 * p2


def arc(cx, cy, rx, ry, a0, a1, n=10):
    """Elliptic arc; angles in degrees, y points down (90 is the bottom)."""
    a = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([cx + rx * np.cos(a), cy + ry * np.sin(a)])


def chain(*parts):
    """Join single points and point arrays into one polyline."""
    return np.vstack([np.asarray(p, float).reshape(-1, 2) for p in parts])


def ring(p):
    """Close a polyline by repeating its first point."""
    return np.vstack([p, p[:1]])


def mirror(p):
    """Mirror points in the vertical axis x = 0."""
    return np.asarray(p, float) * [-1, 1]


def sym(half):
    """Closed outline from its right half, which runs from top centre to bottom centre."""
    return ring(np.vstack([half, mirror(half[::-1])[1:-1]]))


def both(p):
    """A right-hand detail together with its mirror image."""
    return [np.asarray(p, float), mirror(p)]


def box(x0, y0, x1, y1):
    """Closed rectangle."""
    return pts(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)


def along(p0, p1, n, lo=0.1, hi=0.9):
    """n points evenly spaced on the segment p0-p1 (between fractions lo and hi)."""
    t = np.linspace(lo, hi, n)[:, None]
    return np.asarray(p0, float) * (1 - t) + np.asarray(p1, float) * t


def sleeve(sw, sd, angle, length, cuff):
    """Shoulder, sleeve end and inner cuff point of a right sleeve, plus its direction."""
    a = math.radians(angle)
    d, n = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
    sh = np.array([sw, sd])
    return np.array([sh, sh + length * d, sh + length * d + cuff * n]), d


def top_half(neck, r, sw, angle, length, bw, hem_y, hem_w, armpit_drop, hem_lift=0.0):
    """Right half of a sleeved top and its key points (for seams, cuffs, belts)."""
    sd = r.u(0.03, 0.09)
    arm, d = sleeve(sw, sd, angle, length, r.u(0.11, 0.17))
    pit = np.array([bw, sd + armpit_drop])
    hem = (
        bez((hem_w, hem_y - hem_lift), (hem_w * 0.5, hem_y), (0, hem_y), 5) if hem_lift else pts(hem_w, hem_y, 0, hem_y)
    )
    key = dict(arm=arm, d=d, pit=pit, hem_y=hem_y, hem_w=hem_w)
    return chain(neck, arm, pit, hem), key


def side_x(key, y):
    """x of the right body side of a top at height y."""
    (bw, ay), hem_y = key["pit"], key["hem_y"]
    return bw + (key["hem_w"] - bw) * (y - ay) / (hem_y - ay)


def cuff_lines(key, off):
    """Lines across both sleeves, off units up from the cuff (ribbing, turn-ups)."""
    _, end, inner = key["arm"]
    back = off * key["d"]
    return both(chain(end - back, inner - back))


def band(key, y):
    """Line across the body at height y (belt, hem band, stripe)."""
    x = side_x(key, y)
    return pts(-x, y, x, y)


def round_neck(nw, nd):
    """Right half of a round neckline, from its lowest point to the shoulder."""
    return bez((0, nd), (nw * 0.85, nd), (nw, 0), 6)


def logo(r, x, y, size):
    """A small print on a T-shirt: a circle or a star."""
    if r.p(0.5):
        return arc(x, y, size * 0.6, size * 0.6, 0, 360, 12)
    a = np.radians(-90 + 144 * np.arange(6))
    return np.column_stack([x + size * np.cos(a), y + size * np.sin(a)])


def add_hood(sk, r, style, nw):
    """A hood behind the neck: a region when coloured in, otherwise an arch."""
    shape = arc(0, 0.03, nw * r.u(1.3, 1.8), r.u(0.13, 0.24), 180, 360, 12)
    (sk.regions if style == "filled" else sk.lines).append(shape)


# ---------------------------------------------------------------- the ten classes
def tshirt(r, style):
    """T-shirt/top: angled short sleeves, straight-out T sleeves, boxy V-neck, or a tank top."""
    kind, nw, hem_y, bw = r.pick(4), r.u(0.09, 0.15), r.u(0.72, 1.0), r.u(0.23, 0.3)
    hem_w = bw * r.u(0.95, 1.12)
    if kind == 3:
        nd, strap, ay = r.u(0.12, 0.28), r.u(0.04, 0.09), r.u(0.22, 0.34)
        hole = bez((nw + strap, 0), (nw + strap, ay * 0.85), (bw, ay), 7)
        sk = Sketch([sym(chain(round_neck(nw, nd), hole, (hem_w, hem_y), (0, hem_y)))])
        sk.details += r.maybe(0.3, pts(-hem_w, hem_y - 0.07, hem_w, hem_y - 0.07))
        return sk
    sw = r.u(0.25, 0.33)
    neck = pts(0, r.u(0.12, 0.24), nw, 0) if kind == 2 else round_neck(nw, r.u(0.04, 0.11))
    if kind == 2:
        bw = hem_w = sw * r.u(0.95, 1.05)
    angle = r.u(0, 12) if kind == 1 else r.u(20, 45)
    half, key = top_half(neck, r, sw, angle, r.u(0.15, 0.3), bw, hem_y, hem_w, r.u(0.15, 0.24))
    sk = Sketch([sym(half)])
    d = sk.details
    d += r.maybe(0.5, bez((-nw, 0), (0, r.u(-0.04, 0.03)), (nw, 0), 6))
    d += r.maybe(0.4, *both(chain(key["arm"][0], key["pit"])))
    d += r.maybe(0.25, *cuff_lines(key, 0.05))
    d += r.maybe(0.2, logo(r, 0, 0.45 * hem_y, r.u(0.07, 0.12)))
    return sk


def trouser(r, style):
    """Trousers: straight, wide/flared, skinny, or joggers with cuffs; waistband, fly, pockets."""
    kind, ww, hem_y, cy = r.pick(4), r.u(0.2, 0.28), r.u(1.0, 1.35), r.u(0.25, 0.4)
    hip = np.array([ww * r.u(1.0, 1.1), r.u(0.12, 0.22)])
    flare = (r.u(0.95, 1.08), r.u(1.15, 1.5), r.u(0.7, 0.88), r.u(0.8, 0.95))[kind]
    leg = (r.u(0.14, 0.2), r.u(0.2, 0.3), r.u(0.09, 0.13), r.u(0.1, 0.15))[kind]
    li = max(ww * flare - leg, r.u(0.1, 0.16))
    lo, mid, wb = li + leg, li + leg / 2, r.u(0.05, 0.1)
    knee = ((hip[0] + lo) / 2 - (0.04 if kind == 1 else 0), (hip[1] + hem_y) / 2)
    sk = Sketch([sym(chain((0, 0), (ww, 0), hip, knee, (lo, hem_y), (li, hem_y), (0, cy)))])
    d = sk.details
    d += r.maybe(0.7, pts(-ww, wb, ww, wb))
    d += r.maybe(0.55, bez((0, wb), (r.u(-0.06, 0.06), cy * 0.6), (0, cy * 0.9), 5))
    d += r.maybe(0.3, pts(0, wb * 0.5))
    d += r.maybe(0.45, *both(bez((ww * 0.45, wb), (ww * 0.55, 0.16), hip + (0, 0.04), 5)))
    d += r.maybe(0.2, *both(pts(ww * 0.6, 0, ww * 0.6, wb)))
    d += r.maybe(0.2, *both(pts(mid * 0.9, cy + 0.1, mid, hem_y - 0.05)))
    d += r.maybe(0.85 if kind == 3 else 0.0, *both(pts(li, hem_y - 0.07, lo, hem_y - 0.07)))
    return sk


def pullover(r, style):
    """Pullover: long sleeves hanging or held out, round neck, hoodie, or turtleneck; ribbing."""
    kind = r.pick(4)
    hanging = kind == 0 or (kind >= 2 and r.p(0.6))
    nw, nd, sw, hem_y = r.u(0.09, 0.14), r.u(0.04, 0.1), r.u(0.26, 0.33), r.u(0.8, 1.05)
    bw, tn = sw * r.u(0.85, 0.98), r.u(0.08, 0.15)
    neck = pts(0, -tn, nw * 0.9, -tn, nw, 0.02) if kind == 3 else round_neck(nw, nd)
    angle = r.u(45, 68) if hanging else r.u(8, 35)
    half, key = top_half(neck, r, sw, angle, r.u(0.5, 0.72), bw, hem_y, bw * r.u(0.88, 1.0), r.u(0.18, 0.28))
    sk = Sketch([sym(half)])
    d = sk.details
    d += r.maybe(0.6, *cuff_lines(key, r.u(0.05, 0.09)))
    d += r.maybe(0.6, band(key, hem_y - r.u(0.05, 0.09)))
    if kind == 3:
        d += r.maybe(0.7, pts(-nw * 0.9, -tn * 0.45, nw * 0.9, -tn * 0.45))
        d += r.maybe(0.6, pts(-nw, 0.02, nw, 0.02))
    else:
        rib = round_neck(nw, nd + 0.05)
        d += r.maybe(0.4, chain(mirror(rib)[::-1], rib[1:]))
    if kind == 2:
        add_hood(sk, r, style, nw)
        y0, y1 = hem_y * r.u(0.5, 0.6), hem_y * r.u(0.8, 0.88)
        d += r.maybe(0.7, pts(-0.13, y0, 0.13, y0, 0.2, y1, -0.2, y1, -0.13, y0))
        d += r.maybe(0.6, *both(pts(0.04, nd + 0.01, 0.05, nd + r.u(0.12, 0.2))))
    else:
        y = hem_y * r.u(0.35, 0.5)
        d += r.maybe(0.15, band(key, y), band(key, y + 0.08))
    return sk


def dress(r, style):
    """Dress: strappy A-line, short-sleeved fit-and-flare, long gown, or strapless flared dress."""
    kind, bw, ay = r.pick(4), r.u(0.15, 0.22), r.u(0.18, 0.3)
    ww, wy = bw * r.u(0.75, 0.95), r.u(0.36, 0.5)
    hem_y = r.u(1.35, 1.7) if kind == 2 else r.u(0.95, 1.25)
    hw = r.u(0.28, 0.42) if kind == 2 else r.u(0.36, 0.6)
    nw, nd = r.u(0.07, 0.11), r.u(0.06, 0.2)
    neck = round_neck(nw, nd) if r.p(0.6) else pts(0, nd, nw, 0)
    if kind == 1:
        arm, _ = sleeve(nw + r.u(0.09, 0.13), r.u(0.0, 0.04), r.u(20, 50), r.u(0.08, 0.16), r.u(0.08, 0.12))
        top = chain(neck, arm, (bw, ay))
    elif kind == 3:
        top = bez((0, 0.05), (bw * 0.5, r.u(-0.08, 0.0)), (bw, 0.02), 6)
    else:
        strap = r.u(0.03, 0.06)
        top = chain(neck, bez((nw + strap, 0), (nw + strap, ay * 0.8), (bw, ay), 6))
    skirt = bez((ww, wy), (ww + (hw - ww) * r.u(0.1, 0.5), (wy + hem_y) / 2), (hw, hem_y), 7)
    zigzag = 2 * (3 + r.pick(3)) + 1
    if r.p(0.25):
        hem = np.column_stack([np.linspace(hw, 0, zigzag), hem_y - 0.05 * (np.arange(zigzag) % 2)])
    else:
        hem = bez((hw, hem_y), (hw * 0.5, hem_y + 0.04), (0, hem_y + 0.04), 5)
    sk = Sketch([sym(chain(top, (ww, wy), skirt, hem[1:]))])
    d = sk.details
    belt = [pts(-ww, wy, ww, wy), *r.maybe(0.3, pts(-ww, wy + 0.06, ww, wy + 0.06))]
    d += r.maybe(0.85 if kind == 1 else 0.55, *belt)
    d += r.maybe(0.15, *both(pts(0, wy, 0.08, wy - 0.04, 0.08, wy + 0.04, 0, wy)))
    folds = r.rng.uniform(-0.7, 0.7, 1 + r.pick(3))
    d += r.maybe(0.35, *[pts(f * ww, wy + 0.08, f * hw * 0.9, hem_y - 0.06) for f in folds])
    return sk


def coat(r, style):
    """Coat: long lapel coat with buttons, belted double-breasted trench, or zip jacket/parka."""
    kind, nw, sw, vd = r.pick(3), r.u(0.09, 0.14), r.u(0.27, 0.34), r.u(0.2, 0.42)
    bw = sw * r.u(0.88, 1.0)
    hem_y = r.u(0.85, 1.05) if kind == 2 else r.u(1.1, 1.45)
    hem_w = bw * (r.u(0.95, 1.05) if kind == 2 else r.u(1.02, 1.3))
    neck = round_neck(nw, 0.06) if kind == 2 else pts(0, vd, nw, r.u(-0.05, 0.0))
    angle = r.u(40, 68) if r.p(0.7) else r.u(10, 35)
    half, key = top_half(neck, r, sw, angle, r.u(0.55, 0.8), bw, hem_y, hem_w, r.u(0.2, 0.3))
    sk = Sketch([sym(half)])
    d, ay = sk.details, key["pit"][1]
    if kind == 2:
        d += r.maybe(0.9, pts(0, 0.06, 0, hem_y), *r.maybe(0.4, pts(0, 0.12, 0.04, 0.2)))
        d += r.maybe(0.6, *both(pts(0.12, hem_y * 0.6, 0.18, hem_y * 0.8)))
        d += r.maybe(0.5, band(key, hem_y - 0.07))
        d += r.maybe(0.5, *cuff_lines(key, 0.07))
        if r.p(0.5):
            add_hood(sk, r, style, nw)
        return sk
    d += r.maybe(0.8, *both(pts(nw, 0, nw * r.u(1.1, 1.6), vd * r.u(0.45, 0.6), 0, vd)))
    d += r.maybe(0.9, pts(0, vd, 0, hem_y))
    rows = 3 + r.pick(3) if kind == 0 else 2 + r.pick(2)
    ys = along((0, vd + 0.05), (0, hem_y * 0.7), rows, 0, 1)[:, 1]
    d += r.maybe(0.85, *[pts(x, y) for x in ([0.05] if kind == 0 else [-0.09, 0.09]) for y in ys])
    wy = ay + r.u(0.15, 0.3)
    belt = [band(key, wy), band(key, wy + 0.06), box(-0.04, wy - 0.02, 0.04, wy + 0.08)]
    d += r.maybe(0.25 if kind == 0 else 0.9, *belt)
    yp = ay + (hem_y - ay) * r.u(0.45, 0.65)
    d += r.maybe(0.6, *both(pts(0.1, yp, min(0.24, side_x(key, yp) - 0.05), yp)))
    return sk


def sandal(r, style):
    """Sandal: flat with toe/instep/ankle straps, high heel with ankle strap, thick flip-flop or
    slide, or top-view flip-flop (outline only: coloured in, its strap would vanish)."""
    kind = r.pick(4, [0.35, 0.3, 0.2, 0.15] if style == "outline" else [0.4, 0.35, 0.25, 0.0])
    sk = Sketch()
    if kind == 3:
        sk.regions.append(
            sym(
                chain(bez((0, 0), (0.21, 0), (0.2, 0.3), 7), (0.13, 0.62), bez((0.13, 0.62), (0.17, 0.95), (0, 1.0), 6))
            )
        )
        sk.lines.append(chain((-0.18, 0.45), (r.u(-0.06, 0.0), r.u(0.16, 0.24)), (0.18, 0.45)))
        return sk
    t = (r.u(0.05, 0.09), r.u(0.04, 0.06), r.u(0.1, 0.16))[kind]
    hh = r.u(0.3, 0.45) if kind == 1 else 0.0
    ankle, end = -t - hh - r.u(0.3, 0.45), arc(0.97, -t / 2, t / 2, t / 2, -90, 90, 5)
    if kind == 1:
        sk.regions.append(
            ring(
                chain(
                    bez((0.02, -hh - t), (0.45, -hh * 0.85 - t), (0.62, -t), 8),
                    end,
                    bez((0.62, 0), (0.45, -hh * 0.85), (0.04, -hh), 8),
                )
            )
        )
        top, tip = r.u(0.1, 0.16), r.u(0.02, 0.05)  # heel widths at sole, ground
        sk.regions.append(ring(pts(0.02, -hh, 0.02 + top, -hh, 0.07 + tip, 0, 0.07 - tip, 0)))
    else:
        sk.regions.append(ring(chain(arc(t / 2, -t / 2, t / 2, t / 2, 90, 270, 6), end)))
        sk.details += r.maybe(0.4, pts(0.05, -t * 0.5, 0.95, -t * 0.5))
    if kind == 2:
        if r.p(0.5):
            sk.lines.append(pts(0.78, -t, 0.5, -t - r.u(0.2, 0.3), 0.28, -t))
        else:
            sk.regions.append(
                ring(
                    chain(
                        bez((0.35, -t), (0.6, -t - 0.6), (0.88, -t), 8), bez((0.76, -t), (0.6, -t - 0.3), (0.47, -t), 6)
                    )
                )
            )
        return sk
    instep = r.maybe(0.85 if kind == 0 else 0.0, (r.u(0.46, 0.52), r.u(0.13, 0.17), r.u(0.28, 0.4)))
    straps = [(r.u(0.78, 0.82), r.u(0.14, 0.18), r.u(0.18, 0.28)), *instep]
    sk.lines += [arc(x, -t, rx, h, 180, 360, 9) for x, rx, h in straps]
    ax, rx = r.u(0.16, 0.24), r.u(0.12, 0.17)
    ankle_strap = [
        pts(0.03, -t - hh, 0.03 + r.u(0.0, 0.05), ankle),
        ring(arc(ax, ankle, rx, r.u(0.08, 0.12), 0, 350, 12)),
        *r.maybe(0.4, pts(ax + rx * 0.8, ankle + 0.03, 0.82, -t - 0.3)),
    ]
    sk.lines += r.maybe(0.8, *ankle_strap)
    return sk


def shirt(r, style):
    """Shirt: pointed collar, button placket, long (hanging or out) or short sleeves, pocket."""
    kind, nw, sw, hem_y = r.pick(3), r.u(0.09, 0.13), r.u(0.25, 0.32), r.u(0.85, 1.1)
    bw, stand, cd = sw * r.u(0.85, 0.97), r.u(0.02, 0.06), r.u(0.08, 0.14)
    neck = pts(0, r.u(0.03, 0.1), nw, -stand)
    angle = (r.u(45, 68), r.u(8, 35), r.u(18, 40))[kind]
    length = r.u(0.16, 0.28) if kind == 2 else r.u(0.5, 0.72)
    lift = r.u(0.03, 0.1) if r.p(0.6) else 0.0
    half, key = top_half(neck, r, sw, angle, length, bw, hem_y, bw * r.u(0.95, 1.05), r.u(0.18, 0.26), lift)
    sk = Sketch([sym(half)])
    d, tip, x = sk.details, (nw * r.u(0.35, 0.8), cd + r.u(0.06, 0.14)), r.u(0.08, 0.12)
    d += r.maybe(0.9, *both(pts(nw, -stand, *tip, 0, cd)))
    d += r.maybe(0.85, pts(0, cd, 0, hem_y))
    ys = along((0, cd + 0.1), (0, hem_y - 0.1), 3 + r.pick(4), 0, 1)[:, 1]
    d += r.maybe(0.8, *[pts(0.045, y) for y in ys])
    d += r.maybe(0.4, box(-x - 0.11, 0.25, -x, 0.37))
    d += r.maybe(0.0 if kind == 2 else 0.5, *cuff_lines(key, 0.07))
    return sk


def sneaker(r, style):
    """Sneaker (side view): low-top with laces and swoosh, chunky runner, canvas plimsoll."""
    kind, tr = r.pick(3), r.u(0.1, 0.15)
    sole = (r.u(0.07, 0.11), r.u(0.13, 0.2), r.u(0.06, 0.1))[kind]
    ch = (r.u(0.38, 0.5), r.u(0.42, 0.55), r.u(0.28, 0.38))[kind]
    vh, toe = ch * r.u(0.6, 0.75), arc(1 - tr, -tr, tr, tr, 90, -70, 7)
    tongue = [(0.42, -ch - r.u(0.03, 0.08)), (0.35, -ch)] if r.p(0.5) else [(0.38, -ch)]
    outline = chain(
        (0.03, 0),
        toe,
        bez(toe[-1], (0.8, -vh * 0.9), (0.6, -vh), 5),
        (0.45, -ch),
        *tongue,
        bez(tongue[-1], (0.22, -ch + r.u(0.04, 0.1)), (0.05, -ch * 1.02), 6),
        bez((0.05, -ch * 1.02), (-0.04, -ch * 0.5), (0.03, 0), 6),
    )
    sk = Sketch([ring(outline)])
    d = sk.details
    x_end = 1 - tr + math.sqrt(max(tr**2 - (tr - sole) ** 2, 0)) if sole < tr else 1.0
    if kind == 1:
        x = np.linspace(0.0, x_end - 0.02, 9)
        d.append(np.column_stack([x, -sole + 0.02 * np.sin(x * r.u(15, 25))]))
    else:
        d += r.maybe(0.9, pts(0.0, -sole, x_end - 0.01, -sole))
    for p in along((0.6, -vh), (0.45, -ch), 2 + r.pick(3), 0.05, 0.95):
        d += r.maybe(
            0.75, chain(p + (0.02, 0.02), p + (-0.06, 0.09)), *r.maybe(0.5, chain(p + (-0.06, 0.02), p + (0.02, 0.09)))
        )
    d += r.maybe(0.6 if kind == 0 else 0.0, bez((0.72, -sole - 0.04), (0.4, -sole - 0.01), (0.18, -ch * 0.6), 7))
    d += r.maybe(
        0.6 if kind == 1 else 0.0, *[pts(0.25 + dx, -sole - 0.02, 0.35 + dx, -ch * 0.75) for dx in (0.0, 0.07, 0.14)]
    )
    toe_cap = bez((0.78, -sole), (0.8, -tr * 1.6), toe[-1] - (0.04, 0), 5)
    d += r.maybe(0.8 if kind == 2 else 0.3, toe_cap)
    return sk


def bag(r, style):
    """Bag: handbag with arched handle, satchel with flap and long strap, tote, or backpack."""
    kind = r.pick(4, [0.35, 0.25, 0.2, 0.2])
    sk = Sketch()
    d = sk.details
    if kind == 0:
        tw, bw, h = r.u(0.25, 0.38), r.u(0.36, 0.52), r.u(0.45, 0.7)
        sk.regions.append(
            sym(chain((0, 0), (tw, 0), (bw, h * 0.85), bez((bw, h * 0.85), (bw, h), (bw * 0.75, h), 4)[1:], (0, h)))
        )
        sk.lines.append(bez((-tw * 0.7, 0), (0, -r.u(0.4, 0.8)), (tw * 0.7, 0), 10))
        d += r.maybe(0.35, box(-0.05, 0, 0.05, 0.08))
        d += r.maybe(0.3, bez((-tw, 0.0), (0, h * 0.7), (tw, 0.0), 8))
    elif kind == 1:
        w, h, fy = r.u(0.38, 0.55), r.u(0.42, 0.62), r.u(0.25, 0.4)
        sk.regions.append(sym(chain((0, 0), (w, 0), (w, h * 0.9), (w * 0.9, h), (0, h))))
        sk.lines.append(bez((-w, 0.02), (0, -r.u(0.8, 1.4)), (w, 0.02), 12))
        d += r.maybe(0.85, chain((-w, 0.02), bez((-w, fy), (0, fy * 1.3), (w, fy), 7), (w, 0.02)))
        d += r.maybe(0.4, box(-0.04, fy * 1.1 - 0.03, 0.04, fy * 1.1 + 0.05))
    elif kind == 2:
        w, h, hh = r.u(0.32, 0.5), r.u(0.5, 0.75), r.u(0.5, 0.9)
        sk.regions.append(sym(pts(0, 0, w * r.u(0.85, 1.0), 0, w, h, 0, h)))
        sk.lines.append(bez((-w * 0.65, 0), (0, -hh), (w * 0.65, 0), 10))
        sk.lines += r.maybe(0.6, bez((-w * 0.4, 0), (0, -hh * 0.8), (w * 0.4, 0), 8))
        d += r.maybe(0.3, box(-w * 0.5, h * 0.45, w * 0.5, h * 0.8))
    else:
        w, h = r.u(0.28, 0.4), r.u(0.75, 0.95)
        sk.regions.append(
            sym(chain(bez((0, 0), (w, 0), (w, h * 0.28), 7), (w, h * 0.92), bez((w, h * 0.92), (w, h), (0, h), 5)[1:]))
        )
        sk.lines.append(bez((-0.08, 0.01), (0, -0.2), (0.08, 0.01), 6))
        d += r.maybe(0.8, box(-w * 0.7, h * 0.55, w * 0.7, h * 0.9))
        d += r.maybe(0.5, bez((-w * 0.85, h * 0.35), (0, h * 0.2), (w * 0.85, h * 0.35), 6))
        strap = bez((w * 0.95, h * 0.12), (w * 1.35, h * 0.5), (w * 0.95, h * 0.88))
        sk.lines += r.maybe(0.35, *both(strap))
    return sk


def ankle_boot(r, style):
    """Ankle boot (side view): flat Chelsea with elastic panel, heeled with pointed toe, or
    lace-up work boot with a thick sole."""
    kind, fh, sx, hh = r.pick(3), r.u(0.3, 0.42), r.u(0.4, 0.52), r.u(0.08, 0.18)
    bh = r.u(0.7, 0.9) if kind == 2 else r.u(0.75, 1.0)
    tr = r.u(0.06, 0.1) if kind == 1 else r.u(0.1, 0.16)
    toe = arc(1 - tr, -tr, tr, tr, 90, -80, 7)
    heel = pts(0.02, 0)
    if kind == 1:
        heel = chain(heel, (0.14, 0), (0.16, -hh), bez((0.16, -hh), (0.35, -hh * 0.8), (0.5, 0), 6))
    top = [(sx, -bh)]
    if kind == 2:
        top = [(sx + 0.02, -bh - r.u(0.04, 0.08)), (sx - 0.1, -bh - 0.05), (sx - 0.12, -bh)]
    back = bez((0.03, -bh * r.u(0.95, 1.05)), (-0.02, -bh * 0.4), (0.02, 0), 5)
    outline = chain(heel, toe, bez(toe[-1], (0.75, -fh * 0.9), (sx + 0.05, -fh), 6), *top, back)
    sk = Sketch([ring(outline)])
    d, flat = sk.details, 0.0 if kind == 1 else 1.0
    sole = r.u(0.1, 0.15) if kind == 2 else r.u(0.04, 0.08)
    d += r.maybe(0.75 * flat, pts(0.0, -sole, 1 - tr * 0.6, -sole))
    tab = pts(0.04, -bh + 0.03, 0.06, -bh - 0.1, 0.14, -bh - 0.1, 0.15, -bh + 0.03)
    d += r.maybe(0.4 * flat, tab)
    d += r.maybe(0.85 if kind == 0 else 0.0, bez((sx * 0.35, -bh), (sx * 0.58, -fh * 0.6), (sx * 0.8, -bh), 7))
    laces = along((sx + 0.05, -fh), (sx, -bh), 3 + r.pick(3))
    d += r.maybe(0.85 if kind == 2 else 0.0, *[chain(p, p + (-0.12, 0.03)) for p in laces])
    d += r.maybe(0.35, bez((0.8, -sole), (0.78, -tr * 2.2), toe[-1] - (0.05, 0), 5))
    return sk


BUILDERS = (tshirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


# ---------------------------------------------------------------- from geometry to pixels
def distort(sk, r, flip):
    """Normalise, then make the drawing lopsided, stretched, maybe mirrored and tilted."""
    p = sk.points()
    centre, span = (p.min(0) + p.max(0)) / 2, (p.max(0) - p.min(0)).max()
    turn_x = -1.0 if flip and r.p(0.5) else 1.0
    aspect = math.exp(r.rng.normal(0, 0.08)) * turn_x
    lean, bulge, sag = r.rng.normal(0, [0.05, 0.06, 0.05])
    left = 1 + r.rng.normal(0, 0.05)
    theta = math.radians(float(np.clip(r.rng.normal(0, 6), -15, 15)))
    rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])

    def warp(q):
        """Apply this drawing's distortion to an array of points."""
        q = (q - centre) / span
        x, y = q[:, 0] * aspect, q[:, 1]
        x = np.where(x * turn_x < 0, x * left, x)
        x, y = x + lean * y + bulge * y**2, y + sag * x**2
        return np.column_stack([x, y]) @ rot.T

    return sk.mapped(warp)


def place(sk, r):
    """Scale the drawing to 35-95% of the canvas and put it somewhere (pixels)."""
    p = sk.points()
    lo, size = p.min(0), p.max(0) - p.min(0)
    target = SIZE * (0.35 + 0.6 * r.rng.beta(2.0, 1.6))
    scale = min(target, SIZE - 2 * MARGIN) / size.max()
    room = SIZE - 2 * MARGIN - size * scale
    offset = MARGIN + room * r.rng.beta(2.5, 2.5, 2)
    return sk.mapped(lambda q: (q - lo) * scale + offset)


def resample(line, step):
    """Points every `step` pixels along a polyline."""
    seg = np.linalg.norm(np.diff(line, axis=0), axis=1)
    s = np.r_[0, np.cumsum(seg)]
    t = np.linspace(0, s[-1], max(int(s[-1] / step), 1) + 1)
    return np.column_stack([np.interp(t, s, line[:, 0]), np.interp(t, s, line[:, 1])])


def stretch_ends(line, start, end):
    """Extend (positive) or shorten (negative) a polyline at both ends, in pixels."""
    line = line.copy()
    for i, j, amount in ((0, 1, start), (-1, -2, end)):
        d = line[i] - line[j]
        n = np.linalg.norm(d) + 1e-9
        line[i] += d / n * max(amount, -0.5 * n)
    return line


def mouse(line, r, hand, fast=False):
    """What the mouse records along an ideal line: wobbly, sparse pointer samples; closed
    lines overshoot or stop short of their start, open lines of their ends."""
    line = np.asarray(line, float)
    if np.ptp(line, axis=0).max() < 1:
        return line[:1] + r.rng.normal(0, 1, 2)
    if len(line) > 2 and np.allclose(line[0], line[-1]):
        k = r.pick(len(line) - 1)
        dense = resample(np.vstack([line[k:-1], line[: k + 1]]), 2.0)
        dense = np.vstack([dense, dense[1:8]])[: max(len(dense) + int(r.u(-3, 7)), 2)]
    else:
        dense = resample(stretch_ends(line, r.u(-2, 4), r.u(-2, 5)), 2.0)
    tangent = np.gradient(dense, axis=0)
    normal = tangent[:, ::-1] * [-1, 1] / (np.hypot(*tangent.T)[:, None] + 1e-9)
    s = np.arange(len(dense)) * 2.0
    waves = sum(r.u(0.2, 0.7) * np.sin(s / r.u(5, 32) + r.u(0, 6.3)) for _ in range(3))
    dense = dense + normal * hand["wobble"] * waves[:, None] + r.rng.normal(0, 1.0, 2)
    step = hand["step"] * (1.7 if fast else 1.0) / 2.0
    gaps = np.maximum(1, np.round(step * r.rng.uniform(0.6, 1.4, len(dense))))
    idx = np.cumsum(np.r_[0, gaps]).astype(int)
    idx = np.r_[idx[idx < len(dense) - 1], len(dense) - 1]
    return dense[idx] + r.rng.normal(0, 0.4, (len(idx), 2))


def outline_strokes(closed, r, hand):
    """Mouse strokes for a closed outline: one loop, or 2-3 pieces meeting imperfectly."""
    pieces = r.pick(3, [0.65, 0.25, 0.1]) + 1
    if pieces == 1:
        return [mouse(closed, r, hand)]
    dense = resample(closed, 2.0)[:-1]
    n = len(dense)
    dense = np.roll(dense, -r.pick(n), axis=0)
    cuts = [0] + [int(n * (k / pieces + r.u(-0.08, 0.08))) for k in range(1, pieces)] + [n]
    return [mouse(np.vstack([dense[a:b], dense[b % n]]), r, hand) for a, b in itertools.pairwise(cuts)]


def hatch(poly, angle, gap, r):
    """Zig-zag scribble strokes covering a polygon, gap pixels apart at the given angle."""
    rot = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
    x0, y0 = (poly @ rot.T).T
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    chains, active = [], []
    for y in np.arange(y0.min() + gap * r.u(0.3, 0.7), y0.max(), gap):
        cut = (y0 <= y) != (y1 <= y)
        xs = np.sort(x0[cut] + (y - y0[cut]) * (x1 - x0)[cut] / (y1 - y0)[cut])
        now = []
        for a, b in zip(xs[::2] + r.u(1, 7), xs[1::2] - r.u(1, 7), strict=True):
            if b - a < 2:
                continue
            match = next((c for c in active if c[-1][1] < b and c[-1][2] > a and c not in now), None)
            if match is None:
                match = []
                chains.append(match)
            match.append((y, a, b))
            now.append(match)
        active = now
    strokes = []
    for c in chains:
        rows = [((a, y), (b, y)) if k % 2 == 0 else ((b, y), (a, y)) for k, (y, a, b) in enumerate(c)]
        strokes.append(np.array(rows).reshape(-1, 2) @ rot)
    return strokes


def ink(sk, style, r):
    """Fill polygons and mouse strokes (pixels) for a placed sketch in the given style."""
    hand = dict(wobble=r.u(0.5, 2.6), step=r.u(4, 13))
    solid = r.p(0.55)
    angle, gap = math.radians(r.u(-75, 75)), r.u(8, 21)
    fills, strokes = [], []
    for region in sk.regions:
        outline = outline_strokes(region, r, hand)
        if style == "filled":
            poly = np.vstack(outline)
            if solid:
                fills.append(poly)
            else:
                strokes += [mouse(h, r, hand, fast=True) for h in hatch(poly, angle, gap, r)]
        strokes += outline
    strokes += [mouse(line, r, hand) for line in sk.lines]
    if style == "outline":
        strokes += [mouse(d, r, hand) for d in sk.details]
    return fills, strokes


def render(fills, strokes, pen):
    """Draw fills and round-brush strokes in black on a white RGB canvas."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    for poly in fills:
        draw.polygon([tuple(p) for p in poly], fill=0)
    rad = (pen - 1) / 2
    for stroke in strokes:
        points = [tuple(p) for p in stroke]
        if len(points) > 1:
            draw.line(points, fill=0, width=pen)
        for x, y in points:
            draw.ellipse((x - rad, y - rad, x + rad, y + rad), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style`; render it once per pen width."""
    if not isinstance(label, (int, np.integer)) or not 0 <= label < len(BUILDERS):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    r = Dice(rng)
    sketch = place(distort(BUILDERS[label](r, style), r, flip=label in SIDE_VIEW), r)
    fills, strokes = ink(sketch, style, r)
    return [render(fills, strokes, pen) for pen in pens]
