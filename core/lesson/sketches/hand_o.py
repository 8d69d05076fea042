"""Hand O: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 8).

A drawing is first built as ideal strokes in model units: "body" silhouettes that
filled-style students colour in, "line" strokes drawn in every style (straps,
handles) and "detail" strokes that only outline-style students bother with
(collars, buttons, laces, pockets).  It is then placed on a 280x280 canvas with a
random size, position, tilt and lopsidedness, turned into sparse, wobbly pointer
traces, and rendered with a round black pen once per pen width.
"""

import itertools
from math import comb

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280
MARGIN = 18
CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
STYLES = ("filled", "outline")
GARMENTS = {0, 1, 2, 3, 4, 6}  # drawn from the front, roughly symmetric
SIDEWAYS = {5, 7, 8, 9}  # may face either way


def curve(*ctrl, n=10):
    """Points on the Bezier curve with the given control points."""
    c, t = np.asarray(ctrl, float), np.linspace(0, 1, n)[:, None]
    m = len(c) - 1
    return sum(comb(m, i) * t**i * (1 - t) ** (m - i) * c[i] for i in range(m + 1))


def ellipse(cx, cy, rx, ry, a0=0.0, a1=360.0, n=20):
    """Points on an elliptic arc (degrees, y pointing down)."""
    a = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([cx + rx * np.cos(a), cy + ry * np.sin(a)])


def path(*pieces):
    """Join points and point arrays into one polyline, dropping repeated joints."""
    arrs = [np.atleast_2d(np.asarray(p, float)) for p in pieces]
    return np.vstack(arrs[:1] + [b[1:] if np.allclose(a[-1], b[0]) else b for a, b in itertools.pairwise(arrs)])


def mirror(right):
    """Close a right half-outline that runs from the centre line back to it."""
    return np.vstack([right, np.asarray(right, float)[-2:0:-1] * [-1, 1]])


def smooth(pts, closed, iters=2):
    """Chaikin corner cutting, for rounded shapes such as shoes."""
    pts = np.asarray(pts, float)
    for _ in range(iters):
        p = np.vstack([pts, pts[:1]]) if closed else pts
        cut = np.empty((2 * (len(p) - 1), 2))
        cut[0::2] = 0.75 * p[:-1] + 0.25 * p[1:]
        cut[1::2] = 0.25 * p[:-1] + 0.75 * p[1:]
        pts = cut if closed else np.vstack([pts[:1], cut, pts[-1:]])
    return pts


def star(cx, cy, r):
    """Closed five-pointed star."""
    a, rad = np.radians(-90 + 36 * np.arange(10)), np.where(np.arange(10) % 2, 0.45 * r, r)
    return np.column_stack([cx + rad * np.cos(a), cy + rad * np.sin(a)])


def box(x0, y0, x1, y1):
    """Closed axis-aligned rectangle."""
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], float)


class Sketch(list):
    """Ideal strokes of one drawing: a list of (kind, points, closed) parts."""

    def add(self, kind, pts, closed=False):
        """Add a 'body', 'line' or 'detail' stroke."""
        self.append((kind, np.atleast_2d(np.asarray(pts, float)), closed))

    def body(self, pts):
        """Closed silhouette that filled-style students colour in."""
        self.add("body", pts, True)

    def line(self, pts, closed=False):
        """Stroke drawn in every style (straps, handles)."""
        self.add("line", pts, closed)

    def detail(self, pts, closed=False):
        """Inner stroke drawn only in outline style; one point is a dot."""
        self.add("detail", pts, closed)

    def sym(self, pts, closed=False):
        """Detail and its mirror image across the centre line."""
        for sign in (1, -1):
            self.detail(np.asarray(pts, float) * [sign, 1], closed)


def neckline(kind, half, depth, hood=0.0):
    """Right half of a neckline from the centre front to the neck corner."""
    if kind == "v":
        return np.array([(0.0, -1 + depth), (half, -1.0)])
    if kind == "hood":
        return ellipse(0, -1, half + 0.06, hood, -90, 0, n=9)
    return curve((0, -1 + depth), (half * 0.8, -1 + depth), (half, -1), n=7)


def garment(sk, neck, side, hem=None, arm=()):
    """Add a front-view garment mirrored from its right half; return the side.

    neck: neckline from the centre out; arm: sleeve corners; side: points down
    to the hem corner; hem: points from the hem corner back to the centre.
    """
    side = np.asarray(side, float)
    sk.body(mirror(path(neck, *arm, side, [(0.0, side[-1, 1])] if hem is None else hem)))
    return side


def sleeved(sk, rng, neck, bw, lower, angle, length, width, hem=None):
    """Add a garment with sleeves at `angle` degrees below horizontal.

    lower: side points below the armpit.  Returns the right side and the cuff
    (top end, bottom end, sleeve direction).
    """
    a = np.radians(angle)
    d, n = np.array([np.cos(a), np.sin(a)]), np.array([-np.sin(a), np.cos(a)])
    s = np.array([bw + rng.uniform(0, 0.06), -1 + rng.uniform(0.04, 0.14)])
    armpit = s[1] + width * rng.uniform(1.0, 1.25) / max(np.cos(a), 0.55)
    t = s + length * d
    t[0] += max(0.0, bw + 0.05 - (t + width * n)[0])  # keep the cuff clear of the body
    side = garment(sk, neck, path((bw, armpit), lower), hem, [s, t, t + width * n])
    return side, (t, t + width * n, d)


def across(side, y):
    """Horizontal line across a garment at height y."""
    x = np.interp(y, side[:, 1], side[:, 0])
    return [(-x, y), (x, y)]


def cuff_line(sk, cuff, depth):
    """Lines across both sleeves a little above the sleeve ends."""
    t, b, d = cuff
    sk.sym([t - depth * d, b - depth * d])


def tshirt(sk, rng, style):
    """T-shirt/top: short sleeves angled or straight out, V-neck, or a tank top."""
    u = rng.uniform
    v = rng.integers(4)  # 0 classic, 1 sleeves straight out, 2 tank top, 3 V-neck, longer sleeves
    bw, hy, nx = u(0.5, 0.68), u(0.55, 0.9), u(0.15, 0.26)
    hx = bw * u(0.95, 1.1)
    if v == 2:
        strap, ay = nx + u(0.07, 0.14), u(-0.5, -0.3)
        neck = neckline("round", nx, u(0.25, 0.45))
        side = garment(sk, neck, path(curve((strap, -1), (strap + 0.02, ay), (bw, ay), n=7), (hx, hy)))
    else:
        ang = {0: u(20, 45), 1: u(0, 12), 3: u(30, 50)}[v]
        neck = neckline("v" if v == 3 else "round", nx, u(0.3, 0.45) if v == 3 else u(0.1, 0.2))
        side, cuff = sleeved(sk, rng, neck, bw, [(hx, hy)], ang, u(0.35, 0.6) + 0.12 * (v == 3), u(0.3, 0.42))
        if rng.random() < 0.5:
            cuff_line(sk, cuff, u(0.06, 0.1))
    if rng.random() < 0.6:
        sk.sym(neck + [0, 0.07])
    if rng.random() < 0.35:
        motif = rng.integers(3)
        if motif == 0:
            sk.detail(ellipse(0, -0.3, 0.15, 0.15), True)
        elif motif == 1:
            sk.detail(star(0, -0.3, 0.2), True)
        else:
            y = (side[0, 1] + 2 * hy) / 3
            sk.detail(across(side, y - 0.1))
            sk.detail(across(side, y + 0.1))
    if rng.random() < 0.2:
        sk.detail(across(side, hy - 0.1))


def pullover(sk, rng, style):
    """Pullover: long sleeves hanging/spread/straight, ribbed cuffs and hem, or a hoodie."""
    u = rng.uniform
    v = rng.integers(4)  # 0 arms hanging, 1 arms spread, 2 arms straight out, 3 hoodie
    bw, hy, nx, hood = u(0.45, 0.62), u(0.75, 1.0), u(0.15, 0.24), u(0.35, 0.55)
    ang = (u(55, 72), u(25, 45), u(0, 12), u(15, 65))[v]
    neck = neckline("hood" if v == 3 else "round", nx, u(0.1, 0.2), hood)
    length = u(1.1, 1.45) if ang > 50 else u(0.95, 1.35)
    side, cuff = sleeved(sk, rng, neck, bw, [(bw * u(0.86, 1.0), hy)], ang, length, u(0.24, 0.34))
    if rng.random() < 0.75:
        cuff_line(sk, cuff, u(0.1, 0.18))
    if rng.random() < 0.7:  # ribbed waistband
        sk.detail(across(side, hy - u(0.1, 0.16)))
    if v == 3:
        sk.detail(curve((-nx, -1 - hood * 0.6), (0, -0.6), (nx, -1 - hood * 0.6)))
        sk.sym([(nx * 0.5, -0.85), (nx * 0.5 + u(-0.05, 0.05), -0.55)])
        sk.detail([(-0.32, hy - 0.5), (0.32, hy - 0.5), (0.4, hy - 0.2), (-0.4, hy - 0.2)], True)
    elif rng.random() < 0.7:
        sk.sym(neck + [0, 0.07])
    if rng.random() < 0.3:  # zigzag knit pattern across the chest
        x = across(side, -0.3)[1][0] * 0.9
        xs = np.linspace(-x, x, 2 * rng.integers(3, 6) + 1)
        sk.detail(np.column_stack([xs, -0.3 + 0.08 * (-1) ** np.arange(len(xs))]))


def coat(sk, rng, style):
    """Coat: long body, front opening, buttons or zip, lapels/collar/hood, pockets, belt."""
    u = rng.uniform
    v = rng.integers(4)  # 0 long buttoned coat, 1 zip jacket, 2 belted trench, 3 hooded parka
    bw, nx, ang = u(0.45, 0.6), u(0.15, 0.24), u(10, 70)
    hy = u(0.85, 1.05) if v == 1 else u(1.3, 1.8)
    hx = bw * (u(0.95, 1.05) if v == 1 else u(1.0, 1.25))
    kind = ("v", "round", "v", "hood")[v]
    depth = u(0.35, 0.6) if kind == "v" else u(0.08, 0.15)
    neck = neckline(kind, nx, depth, u(0.35, 0.55))
    hem = [(0.0, hy - u(0.03, 0.12))] if rng.random() < 0.5 else None  # front panels part at the hem
    length = u(1.2, 1.55) if ang > 50 else u(1.05, 1.45)
    side, cuff = sleeved(sk, rng, neck, bw, [(hx, hy)], ang, length, u(0.26, 0.36), hem)
    top = -1 + depth if kind != "hood" else -0.9
    sk.detail([(0, top), (0, hy)])
    if v in (0, 2):
        sk.sym(path((nx, -1), (nx + u(0.08, 0.16), -1 + depth * u(0.4, 0.6)), (0.02, top)))
        count = rng.integers(3, 6)
        for x in (-0.15, 0.15) if rng.random() < 0.3 else (u(0.05, 0.1),):  # double- or single-breasted
            for y in np.linspace(top + 0.1, min(top + 0.1 + 0.25 * count, hy - 0.2), count):
                sk.detail([(x, y)])
    else:
        sk.detail(box(0.02, top + 0.05, 0.1, top + 0.2), True)
        if v == 1 and rng.random() < 0.6:
            sk.sym([(nx, -1), (nx + u(0.05, 0.12), -1 + u(0.18, 0.28)), (0.03, top + 0.03)])
        if v == 3:
            sk.detail(curve((-nx, -1.3), (0, -0.75), (nx, -1.3)))
    if rng.random() < 0.65:
        yp = u(0.2, 0.45) * hy + 0.1
        pocket = box(0.14, yp, bw * 0.8, yp + 0.22) if rng.random() < 0.5 else [(0.14, yp), (bw * 0.8, yp)]
        sk.sym(pocket, len(pocket) == 4)
    if v == 2:
        wy = u(-0.15, 0.15)
        sk.detail(across(side, wy))
        sk.detail(across(side, wy + 0.12))
        sk.detail(box(-0.1, wy - 0.03, 0.1, wy + 0.15), True)
    if rng.random() < 0.4:
        cuff_line(sk, cuff, u(0.1, 0.2))


def shirt(sk, rng, style):
    """Shirt: pointed collar, button placket, chest pocket, long or short sleeves."""
    u = rng.uniform
    v = rng.integers(3)  # 0 long sleeves spread, 1 short sleeves, 2 long sleeves hanging
    bw, hy, nx, depth = u(0.42, 0.58), u(0.75, 1.0), u(0.13, 0.2), u(0.12, 0.2)
    ang, length = ((u(15, 45), u(0.95, 1.3)), (u(20, 40), u(0.3, 0.5)), (u(55, 72), u(1.1, 1.4)))[v]
    hx, tail = bw * u(0.95, 1.05), u(0.06, 0.14) * (rng.random() < 0.5)  # curved shirt tails
    hem = curve((hx, hy - tail), (hx * 0.6, hy), (0, hy), n=6)
    neck = np.array([(0, -1 + depth), (nx, -1.07)])  # the collar corners stand up
    side, cuff = sleeved(sk, rng, neck, bw, [(hx, hy - tail)], ang, length, u(0.24, 0.32), hem)
    sk.sym([(nx, -1.07), (nx * u(0.5, 0.8) + 0.05, -1 + depth + u(0.1, 0.2)), (0, -1 + depth)])
    if rng.random() < 0.85:
        sk.detail([(0, -1 + depth), (0, hy)])
    if rng.random() < 0.85:
        x = rng.choice([0.0, 0.07])
        for y in np.linspace(-1 + depth + 0.12, hy - 0.15, rng.integers(4, 7)):
            sk.detail([(x, y)])
    if rng.random() < 0.5:
        sk.detail(box(-bw * 0.75, -0.65, -bw * 0.3, -0.38), True)
    if v != 1 and rng.random() < 0.6:
        cuff_line(sk, cuff, u(0.12, 0.2))


def dress(sk, rng, style):
    """Dress: fitted top and wide skirt; sleeveless, spaghetti straps, short or long sleeves."""
    u = rng.uniform
    v = rng.choice(4, p=[0.3, 0.3, 0.28, 0.12])  # 0 sleeveless, 1 spaghetti straps, 2 short, 3 long sleeves
    nx, bw, wy, hy = u(0.12, 0.2), u(0.28, 0.38), u(-0.35, -0.1), u(0.9, 1.4)
    ww = bw * (u(0.85, 0.98) if v == 3 else u(0.68, 0.88))
    hx = u(0.45, 0.65) if v == 3 else u(0.55, 0.95)
    skirt = curve((ww, wy), (ww + u(0, 0.12), wy + 0.35), (hx, hy), n=8)
    hem = None
    if rng.random() < 0.3:  # frilly hem
        xs = np.linspace(hx, 0, 6 * rng.integers(3, 6) + 1)
        hem = np.column_stack([xs, hy + 0.08 * np.abs(np.sin(np.pi * np.arange(len(xs)) / 6))])
    if v == 0:
        strap, ay = nx + u(0.06, 0.12), u(-0.65, -0.45)
        side = path(curve((strap, -1), (strap + 0.02, ay), (bw, ay), n=7), skirt)
        side = garment(sk, neckline("round", nx, u(0.2, 0.4)), side, hem)
    elif v == 1:
        top = u(-0.65, -0.5)
        neck = curve((0, top + u(0, 0.1)), (bw * 0.45, top - 0.08), (bw * 0.95, top), n=7)
        side = garment(sk, neck, path((bw, top + 0.05), skirt), hem)
        for x in (-1, 1):
            sk.line([(x * bw * 0.55, top), (x * bw * 0.5, top - u(0.35, 0.5))])
    else:
        ang, length = (u(15, 40), u(0.2, 0.35)) if v == 2 else (u(30, 65), u(1.0, 1.3))
        neck = neckline("round", nx, u(0.12, 0.3))
        side, _ = sleeved(sk, rng, neck, bw, skirt, ang, length, u(0.22, 0.3), hem)
    for y in [wy, wy + 0.1][: rng.integers(3)]:  # waistline or belt
        sk.detail(across(side, y))
    if rng.random() < 0.15:
        sk.sym([(0, wy), (0.15, wy - 0.08), (0.15, wy + 0.08)], True)
    if rng.random() < 0.25:
        (x0, y), (x1, _) = across(side, hy - 0.15)
        frill = y + 0.05 * np.abs(np.sin(np.pi * np.arange(13) / 2))
        sk.detail(np.column_stack([np.linspace(x0, x1, 13), frill]))
    if rng.random() < 0.2:  # polka dots
        for y in u(wy + 0.2, hy - 0.1, rng.integers(5, 9)):
            sk.detail([(u(-0.75, 0.75) * across(side, y)[1][0], y)])


def trouser(sk, rng, style):
    """Trousers: waistband, two long legs (straight, flared, skinny or joggers)."""
    u = rng.uniform
    v = rng.integers(4)  # 0 straight, 1 flared, 2 skinny, 3 joggers
    w, cy, hy, band = u(0.36, 0.5), u(-0.5, -0.25), u(0.85, 1.1), u(0.1, 0.16)
    hip = w * u(1.0, 1.12)
    ho, hi = (
        (u(0.55, 0.68), u(0.2, 0.3)),
        (u(0.75, 0.95), u(0.2, 0.28)),
        (u(0.42, 0.52), u(0.2, 0.3)),
        (u(0.5, 0.6), u(0.2, 0.3)),
    )[v]
    spread = u(0.05, 0.2) * (rng.random() < 0.35)  # legs apart
    ho, hi = ho + spread, hi + spread
    sk.body(mirror([(0, -1), (w, -1), (hip, -0.6), (ho, hy), (hi, hy), (0, cy)]))

    def leg(y):
        """Outer and inner x of the right leg at height y."""
        return hip + (ho - hip) * (y + 0.6) / (hy + 0.6), hi * (y - cy) / (hy - cy)

    if rng.random() < 0.75:
        x = w + (hip - w) * band / 0.4
        sk.detail([(-x, -1 + band), (x, -1 + band)])
    if rng.random() < 0.6:
        sk.detail(curve((0.07, -1 + band), (0.08, cy + 0.05), (0, cy + 0.08), n=6))
    if rng.random() < 0.5:
        sk.sym(curve((w * 0.55, -1 + band), (w * 0.7, -0.7), (hip * 0.97, -0.6), n=6))
    if rng.random() < 0.3:
        sk.sym([(sum(leg(y)) / 2, y) for y in (cy + 0.15, hy - 0.08)])
    if v == 3:
        sk.sym([(x, hy - 0.12) for x in leg(hy - 0.12)])
        sk.sym([(0.04, -1 + band), (0.08 + u(0, 0.08), -1 + band + 0.28)])
    elif rng.random() < 0.4:
        sk.detail([(0, -1 + band / 2)])


def arch(x0, x1, height, y=0.0):
    """Handle- or strap-shaped arch from (x0, y) to (x1, y), `height` high."""
    k, top = (x1 - x0) * 0.08, y - height * 4 / 3
    return curve((x0, y), (x0 + k, top), (x1 - k, top), (x1, y), n=12)


def shoe(sk, rng, style, upper, under):
    """Add a shoe: upper runs toe to heel over the top, sole runs heel to toe underneath.

    Outline drawers draw one silhouette and a sole line; filled drawers colour
    the upper and either colour the sole or leave it as a white band.
    """
    if style == "outline":
        sk.body(path(upper, under))
        sk.detail([upper[0], upper[-1]])
    else:
        sk.body(upper)
        sk.add("line" if rng.random() < 0.35 else "body", under, True)


def heel(sk, thin, x, top):
    """A stiletto line or a tapered block heel under x, from height top to the ground."""
    if thin:
        sk.line([(x, top), (x - 0.03, 0)])
    else:
        sk.body([(x - 0.18, top), (x + 0.08, top), (x + 0.03, 0), (x - 0.12, 0)])


def sandal(sk, rng, style):
    """Sandal: thin sole with a few straps, high-heeled, slide, or a flip-flop from above."""
    u = rng.uniform
    v = rng.choice([0, 0, 1, 2, 3] if style == "outline" else [0, 0, 1])
    # 0 flat strappy, 1 high heel, 2 flip-flop from above, 3 slide
    if v == 2:
        right = [(0, -1), (0.33, -0.92), (0.45, -0.55), (0.38, -0.05), (0.3, 0.35), (0.35, 0.75), (0.22, 1), (0, 1.04)]
        sk.body(smooth(mirror(right), True))
        sk.sym(curve((0, -0.62), (0.2, -0.5), (0.4, -0.12), n=6))
        sk.detail([(0, -0.62)])
        return
    t = u(0.08, 0.16)
    if v == 1:
        hh = u(0.45, 0.75)
        top = path((-1, -0.08), curve((-0.45, -0.08), (0.15, -0.1), (0.6, -hh), n=8), (0.95, -hh))
        sk.body(np.vstack([top, (top + [0, t])[::-1]]))
        heel(sk, rng.random() < 0.5, 0.88, -hh + t)
        sk.line(arch(-0.85, -0.4, u(0.35, 0.45), -0.08))
        ay = -hh - u(0.45, 0.65)
        sk.line(ellipse(0.75, ay, 0.2, 0.07), True)
        sk.line([(0.92, -hh), (0.93, ay)])
        return
    sk.body(smooth([(-1, 0), (1, -0.02), (1.03, t * 1.3), (-0.95, t), (-1.06, t * 0.4)], True, 1))
    if v == 3:
        sk.body(path(curve((-0.8, 0), (-0.75, -0.5), (-0.35, -0.5)), curve((-0.35, -0.5), (0.1, -0.5), (0.3, 0))))
        for x in (-0.45, -0.3, -0.15)[: rng.integers(4)]:
            sk.detail([(x, -0.35), (x + 0.08, -0.08)])
        return
    sk.line(arch(-0.95, -0.4, u(0.3, 0.45)))
    if rng.random() < 0.5:
        sk.line(arch(-0.35, 0.3, u(0.45, 0.6)))
    else:
        sk.line([(-0.35, 0), (0.2, -0.75)])
        sk.line([(0.25, 0), (-0.3, -0.7)])
    if rng.random() < 0.75:
        ah = u(0.8, 1.1)
        sk.line(path([(0.88, 0), (0.85, -ah)], curve((0.85, -ah), (0.55, -ah - 0.08), (0.3, -ah + 0.1), n=6)))
        if rng.random() < 0.4:
            sk.detail([(0.3, -ah + 0.1)])


def sneaker(sk, rng, style):
    """Sneaker: low rounded upper on a thick sole, laces, stripes or a swoosh."""
    u = rng.uniform
    v = rng.choice(4, p=[0.35, 0.3, 0.2, 0.15])  # 0 runner, 1 canvas low-top, 2 chunky skate, 3 high-top
    h = (u(0.8, 1.0), u(0.65, 0.8), u(0.8, 1.0), u(1.2, 1.45))[v]
    toe, st = u(0.28, 0.4), (u(0.15, 0.25), u(0.12, 0.18), u(0.25, 0.35), u(0.14, 0.2))[v]
    if v == 3:
        ctrl = [
            (-1, 0),
            (-1, -toe),
            (-0.6, -toe - 0.05),
            (-0.2, -h * 0.45),
            (0.05, -h),
            (0.85, -h),
            (1, -h * 0.4),
            (1, 0),
        ]
    else:
        tongue = 0.15 if v != 1 else -0.05
        ctrl = [
            (-1, 0),
            (-1.02, -toe),
            (-0.75, -toe - 0.08),
            (-0.2, -h * 0.7),
            (0.1, -h - tongue),
            (0.3, -h * 0.85),
            (0.65, -h * 0.8),
            (0.92, -h),
            (1.03, -h * 0.5),
            (1, 0),
        ]
    under = smooth([(1.03, 0), (1.03, st * 1.15), (-0.92, st), (-1.1, st * 0.3), (-1.06, 0)], False, 1)
    shoe(sk, rng, style, smooth(ctrl, False), under)
    lace_end = (0.02, -h * 0.9) if v == 3 else (0.05, -h * 0.85)
    slant = rng.choice([-1, 1]) * 0.1
    for x, y in np.linspace((-0.45, -h * (0.3 if v == 3 else 0.5)), lace_end, rng.integers(2, 5)):
        sk.detail([(x - 0.12, y + slant), (x + 0.12, y - slant)])
    mark = rng.integers(4)  # swoosh, three stripes, toe cap or nothing
    if mark == 0:
        sk.detail(curve((0.85, -h * 0.55), (0.05, 0.08), (-0.3, -h * 0.45)))
    elif mark == 1:
        for x in (-0.1, 0.08, 0.26):
            sk.detail([(x, -0.05), (x + 0.15, -h * 0.65)])
    elif mark == 2:
        sk.detail(curve((-0.62, 0), (-0.64, -toe - 0.08), (-0.98, -toe * 0.8), n=6))
    if v == 3:
        sk.detail(ellipse(0.6, -h * 0.55, 0.12, 0.12), True)
    if rng.random() < 0.3:
        sk.detail([(-1, st * 0.5), (1.02, st * 0.55)])


def ankle_boot(sk, rng, style):
    """Ankle boot: tall shaft to the ankle on a heel; Chelsea, lace-up, heeled or zipped."""
    u = rng.uniform
    v = rng.integers(4)  # 0 chelsea, 1 lace-up, 2 heeled bootie, 3 zip boot with block heel
    top, fx, bx, toe = -u(0.95, 1.3), u(-0.05, 0.2), u(0.8, 0.95), u(0.25, 0.4)
    if v < 2:
        st, hh, lift = u(0.12, 0.18) if v == 0 else u(0.2, 0.3), u(0.04, 0.12), 0.0
        upper = smooth(
            [
                (-1, 0),
                (-1, -toe),
                (-0.65, -toe - 0.08),
                (-0.25, -0.4),
                (fx, -0.6),
                (fx, top),
                (bx, top),
                (bx, -0.4),
                (1, -0.1),
                (1, 0),
            ],
            False,
        )
        under = smooth(
            [(1.02, 0), (1.02, st + hh), (0.55, st + hh), (0.5, st), (-0.95, st), (-1.08, st * 0.4), (-1.05, 0)],
            False,
            1,
        )
        shoe(sk, rng, style, upper, under)
    else:
        hh = u(0.35, 0.6)
        lift = hh * 0.5
        sk.body(
            smooth(
                [
                    (-1.1, 0),
                    (-0.8, -0.22),
                    (-0.35, -0.4 - lift * 0.6),
                    (fx, -0.6 - lift),
                    (fx, top - lift),
                    (bx, top - lift),
                    (bx, -hh - 0.35),
                    (1, -hh),
                    (0.6, -hh),
                    (0.1, -hh * 0.6),
                    (-0.4, -0.05),
                    (-0.8, 0.02),
                ],
                False,
                1,
            )
        )
        heel(sk, v == 2 and rng.random() < 0.5, 0.9, -hh)
    shaft_top = top - lift
    if v == 0:  # elastic side panel and pull tab
        mid = (fx + bx) / 2
        sk.detail(curve((mid - 0.25, shaft_top), (mid, -0.1 - lift), (mid + 0.25, shaft_top)))
        if rng.random() < 0.5:
            sk.detail(ellipse(bx - 0.1, shaft_top - 0.08, 0.07, 0.1), True)
    elif v == 1:  # laces and tongue
        for y in np.linspace(-0.5, shaft_top + 0.12, rng.integers(3, 6)):
            sk.detail([(fx - 0.02, y), (fx + 0.2, y - 0.08)])
        sk.detail(curve((fx, shaft_top), (fx + 0.1, shaft_top - 0.2), (fx + 0.22, shaft_top), n=6))
    elif rng.random() < 0.7:  # zip
        x = (fx + bx) / 2 + 0.1
        sk.detail([(x, shaft_top + 0.05), (x, -hh - 0.25)])
        sk.detail([(x + 0.05, shaft_top + 0.12)])
    if rng.random() < 0.3:
        sk.detail([(fx, shaft_top + 0.15), (bx, shaft_top + 0.15)])


def bag(sk, rng, style):
    """Bag: tote, handbag with flap, shoulder bag on a long strap, backpack or duffel."""
    u = rng.uniform
    v = rng.integers(5)  # 0 tote, 1 handbag, 2 shoulder bag, 3 backpack, 4 duffel
    w, h = u(0.6, 1.0), u(0.55, 0.95)
    if v == 0:
        sk.body([(-w, 0), (w, 0), (w * u(0.72, 0.9), h), (-w * u(0.72, 0.9), h)])
        hh = u(0.5, 0.9)
        sk.line(arch(-w * 0.5, w * 0.5, hh))
        if rng.random() < 0.6:
            sk.line(arch(-w * 0.35, w * 0.35, hh * 0.75))
    elif v == 1:
        sk.body(
            smooth([(-w, 0), (w, 0), (w * 1.05, h * 0.8), (w * 0.8, h), (-w * 0.8, h), (-w * 1.05, h * 0.8)], True, 1)
        )
        hh = u(0.6, 1.0)
        sk.line(arch(-w * 0.6, w * 0.6, hh))
        if rng.random() < 0.4:
            sk.line(arch(-w * 0.45, w * 0.45, hh * 0.75))
        if rng.random() < 0.6:
            sk.detail(curve((-w * 0.98, 0.08), (0, h * 0.9), (w * 0.98, 0.08)))
            sk.detail([(0, h * 0.47)])
    elif v == 2:
        h, hh = h * 0.8, u(0.8, 1.3)
        sk.body(box(-w, 0, w, h))
        sk.line(
            arch(-w * 0.95, w * 0.95, hh, 0.05)
            if rng.random() < 0.5
            else [(-w * 0.95, 0.05), (0, -hh), (w * 0.95, 0.05)]
        )  # strap: curved or pointed
        tip = h * u(0.45, 0.65)
        sk.detail(
            [(-w, 0.02), (0, tip), (w, 0.02)] if rng.random() < 0.5 else [(-w, 0.02), (-w, tip), (w, tip), (w, 0.02)]
        )  # flap: pointed or square
        sk.detail([(0, tip)])
    elif v == 3:
        w, h = w * 0.75, h * 1.5
        sk.body(smooth(box(-w, 0, w, h), True, 1))
        sk.line(arch(-0.25, 0.25, 0.4, 0.03))
        sk.detail(smooth(box(-w * 0.7, h * 0.55, w * 0.7, h * 0.92), True, 1), True)
        if rng.random() < 0.6:
            sk.detail(curve((-w * 0.85, h * 0.35), (0, h * 0.1), (w * 0.85, h * 0.35)))
    else:
        w, h, hh = w * 1.25, h * 0.75, u(0.45, 0.7)
        sk.body(smooth(box(-w, 0, w, h), True, 2))
        for x in (-0.25, 0.25):
            sk.line(arch(x - 0.2, x + 0.2, hh * 0.75, 0.02))
        if rng.random() < 0.6:
            sk.detail([(-w * 0.8, h * 0.15), (w * 0.8, h * 0.15)])
        if rng.random() < 0.5:
            sk.sym(ellipse(w * 0.82, h * 0.5, w * 0.12, h * 0.35), True)


BUILDERS = (tshirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


def layout(sk, label, rng):
    """Lopsidedness, mirroring, stretch, tilt, size and position -> parts in pixels."""
    u = rng.uniform
    lop, stretch = (u(0.9, 1.1) if label in GARMENTS else 1.0), u(0.85, 1.15)
    flip = -1.0 if label in SIDEWAYS and rng.random() < 0.5 else 1.0
    a = np.radians(np.clip(rng.normal(0, 6), -15, 15))
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    parts = []
    for kind, pts, closed in sk:
        x = np.where(pts[:, 0] < 0, pts[:, 0] * lop, pts[:, 0]) * flip * stretch
        parts.append((kind, np.column_stack([x, pts[:, 1]]) @ rot.T, closed))
    allpts = np.vstack([p for _, p, _ in parts])
    lo, hi = allpts.min(0), allpts.max(0)
    scale = min(u(0.35, 0.92) * SIZE, SIZE - 2 * MARGIN) / (hi - lo).max()
    room = SIZE - 2 * MARGIN - (hi - lo) * scale
    shift = MARGIN + room * rng.beta(2, 2, 2) - lo * scale
    extent = (hi - lo).max() * scale
    small = extent < 130  # small drawings lose half their details
    placed = [(k, p * scale + shift, c) for k, p, c in parts]
    keep = rng.random(len(placed)) >= 0.5
    placed = [part for part, kept in zip(placed, keep, strict=True) if kept or not small or part[0] != "detail"]
    return placed, extent


def resample(pts, step):
    """Evenly spaced points along a polyline."""
    s = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
    t = np.linspace(0, s[-1], max(int(s[-1] / step), 1) + 1)
    return np.column_stack([np.interp(t, s, pts[:, 0]), np.interp(t, s, pts[:, 1])])


def mouse_stroke(pts, closed, rng, wobble):
    """Turn an ideal polyline in pixels into a sparse, wobbly pointer trace."""
    if len(pts) == 1:
        return pts + rng.normal(0, 0.7, (1, 2))
    if closed:
        k = rng.integers(len(pts))
        pts = np.vstack([pts[k:], pts[: k + 1]])
    dense = resample(pts, 2.0)
    if closed:  # the pen stops a bit short of the start or runs past it
        m = max(int(rng.uniform(-6, 10)), -(len(dense) // 4))
        dense = np.vstack([dense, dense[1 : m + 1]]) if m > 0 else dense[: len(dense) + m]
    s = np.arange(len(dense)) * 2.0
    offset = sum(
        wobble * u * np.sin(2 * np.pi * s / lam + ph)
        for u, lam, ph in zip(rng.uniform(0, 1, 3), rng.uniform(60, 300, 3), rng.uniform(0, 6.3, 3), strict=True)
    )
    normal = np.gradient(dense, axis=0)[:, ::-1] * [-1, 1]
    normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-9
    dense = dense + normal * offset[:, None]
    gaps = rng.uniform(1.5, 5) * rng.uniform(0.7, 1.4, len(dense))
    idx = np.unique(np.clip(np.concatenate([[0], np.cumsum(gaps).astype(int)]), 0, len(dense) - 1))
    return dense[idx] + rng.normal(0, 0.4, (len(idx), 2))


def scribble(outline, rng):
    """Back-and-forth hatching strokes that colour in a closed outline."""
    mask = Image.new("1", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).polygon([tuple(p) for p in outline], fill=1)
    inside = np.array(mask)
    a = np.radians(rng.choice([0, 90, 45, -45]) + rng.normal(0, 10))
    d, n = np.array([np.cos(a), np.sin(a)]), np.array([-np.sin(a), np.cos(a)])
    centre = outline.mean(0)
    across_n, along_d = (outline - centre) @ n, (outline - centre) @ d
    spacing = rng.uniform(10, 26)
    t = np.arange(along_d.min() - 2, along_d.max() + 2, 1.5)
    chains, previous = [], []
    for off in np.arange(across_n.min() + spacing / 2, across_n.max(), spacing):
        pts = centre + off * n + t[:, None] * d
        ij = np.clip(np.round(pts).astype(int), 0, SIZE - 1)
        flags = np.concatenate([[0], inside[ij[:, 1], ij[:, 0]].astype(int), [0]])
        starts, ends = np.flatnonzero(np.diff(flags) == 1), np.flatnonzero(np.diff(flags) == -1) - 1
        current = []
        for i0, i1 in zip(starts, ends, strict=True):
            if i1 - i0 < 3:
                continue
            inset = rng.uniform(-5, 4, 2)
            run = (pts[i0] + inset[0] * d, pts[i1] - inset[1] * d, t[i0], t[i1])
            match = next((c for c, t0, t1 in previous if t0 < t[i1] and t[i0] < t1), None)
            if match is None or match in [m for m, _, _ in current]:
                chains.append([])
                match = len(chains) - 1
            chains[match].append(run)
            current.append((match, t[i0], t[i1]))
        previous = current
    strokes = []
    for chain in chains:
        pts = [p for k, (p0, p1, _, _) in enumerate(chain) for p in ((p0, p1) if k % 2 == 0 else (p1, p0))]
        strokes.append(np.array(pts) + rng.normal(0, 1, (len(pts), 2)))
    return strokes


def trace(parts, rng, style, extent):
    """Pointer traces of every part: returns (solid polygons, pen strokes)."""
    wobble = rng.uniform(0.4, 1.2) + extent / 200
    solid = rng.random() < 0.55
    fills, strokes = [], []
    for kind, pts, closed in parts:
        if kind == "detail" and style == "filled":
            continue
        stroke = mouse_stroke(pts, closed, rng, wobble)
        if kind == "body" and style == "filled":
            if solid:
                fills.append(stroke)
            else:
                strokes += scribble(stroke, rng)
        strokes.append(stroke)
    return fills, strokes


def render(fills, strokes, pen):
    """Draw polygons and round-pen strokes in black on a white RGB canvas."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    r = pen / 2
    for poly in fills:
        draw.polygon([tuple(p) for p in poly], fill=0)
    for stroke in strokes:
        pts = [tuple(p) for p in stroke]
        if len(pts) > 1:
            draw.line(pts, fill=0, width=pen)
        for x, y in pts:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style`, rendered once per pen width."""
    if label not in range(len(CLASSES)) or style not in STYLES:
        raise ValueError(f"unknown label or style: {label!r}, {style!r}")
    sk = Sketch()
    BUILDERS[label](sk, rng, style)
    parts, extent = layout(sk, label, rng)
    fills, strokes = trace(parts, rng, style, extent)
    return [render(fills, strokes, pen) for pen in pens]
