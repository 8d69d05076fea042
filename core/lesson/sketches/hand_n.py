"""Hand N: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 8).

The ten classes (0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
7 Sneaker, 8 Bag, 9 Ankle boot) are drawn on a 280x280 white canvas in black ink with a round
pen; garments are seen from the front, shoes from the side.  Style "filled" is a solid or
zigzag-scribbled silhouette, style "outline" the contour plus the inner lines a student
cares about (collar, buttons, laces, straps, ...).  Shapes are built in model units, then
spoilt the way a mouse hand spoils them: lopsided proportions, tilt, random size and
placement, slow wobble, sparse pointer samples joined by straight segments, loops that
overshoot or stay open, long strokes drawn in two pieces.
"""

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

CANVAS = 280
STYLES = ("filled", "outline")
PENS = (22, 18)


@dataclass
class Sketch:
    """Geometry of one drawing in model units (x right, y down)."""

    parts: list = field(default_factory=list)  # closed silhouettes, filled in "filled" style
    lines: list = field(default_factory=list)  # open strokes drawn in both styles (straps, handles)
    details: list = field(default_factory=list)  # groups of inner lines, drawn only in "outline" style
    flip: bool = False  # may be mirrored (shoes and bags face either way)

    def add(self, chance, *lines):
        """Add a group of detail lines if `chance` is true."""
        if chance:
            self.details.append(list(lines))


# ---------------------------------------------------------------- geometry helpers
def P(*xy):
    """Points from a flat list of x, y numbers (or 2-vectors)."""
    return np.concatenate([np.ravel(v) for v in xy]).astype(float).reshape(-1, 2)


def arc(cx, cy, rx, ry, a0, a1, n=12):
    """Elliptic arc from angle a0 to a1 in degrees (90 degrees points down)."""
    t = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def bezier(a, c, b, n=8):
    """Quadratic Bezier curve from a to b pulled towards c."""
    t = np.linspace(0, 1, n)[:, None]
    a, c, b = (np.asarray(v, float) for v in (a, c, b))
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * c + t**2 * b


def both(line):
    """A line and its mirror image about x = 0."""
    return [line, line * [-1.0, 1.0]]


def symmetric(half):
    """Closed outline from its right half (running from top centre to bottom centre)."""
    return np.vstack([half, half[-2:0:-1] * [-1.0, 1.0]])


def loop(p):
    """Close a polyline by repeating its first point."""
    return np.vstack([p, p[:1]])


def box(x0, y0, x1, y1):
    """Closed rectangle (pockets, buckles)."""
    return loop(P(x0, y0, x1, y0, x1, y1, x0, y1))


def zigzag(x0, x1, y, amp, n):
    """Zigzag line from x0 to x1 just below height y (knit pattern, tread, fur trim)."""
    return np.column_stack([np.linspace(x0, x1, n), y + amp * (np.arange(n) % 2)])


def chaikin(p, closed=False, iters=2, cut=0.25):
    """Round corners by Chaikin corner cutting (`cut` is the fraction of each edge cut away)."""
    for _ in range(iters):
        q = np.vstack([p, p[:1]]) if closed else p
        a, b = q[:-1], q[1:]
        new = np.empty((2 * len(a), 2))
        new[0::2], new[1::2] = (1 - cut) * a + cut * b, cut * a + (1 - cut) * b
        p = new if closed else np.vstack([q[:1], new, q[-1:]])
    return p


def dots(xs, ys):
    """Single-point strokes (buttons, rivets), drawn as pen-sized dots."""
    return [P(x, y) for x, y in zip(np.ravel(xs), np.ravel(ys), strict=True)]


def emblem(rng, x, y, r):
    """A small print a student puts on a garment or bag: circle, star or heart."""
    kind = rng.integers(3)
    if kind == 0:
        return arc(x, y, r, r, 0, 360, 14)
    if kind == 1:
        a = np.radians(np.arange(11) * 36 - 90)
        rad = np.where(np.arange(11) % 2 == 0, r, r * 0.45)
        return np.column_stack([x + rad * np.cos(a), y + rad * np.sin(a)])
    t = np.linspace(0, 2 * np.pi, 17)
    hx, hy = 16 * np.sin(t) ** 3, 13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t)
    return np.column_stack([x + hx * r / 16, y - hy * r / 16])


# ---------------------------------------------------------------- front-view garments
def garment(g):
    """Closed front-view outline of a top, dress or coat from a parameter dict.

    Returns the outline and key points (shoulder S, sleeve ends out/inn, armpit pit)."""
    top, nw, nd = -1.0, g["neck_w"], g["neck_d"]
    neck = g.get("neck", "round")
    if neck == "round":
        pts = [arc(0, top, nw, nd, 90, 0, 7)]
    elif neck == "v":
        pts = [P(0, top + nd, nw, top)]
    elif neck == "collar":
        pts = [P(0, top + nd, nw * 1.1, top - g["collar"], nw * 1.25, top)]
    elif neck == "hood":
        pts = [arc(0, top + 0.05, nw + 0.2, g["hood"], -90, 20, 9)]
    else:  # straight top edge of a strapless dress
        pts = [P(0, top)]
    S, pit = np.array([g["sh_w"], g["sh_y"]]), np.array([g["pit_w"], g["pit_y"]])
    keys = {"S": S, "pit": pit}
    if g.get("sl_len", 0) > 0:
        a = np.radians(g["sl_ang"])
        d, n = np.array([np.cos(a), np.sin(a)]), np.array([-np.sin(a), np.cos(a)])
        out = S + g["sl_len"] * d
        inn = out + g["cuff_w"] * n
        body_x = np.interp(inn[1], [g["pit_y"], g["hem_y"]], [g["pit_w"], g["hem_w"]])
        shift = max(0.0, body_x + 0.1 - inn[0])  # keep a hanging sleeve clear of the body
        out, inn = out + [shift, 0], inn + [shift, 0]
        pts += [P(S, out, inn)]
        keys.update(out=out, inn=inn, d=d)
    else:
        pts.append(bezier(S, (S[0] - 0.04, pit[1]), pit))
    pts.append(P(pit))
    if "waist_y" in g:
        pts.append(P(g["waist_w"], g["waist_y"]))
    hw, hy = g["hem_w"], g["hem_y"]
    if g.get("wave"):
        x = np.linspace(hw, 0, 25)
        pts.append(np.column_stack([x, hy + g["wave"] * np.abs(np.sin(np.linspace(0, 4 * np.pi, 25)))]))
    elif g.get("notch"):
        pts.append(P(hw, hy, 0.04, hy, 0, hy - g["notch"]))
    else:
        drop = g.get("drop", 0.0)
        pts.append(P(hw, hy, hw * 0.55, hy + drop * 0.8, 0, hy + drop))
    return symmetric(np.vstack(pts)), keys


def cuff(k, depth):
    """Line across a sleeve `depth` units back from its end."""
    back = k["pit"] - k["inn"]
    return P(k["out"] - depth * k["d"], k["inn"] + depth * back / np.linalg.norm(back))


def sleeve_pose(rng, g, length, pose):
    """Set a long sleeve hanging down (0), held out diagonally (1) or straight out (2)."""
    if pose == 0:
        g["sl_ang"] = rng.uniform(60, 78)
        g["sl_len"] = (g["hem_y"] + rng.uniform(-0.2, 0.05) - g["sh_y"]) / np.sin(np.radians(g["sl_ang"]))
    else:
        g["sl_ang"] = rng.uniform(28, 50) if pose == 1 else rng.uniform(0, 14)
        g["sl_len"] = length * rng.uniform(0.8, 1.05)


def tshirt(rng):
    """T-shirt/top: classic tee, boxy tee with V-neck, tank top, fitted top."""
    u = rng.uniform
    kind, bw = rng.integers(4), u(0.4, 0.55)
    g = dict(
        neck_w=u(0.15, 0.24),
        neck_d=u(0.08, 0.2),
        sh_w=bw + u(0.02, 0.1),
        sh_y=-1 + u(0.04, 0.12),
        pit_w=bw,
        hem_w=bw * u(0.95, 1.1),
        hem_y=-1 + 2 * bw * u(1.05, 1.45),
        cuff_w=u(0.24, 0.34),
        sl_len=u(0.3, 0.5),
        sl_ang=u(18, 42),
    )
    g["pit_y"] = g["sh_y"] + u(0.3, 0.42)
    if kind == 1:
        g.update(sl_ang=u(0, 10), neck="v", neck_d=u(0.15, 0.3), hem_w=bw * u(1.0, 1.1))
    elif kind == 2:
        g.update(sl_len=0, neck_d=u(0.2, 0.4), sh_w=g["neck_w"] + u(0.07, 0.14), pit_y=-1 + u(0.38, 0.5))
    elif kind == 3:
        g.update(
            sl_len=u(0.16, 0.26),
            sl_ang=u(35, 55),
            cuff_w=u(0.16, 0.24),
            waist_w=bw * u(0.78, 0.9),
            waist_y=(g["pit_y"] + g["hem_y"]) / 2,
            hem_w=bw * u(0.9, 1.0),
        )
    outline, k = garment(g)
    sk = Sketch([outline])
    sk.add(kind != 1 and rng.random() < 0.5, arc(0, -1, g["neck_w"], g["neck_d"] * 0.35, 180, 360, 7))
    if g["sl_len"] > 0:
        sk.add(rng.random() < 0.5, *both(cuff(k, 0.1)))
        sk.add(rng.random() < 0.35, *both(P(k["S"], k["pit"])))
    if rng.random() < 0.3:
        sk.add(True, emblem(rng, 0, (g["pit_y"] + g["hem_y"]) / 2 - 0.1, u(0.12, 0.2)))
    else:
        sk.add(rng.random() < 0.15, box(-bw * 0.55, g["pit_y"] + 0.05, -bw * 0.55 + 0.2, g["pit_y"] + 0.25))
    return sk


def pullover(rng):
    """Pullover: long sleeves hanging, held out or in T-pose; sometimes a hoodie."""
    u = rng.uniform
    kind, bw = rng.choice(4, p=[0.3, 0.25, 0.25, 0.2]), u(0.42, 0.55)
    g = dict(
        neck_w=u(0.15, 0.22),
        neck_d=u(0.06, 0.14),
        sh_w=bw + u(0.04, 0.12),
        sh_y=-1 + u(0.05, 0.14),
        pit_w=bw,
        hem_w=bw * u(0.9, 1.02),
        hem_y=-1 + 2 * bw * u(1.0, 1.35),
        cuff_w=u(0.2, 0.28),
    )
    g["pit_y"] = g["sh_y"] + u(0.28, 0.4)
    sleeve_pose(rng, g, g["hem_y"] - g["sh_y"], kind if kind < 3 else rng.integers(3))
    if kind == 3:
        g.update(neck="hood", hood=u(0.35, 0.5), neck_w=u(0.2, 0.26))
    outline, k = garment(g)
    sk = Sketch([outline])
    sk.add(rng.random() < 0.75, *both(cuff(k, 0.13)))
    band, hw = g["hem_y"] - 0.13, g["hem_w"]
    ribs = [P(x, band + 0.03, x, g["hem_y"] - 0.02) for x in np.linspace(-0.8, 0.8, 5) * hw]
    sk.add(rng.random() < 0.7, P(-hw, band, hw, band), *(ribs if rng.random() < 0.35 else []))
    if kind == 3:
        h = g["hood"]
        sk.add(True, arc(0, -0.95, (g["neck_w"] + 0.2) * 0.6, h * 0.75, 5, -185, 12))
        sk.add(rng.random() < 0.6, *both(P(0.1, -1 + h * 0.5, 0.12, -0.6 + h * 0.5)))
        sk.add(
            rng.random() < 0.6,
            P(-0.25, band - 0.35, 0.25, band - 0.35, 0.38, band - 0.05, -0.38, band - 0.05, -0.25, band - 0.35),
        )
        return sk
    sk.add(rng.random() < 0.5, arc(0, -1, g["neck_w"] + 0.05, g["neck_d"] + 0.08, 5, 175, 9))
    y = np.linspace(g["pit_y"], band, 4)[1:3]
    pattern = rng.integers(6)
    sk.add(pattern == 0, *[P(-bw, yy, bw, yy) for yy in y])
    sk.add(pattern == 1, zigzag(-bw, bw, y[0], 0.08, 9))
    sk.add(pattern == 2, emblem(rng, 0, (g["pit_y"] + band) / 2, u(0.12, 0.18)))
    return sk


def coat(rng):
    """Coat: long buttoned coat, belted trench, hooded parka with zip, open coat."""
    u = rng.uniform
    kind, bw = rng.integers(4), u(0.42, 0.52)
    length = 2 * bw * u(1.9, 2.5)
    g = dict(
        neck="collar",
        neck_w=u(0.14, 0.2),
        neck_d=u(0.3, 0.5),
        collar=u(0.06, 0.16),
        sh_w=bw + u(0.04, 0.1),
        sh_y=-1 + u(0.04, 0.1),
        pit_w=bw,
        hem_w=bw * u(1.0, 1.2),
        hem_y=-1 + length,
        cuff_w=u(0.2, 0.28),
    )
    g["pit_y"] = g["sh_y"] + u(0.3, 0.4)
    if rng.random() < 0.75:
        g["sl_ang"] = u(66, 80)
        g["sl_len"] = length * u(0.5, 0.62) / np.sin(np.radians(g["sl_ang"]))
    else:
        g.update(sl_ang=u(20, 45), sl_len=length * u(0.55, 0.7))
    if kind == 2:
        g.update(neck="hood", hood=u(0.3, 0.45), neck_w=u(0.2, 0.25), hem_w=bw * u(0.95, 1.05))
    g["notch"] = u(0.12, 0.3) if kind == 3 else 0
    outline, k = garment(g)
    sk = Sketch([outline])
    nw, v_y, hem = g["neck_w"], -1 + g["neck_d"], g["hem_y"]
    waist = -1 + length * u(0.33, 0.42)
    if kind == 2:
        sk.add(True, P(0, -0.9, 0, hem), arc(0, -0.95, (nw + 0.2) * 0.6, g["hood"] * 0.75, 5, -185, 12))
    else:
        sk.add(True, P(0, v_y, 0, hem - g["notch"]))
        sk.add(True, *both(P(nw * 1.15, -1, nw + u(0.12, 0.2), v_y * 0.5 - 0.5, 0.03, v_y + 0.03)))
    if kind == 1:
        w = bw * 0.97
        sk.add(
            True,
            P(-w, waist, w, waist),
            P(-w, waist + 0.12, w, waist + 0.12),
            box(-0.08, waist - 0.03, 0.08, waist + 0.15),
        )
        y = np.linspace(v_y + 0.1, waist - 0.15, 3)
        sk.add(True, *dots(np.repeat([-0.2, 0.2], 3), np.r_[y, y]))
    n = rng.integers(3, 6)
    sk.add(kind == 0, *dots(np.full(n, u(0.12, 0.18)), np.linspace(v_y + 0.1, waist + 0.2, n)))
    py = hem - length * u(0.28, 0.38)
    pocket = P(bw * 0.35, py, bw * 0.8, py) if rng.random() < 0.5 else box(bw * 0.4, py, bw * 0.8, py + 0.2)
    sk.add(kind != 1 or rng.random() < 0.5, *both(pocket))
    sk.add(rng.random() < 0.5, *both(cuff(k, 0.14)))
    return sk


def shirt(rng):
    """Shirt: collar and button placket; long sleeves down or out, short sleeves, plaid."""
    u = rng.uniform
    kind, bw = rng.integers(4), u(0.42, 0.54)
    g = dict(
        neck="collar",
        neck_w=u(0.14, 0.2),
        neck_d=u(0.12, 0.22),
        collar=u(0.04, 0.12),
        sh_w=bw + u(0.03, 0.1),
        sh_y=-1 + u(0.04, 0.12),
        pit_w=bw,
        hem_w=bw * u(0.95, 1.05),
        hem_y=-1 + 2 * bw * u(1.15, 1.5),
        cuff_w=u(0.2, 0.3),
        drop=u(0.08, 0.2) * (rng.random() < 0.5),
    )
    g["pit_y"] = g["sh_y"] + u(0.3, 0.4)
    if kind == 2:
        g.update(sl_len=u(0.3, 0.45), sl_ang=u(20, 45), cuff_w=u(0.25, 0.32))
    else:
        sleeve_pose(rng, g, g["hem_y"] - g["sh_y"], rng.choice([0, 0, 1, 2]) if kind != 1 else rng.integers(1, 3))
    outline, k = garment(g)
    sk = Sketch([outline])
    nw, v_y, hem = g["neck_w"], -1 + g["neck_d"], g["hem_y"] + g["drop"]
    sk.add(True, *both(P(nw * 1.2, -1, nw * u(0.3, 0.6) + 0.05, v_y + u(0.1, 0.22), 0.0, v_y)))
    placket = rng.random() < 0.8
    sk.add(placket, P(0, v_y, 0, hem))
    n = rng.integers(3, 7)
    sk.add(True, *dots(np.full(n, 0.1 * placket), np.linspace(v_y + 0.12, hem - 0.12, n)))
    x, y = -bw * u(0.55, 0.7), g["pit_y"] + 0.02
    sk.add(rng.random() < 0.45, P(x, y, x + 0.22, y, x + 0.22, y + 0.22, x + 0.11, y + 0.27, x, y + 0.22, x, y))
    sk.add(rng.random() < (0.4 if kind == 2 else 0.7), *both(cuff(k, 0.12 if kind == 2 else 0.16)))
    ys, xs = np.linspace(g["pit_y"], g["hem_y"], 4)[1:3], np.array([-0.5, 0.5]) * bw
    sk.add(kind == 3, *[P(-bw, y, bw, y) for y in ys], *[P(x, -0.7, x, g["hem_y"]) for x in xs])
    return sk


def dress(rng):
    """Dress: A-line with straps, fit-and-flare with short sleeves, long gown, strapless, plain trapeze."""
    u = rng.uniform
    kind = rng.integers(5)
    g = dict(
        neck=rng.choice(["round", "v"]),
        neck_w=u(0.12, 0.2),
        neck_d=u(0.1, 0.3),
        sh_y=-1 + u(0, 0.05),
        pit_w=u(0.28, 0.36),
        pit_y=-1 + u(0.3, 0.42),
        waist_w=u(0.2, 0.28),
        waist_y=-1 + u(0.6, 0.8),
        hem_w=u(0.55, 0.9),
        hem_y=-1 + u(1.7, 2.3),
        drop=u(0, 0.12),
    )
    g["sh_w"] = g["neck_w"] + u(0.06, 0.12)
    if kind == 1:
        g.update(
            sl_len=u(0.15, 0.28),
            sl_ang=u(25, 50),
            cuff_w=u(0.16, 0.22),
            sh_w=g["pit_w"] + u(0.03, 0.08),
            wave=u(0.05, 0.1) * (rng.random() < 0.5),
        )
    elif kind == 2:
        g.update(hem_y=-1 + u(2.3, 2.8), hem_w=u(0.45, 0.7))
    elif kind == 3:
        g.update(neck="straight", sh_w=g["pit_w"], sh_y=-1.0, pit_y=-1.0 + 1e-3)
    elif kind == 4:
        del g["waist_w"], g["waist_y"]
        g["hem_w"] = u(0.65, 0.95)
    sk = Sketch([garment(g)[0]])
    if kind == 3 and rng.random() < 0.5:
        sk.lines += both(P(g["pit_w"] * 0.6, -1, g["pit_w"] * 0.65, -1.3))
    top_y, top_w = g.get("waist_y", g["pit_y"]), g.get("waist_w", g["pit_w"])
    bow = [P(0, top_y, s * 0.15, top_y - 0.1, s * 0.15, top_y + 0.1, 0, top_y) for s in (-1, 1)]
    belt = [P(-top_w, top_y, top_w, top_y)] + (bow if rng.random() < 0.35 else [])
    sk.add("waist_y" in g and rng.random() < 0.6, *belt)
    n, t = rng.integers(4, 8), 1 - u(0.12, 0.25) / (g["hem_y"] - top_y)
    w = top_w + t * (g["hem_w"] - top_w)
    y = top_y + t * (g["hem_y"] - top_y)
    stripe = zigzag(-w, w, y - 0.04, 0.08, 11) if rng.random() < 0.5 else P(-w, y, w, y)
    spots = rng.uniform(0.15, 0.8, n)
    pattern = rng.random()
    sk.add(pattern < 0.3, stripe)
    sk.add(
        0.3 <= pattern < 0.45,
        *dots(rng.uniform(-0.7, 0.7, n) * (top_w + spots * (g["hem_w"] - top_w)), top_y + spots * (g["hem_y"] - top_y)),
    )
    return sk


def trousers(rng):
    """Trousers: straight, flared, skinny, wide-leg, joggers with cuffs."""
    u = rng.uniform
    kind = rng.integers(5)
    ww = u(0.48, 0.62)
    hip, crotch = ww * u(1.0, 1.1), -1 + u(0.35, 0.55)
    knee_y = (crotch + 1) / 2 + u(-0.1, 0.1)
    outer, inner = [
        (hip * u(0.95, 1.05), u(0.18, 0.28)),
        (hip * u(1.15, 1.4), u(0.12, 0.22)),
        (hip * u(0.82, 0.92), u(0.17, 0.24)),
        (hip * u(1.3, 1.55), u(0.15, 0.25)),
        (hip * u(0.84, 0.94), u(0.17, 0.24)),
    ][kind]
    knee_out, knee_in = (hip * 0.95, 0.15) if kind == 1 else ((hip + outer) / 2, inner * 0.85)
    half = P(
        0, -1, ww, -1, hip, -0.75, knee_out, knee_y, outer, 1, inner, 1 + u(-0.03, 0.03), knee_in, knee_y, 0.0, crotch
    )
    sk = Sketch([symmetric(half)])
    band = -1 + u(0.1, 0.15)
    fly = min(crotch - 0.1, band + 0.35)
    sk.add(rng.random() < 0.65, P(-ww, band, ww, band))
    sk.add(kind == 4, *both(P(outer + 0.01, 0.87, inner - 0.01, 0.87)))
    sk.add(kind == 4 and rng.random() < 0.5, *both(P(0.04, band, 0.08, band + 0.3)))
    sk.add(kind != 4 and rng.random() < 0.6, P(0, band, 0, fly, -0.08, fly - 0.06), *dots(0, (band - 1) / 2))
    pocket = bezier((ww * 0.55, band), (ww * 0.6, -0.75), (hip * 0.98, -0.68), 6)
    sk.add(kind != 4 and rng.random() < 0.5, *both(pocket))
    sk.add(kind != 4 and rng.random() < 0.15, *both(P((hip + inner) / 2 * 0.85, -0.6, (outer + inner) / 2, 0.92)))
    sk.add(kind != 4 and rng.random() < 0.2, *both(P(outer * 0.95, 0.85, inner + 0.02, 0.85)))
    return sk


# ---------------------------------------------------------------- side-view shoes
def sneaker(rng):
    """Sneaker: trainer with laces and swoosh/stripes, chunky runner, canvas plimsoll, slip-on."""
    u = rng.uniform
    kind = rng.integers(4)
    h = u(1.0, 1.3) if kind < 2 else u(0.8, 1.0)
    sole = u(0.22, 0.32) if kind == 1 else u(0.12, 0.2)
    tongue = [0.4, -0.6, 0.1, -0.78, -0.08, -0.92, -0.2, -0.84] if kind != 3 else [0.4, -0.58, 0.0, -0.68]
    shape = P(
        -0.95,
        0,
        0.85,
        0,
        1.0,
        -0.08,
        1.04,
        -0.22,
        0.97,
        -0.34,
        0.75,
        -0.45,
        tongue,
        -0.5,
        -0.68,
        -0.82,
        -0.8,
        -0.98,
        -0.76,
        -1.04,
        -0.45,
        -1.0,
        -0.1,
    ) * [1, h]
    sk = Sketch([chaikin(shape, closed=True)], flip=True)
    tread = kind == 1 and rng.random() < 0.6
    sole_line = zigzag(-0.98, 0.95, -sole, 0.05, 12) if tread else P(-1.0, -sole, 0.6, -sole, 0.98, -sole - 0.04)
    sk.add(rng.random() < 0.85, sole_line)
    c = np.array([0.5, -0.55 * h]) + np.linspace(0, 1, rng.integers(3, 6))[:, None] * [-0.5, -0.21 * h]
    ticks = rng.random() < 0.6
    sk.add(kind != 3 and ticks, *[P(p - [0.07, 0.09], p + [0.07, 0.09]) for p in c])
    sk.add(kind != 3 and not ticks, np.repeat(c, 2, axis=0) + np.tile([[-0.07, -0.09], [0.07, 0.09]], (len(c), 1)))
    sk.add(kind == 3, P(0.25, -0.6 * h, 0.05, -0.4 * h, -0.15, -0.66 * h))
    logo = rng.random() if kind <= 1 else 1
    sk.add(logo < 0.35, bezier((-0.7, -0.55 * h), (-0.05, -sole - 0.02), (0.5, -0.5 * h), 8))
    sk.add(0.35 <= logo < 0.7, *[P(x, -sole - 0.03, x + 0.2, -0.62 * h) for x in (-0.45, -0.28, -0.11)])
    sk.add(kind == 2 and rng.random() < 0.8, bezier((0.55, -sole), (0.55, -0.4 * h), (0.97, -0.33 * h), 6))
    sk.add(rng.random() < 0.25, P(-0.85, -0.68 * h, -0.88, -sole - 0.05))
    return sk


def ankle_boot(rng):
    """Ankle boot: chelsea with elastic panel, high-heeled with zip, lace-up combat, fur-cuff winter boot."""
    u = rng.uniform
    kind = rng.integers(4)
    H, fx = u(1.2, 1.6), u(-0.15, 0.05)
    hh = [u(0.1, 0.16), u(0.3, 0.5), u(0.14, 0.22), u(0.08, 0.14)][kind]
    toe = [1.08, -0.1, 1.02, -0.28] if kind == 1 else [1.02, -0.12, 1.0, -0.36]
    shape = P(
        -1.0,
        0,
        -0.62,
        0,
        -0.6,
        -hh * 0.9,
        -0.2,
        -hh * 0.5,
        0.3,
        0,
        0.85,
        0,
        toe,
        0.65,
        -0.52,
        0.25,
        -0.72,
        fx + 0.05,
        -0.9,
        fx,
        -H,
        -0.98,
        -H - u(0, 0.08),
        -1.03,
        -H * 0.5,
    )
    sk = Sketch([chaikin(shape, closed=True, iters=3 if kind == 3 else 1)], flip=True)
    sk.add(rng.random() < 0.7, P(-1.0, -hh, -0.6, -hh), P(-0.6, -hh, -0.2, -hh * 0.6, 0.3, -0.1, 0.95, -0.12))
    sk.add(kind == 0, P(-0.62, -H, -0.5, -H * 0.5, -0.38, -H))
    if kind == 0 and rng.random() < 0.5:
        sk.lines.append(arc(-0.9, -H, 0.08, 0.18, 180, 360, 7))
    sk.add(kind == 1 and rng.random() < 0.7, P(-0.55, -H + 0.05, -0.55, -H * 0.45), *dots(-0.5, -H + 0.1))
    y = np.linspace(-0.85, -H + 0.1, rng.integers(4, 7))
    x = fx - 0.02 + (y + 0.85) / (0.85 - H) * -0.06
    sk.add(kind == 2, *[P(xx - 0.22, yy, xx, yy - 0.04) for xx, yy in zip(x, y, strict=True)])
    sk.add(kind == 2 and rng.random() < 0.5, P(-0.98, -H + 0.15, fx, -H + 0.15))
    sk.add(kind == 3, zigzag(-0.98, fx, -H + 0.15, 0.1, 8))
    return sk


def sandal(rng):
    """Sandal: flat strappy sandal, high-heeled sandal, flip-flop from above, wedge sandal."""
    u = rng.uniform
    kind = rng.choice(4, p=[0.4, 0.3, 0.1, 0.2])
    if kind == 2:
        half = P(0, -1, 0.3, -0.95, 0.42, -0.7, 0.4, -0.3, 0.28, 0.1, 0.32, 0.5, 0.28, 0.85, 0, 1)
        foot = chaikin(symmetric(half * [u(0.8, 1.1), 1]), closed=True)
        foot[:, 0] += 0.06 * np.clip(-foot[:, 1], 0, 1)
        return Sketch([foot], [P(0.38, -0.05, 0.08, -0.62, -0.36, -0.05)], flip=True)
    t = u(0.08, 0.15)
    if kind == 1:
        hh = u(0.4, 0.7)
        spine = P(-0.95, -hh, -0.6, -hh * 0.9, -0.15, -hh * 0.4, 0.2, -0.02, 1.0, 0)
        heel = (
            P(-0.95, -hh, -0.8, -hh, -0.82, 0, -0.88, 0)
            if rng.random() < 0.5
            else P(-0.95, -hh, -0.7, -hh, -0.74, 0, -0.93, 0)
        )
        ankle = u(0.45, 0.65)
        straps = [arc(0.6, -0.05, 0.25, u(0.2, 0.3), 180, 360, 9), arc(-0.63, -hh * 0.8, 0.29, ankle, 180, 360, 11)]
        straps += [P(0.3, -0.1, -0.6, -hh * 0.8 - ankle * 0.9)] if rng.random() < 0.5 else []
        return Sketch([np.vstack([spine, spine[::-1] - [0, 0.07]]), heel], straps, flip=True)
    back = u(0.3, 0.5) if kind == 3 else t
    sole = chaikin(P(-1, 0, 1, 0, 1.03, -t, 0.2, -t * 1.1, -1.02, -back), closed=True, iters=1)
    straps = [
        arc(-0.62, -back * 0.9, 0.32, u(0.55, 0.8), 180, 360, 11),
        arc(0.55, -t, 0.24, u(0.25, 0.35), 180, 360, 9),
        arc(0.02, -t - 0.02 - (back - t) * 0.15, 0.26, u(0.4, 0.55), 180, 360, 9),
    ]
    return Sketch([sole], straps, flip=True)


# ---------------------------------------------------------------- bags
def bag(rng):
    """Bag: handbag with arched handle, tote with two handles, school satchel with flap, backpack."""
    u = rng.uniform
    kind = rng.integers(4)
    bw, h = u(0.7, 1.0), u(0.8, 1.2)
    sk = Sketch(flip=True)
    if kind == 0:
        r = u(0.65, 0.85)
        sk.parts.append(chaikin(P(-bw, 0, bw, 0, bw * r, -h, -bw * r, -h), True, 2, 0.1))
        hx, hy = bw * r * u(0.4, 0.7), u(0.3, 0.6)
        sk.lines.append(arc(0, -h, hx, hy, 180, 360, 12))
        sk.add(rng.random() < 0.4, arc(0, -h, hx * 0.75, hy * 0.7, 180, 360, 10))
        flap = rng.random() < 0.45
        sk.add(flap, P(-bw * r * 0.95, -h * 0.95, 0, -h * 0.5, bw * r * 0.95, -h * 0.95), *dots(0, -h * 0.42))
        sk.add(not flap and rng.random() < 0.4, emblem(rng, 0, -h / 2, u(0.15, 0.25)))
    elif kind == 1:
        h, x = u(1.0, 1.5), bw * u(0.2, 0.35)
        sk.parts.append(P(-bw * 0.9, 0, bw * 0.9, 0, bw, -h, -bw, -h))
        sk.lines += [arc(s * x, -h, bw * 0.45, u(0.45, 0.7), 180, 360, 10) for s in (-1, 1)]
        pocket = rng.random() < 0.4
        sk.add(pocket, box(-bw * 0.5, -h * u(0.3, 0.5), bw * 0.5, -0.15))
        sk.add(not pocket and rng.random() < 0.4, emblem(rng, 0, -h / 2, u(0.15, 0.3)))
    elif kind == 2:
        h, fy, hx = u(1.0, 1.3), -u(0.4, 0.55), u(0.2, 0.35)
        sk.parts.append(chaikin(P(-bw, 0, bw, 0, bw, -h, -bw, -h), True, 2, 0.1))
        sk.lines.append(P(-hx, -h, -hx, -h - u(0.2, 0.35), hx, -h - u(0.2, 0.35), hx, -h))
        sk.add(True, P(-bw, fy * h, bw, fy * h), box(-0.1, fy * h - 0.05, 0.1, fy * h + 0.15))
    else:
        bw, h = u(0.55, 0.75), u(1.3, 1.7)
        sk.parts.append(chaikin(P(-bw, 0, bw, 0, bw, -h * 0.7, bw * 0.7, -h, -bw * 0.7, -h, -bw, -h * 0.7), True))
        sk.lines.append(arc(0, -h, 0.2, 0.2, 180, 360, 7))
        py = -h * u(0.45, 0.55)
        sk.add(True, loop(chaikin(P(-bw * 0.65, -0.12, bw * 0.65, -0.12, bw * 0.65, py, -bw * 0.65, py), True, 1)))
        sk.add(rng.random() < 0.5, arc(0, -h * 0.62, bw * 0.75, h * 0.3, -15, -165, 9))
    return sk


BUILDERS = (tshirt, trousers, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


# ---------------------------------------------------------------- mouse hand
def resample(p, step=3.0):
    """Evenly spaced points every `step` pixels along a polyline."""
    seg = np.hypot(*np.diff(p, axis=0).T)
    s = np.r_[0.0, np.cumsum(seg)]
    t = np.linspace(0, s[-1], max(int(s[-1] / step), 1) + 1)
    return np.column_stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])])


@dataclass
class Hand:
    """One student's mouse hand: slow wobble, sparse pointer samples, sloppy loop ends."""

    rng: np.random.Generator
    shake: float  # wobble amplitude in pixels
    wave: float  # pixels between wobble knots
    step: tuple  # range of 3-pixel steps between pointer samples

    def wobble(self, q):
        """Add a slow random drift along a densely sampled path."""
        s = np.arange(len(q)) * 3.0
        knots = np.arange(0, s[-1] + self.wave, self.wave)
        off = self.rng.normal(0, self.shake, (len(knots), 2))
        return q + np.column_stack([np.interp(s, knots, off[:, 0]), np.interp(s, knots, off[:, 1])])

    def sample(self, q):
        """Keep only the sparse points the mouse reported."""
        idx = [0]
        while idx[-1] < len(q) - 1:
            idx.append(min(len(q) - 1, idx[-1] + int(self.rng.integers(*self.step))))
        return q[idx]

    def stroke(self, p, closed):
        """Draw a path: returns the wobbled dense path and the pointer polylines actually drawn."""
        rng = self.rng
        if closed:
            q = resample(p if np.allclose(p[0], p[-1]) else loop(p))
            k = rng.integers(len(q))
            q = self.wobble(np.vstack([q[k:-1], q[: k + 1]]))
            dense, extra = q, int(rng.integers(-5, 9))
            q = np.vstack([q, q[1 : extra + 1]]) if extra > 0 else q[: max(len(q) + extra, 2)]
        else:
            q = dense = self.wobble(resample(p))
        pieces = [q]
        if len(q) > 80 and rng.random() < 0.3:
            cut = int(rng.integers(20, len(q) - 20))
            overlap = int(rng.integers(-2, 4))
            pieces = [q[: cut + max(overlap, 0)], q[cut - min(overlap, 0) :] + rng.normal(0, 2.0, 2)]
        return dense, [self.sample(piece) for piece in pieces]


def scribble(poly, rng, spacing, angle):
    """Back-and-forth zigzag strokes that hatch the inside of a polygon."""
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    rot = np.array([[c, -s], [s, c]])
    r = poly @ rot
    a, b = r, np.roll(r, -1, axis=0)
    active, done = [], []
    for y in np.arange(r[:, 1].min() + spacing * 0.4, r[:, 1].max(), spacing):
        hit = (a[:, 1] <= y) != (b[:, 1] <= y)
        t = (y - a[hit, 1]) / (b[hit, 1] - a[hit, 1])
        xs = np.sort(a[hit, 0] + t * (b[hit, 0] - a[hit, 0]))
        nxt = []
        for x0, x1 in xs[: len(xs) // 2 * 2].reshape(-1, 2):
            x0, x1 = x0 + rng.uniform(-2, 5), x1 - rng.uniform(-2, 5)
            if x1 - x0 < 3:
                continue
            chain = next((ch for ch in active if ch["x0"] < x1 and x0 < ch["x1"]), None)
            if chain is None:
                chain = {"pts": [], "right": True}
            else:
                active.remove(chain)
            ends = [(x0, y), (x1, y)] if chain["right"] else [(x1, y), (x0, y)]
            chain.update(x0=x0, x1=x1, right=not chain["right"])
            chain["pts"] += ends
            nxt.append(chain)
        done += active
        active = nxt
    return [np.array(ch["pts"]) @ rot.T + rng.normal(0, 1.2, (len(ch["pts"]), 2)) for ch in done + active]


# ---------------------------------------------------------------- placement and rendering
def layout(sk, rng):
    """Random mirror, lopsided warp, aspect, tilt, size and position; returns (to_pixels, span)."""
    pts = np.vstack([*sk.parts, *sk.lines, *(d for group in sk.details for d in group)])
    centre, half = (pts.max(0) + pts.min(0)) / 2, (pts.max(0) - pts.min(0)).max() / 2
    k = rng.normal(0, 0.035, 4)
    aspect, shear = np.exp(rng.normal(0, 0.08)), rng.normal(0, 0.05)
    a = np.radians(np.clip(rng.normal(0, 7), -15, 15))
    sx = -1.0 if sk.flip and rng.random() < 0.5 else 1.0

    def warp(p):
        x, y = (p[:, 0] - centre[0]) / half * sx, (p[:, 1] - centre[1]) / half
        x, y = (x + k[0] * y * y + k[1] * x * y + shear * y) * aspect, y + k[2] * x * x + k[3] * x * y
        return np.column_stack([np.cos(a) * x - np.sin(a) * y, np.sin(a) * x + np.cos(a) * y])

    w = warp(pts)
    lo, hi = w.min(0), w.max(0)
    span = rng.triangular(0.32, 0.8, 0.9) * CANVAS
    scale = span / (hi - lo).max()
    margin = 13
    room = np.maximum(CANVAS - 2 * margin - (hi - lo) * scale, 0)
    offset = margin + rng.uniform(0, 1, 2) * room - lo * scale
    return (lambda p: warp(p) * scale + offset), span


def ink(sk, style, rng):
    """Turn a sketch into filled polygons and mouse strokes in pixel coordinates."""
    to_px, span = layout(sk, rng)
    lo = int(rng.integers(2, 4))
    hand = Hand(rng, rng.uniform(0.6, 2.4), rng.uniform(25, 60), (lo, lo + int(rng.integers(2, 4))))
    mode = "outline" if style == "outline" else ("solid" if rng.random() < 0.5 else "scribble")
    spacing, angle = rng.uniform(11, 19), rng.uniform(-70, 70)
    fills, strokes = [], []
    for part in sk.parts:
        dense, pieces = hand.stroke(to_px(part), closed=True)
        if mode == "solid":
            fills.append(dense)
        elif mode == "scribble":
            strokes += scribble(dense, rng, spacing, angle)
        strokes += pieces
    for line in sk.lines:
        strokes += hand.stroke(to_px(line), closed=False)[1]
    if style == "outline":
        keep = np.clip((span - 70) / 130, 0.35, 1.0)  # small drawings get fewer details
        for group in sk.details:
            if rng.random() < keep:
                for d in group:
                    closed = len(d) > 2 and np.allclose(d[0], d[-1])
                    strokes += hand.stroke(to_px(d), closed)[1]
    return fills, strokes


def render(fills, strokes, pen):
    """Rasterise polygons and round-pen strokes onto a white RGB canvas."""
    img = Image.new("L", (CANVAS, CANVAS), 255)
    draw = ImageDraw.Draw(img)
    r = pen / 2
    for poly in fills:
        draw.polygon([tuple(p) for p in poly.tolist()], fill=0)
    for line in strokes:
        pts = [tuple(p) for p in line.tolist()]
        if len(pts) > 1:
            draw.line(pts, fill=0, width=pen, joint="curve")
        for x, y in pts:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style`, rendered once per pen width."""
    if label not in range(len(BUILDERS)):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    fills, strokes = ink(BUILDERS[label](rng), style, rng)
    return [render(fills, strokes, int(pen)) for pen in pens]
