"""Hand P: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 8).

Each drawing is first planned as ideal geometry in "shape units" (garments and
bags seen from the front, shoes from the side), then spoilt the way a mouse
drawing is: lopsided, stretched, tilted, resized, placed off centre, wobbly
lines, rounded corners, sparse pointer samples joined by straight segments and
outlines that do not quite close.  The strokes are rendered in black on a
280x280 white canvas with a round pen, once per pen width, so every pen shows
the same strokes.  Style "filled" colours the garment in (solid or scribbled),
style "outline" draws the contour plus a few inner lines (collar, buttons,
pockets, laces, straps...).
"""

import math

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280
STYLES = ("filled", "outline")


class Sketch:
    """Ideal geometry of one drawing in shape units (x to the right, y downwards)."""

    def __init__(self, *shapes, flippable=False, fillable=True):
        self.shapes = [np.asarray(s, float) for s in shapes]  # closed: coloured in or contoured
        self.lines = []  # open strokes drawn in both styles (straps, handles)
        self.details = []  # open strokes drawn only in "outline" (collar, buttons, laces)
        self.flippable = flippable  # may face either way (shoes, bags)
        self.fillable = fillable  # makes sense as a coloured-in silhouette

    def add(self, kind, *items):
        """Append polylines to shapes, lines or details."""
        getattr(self, kind).extend(np.asarray(item, float) for item in items)

    def maybe(self, rng, p, kind, *items):
        """Append polylines with probability p: a detail only some students bother to draw."""
        if rng.random() < p:
            self.add(kind, *items)


# ----------------------------------------------------------------- geometry helpers
def arc(cx, cy, rx, ry, a0, a1, n=10):
    """Points on an ellipse arc from angle a0 to a1 in degrees (0 = right, 90 = down)."""
    t = np.radians(np.linspace(a0, a1, n))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def bezier(p0, p1, p2, n=10):
    """Quadratic Bezier curve from p0 to p2, pulled towards p1."""
    t = np.linspace(0, 1, n)[:, None]
    p0, p1, p2 = (np.asarray(p, float) for p in (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * p1 + t**2 * p2


def path(*parts):
    """Concatenate single points and point arrays into one polyline."""
    return np.vstack([np.atleast_2d(np.asarray(p, float)) for p in parts])


def mirrored(half):
    """Close a right-half outline (top centre to bottom centre) with its mirror image."""
    return np.vstack([half, (half[::-1] * [-1, 1])[1:-1]])


def both(line):
    """A polyline and its mirror image across the vertical centre line."""
    line = np.asarray(line, float)
    return [line, line * [-1, 1]]


def dot(x, y):
    """A single click: one pen-sized dot (a button, a clasp, a rivet)."""
    return np.array([[x, y], [x + 1e-3, y]])


def ellipse(cx, cy, rx, ry):
    """A small closed ellipse drawn as one stroke."""
    return arc(cx, cy, rx, ry, 0, 360, 14)


def rounded_rect(x0, y0, x1, y1, r):
    """Closed outline of a rectangle with corners rounded by radius r."""
    r = min(r, (x1 - x0) / 2, (y1 - y0) / 2)
    return path(
        arc(x1 - r, y0 + r, r, r, -90, 0, 4),
        arc(x1 - r, y1 - r, r, r, 0, 90, 4),
        arc(x0 + r, y1 - r, r, r, 90, 180, 4),
        arc(x0 + r, y0 + r, r, r, 180, 270, 4),
    )


def closed(points):
    """Repeat the first point so an outline detail is drawn all the way round."""
    return path(points, points[0])


# ----------------------------------------------------------------- garments (front view)
def garment(g):
    """Sketch holding the outline of a front-view garment (symmetric about x = 0), plus landmarks.

    g: neck ('round', 'v', 'collar', 'hood'), nw/nd neck half-width and depth,
    sw/sdrop shoulder point, L/ang/w sleeve length, angle below horizontal in
    degrees and end width (L = 0: sleeveless), bw/ay armpit, sides: points of
    the body side down to the hem corner, hem ('straight', 'curved', 'wavy')
    with hem_d its depth.
    """
    nw, nd = g["nw"], g["nd"]
    if g["neck"] == "round":
        neck = arc(0, 0, nw, nd, 90, 0, 7)
    elif g["neck"] == "v":
        neck = path((0, nd), (nw, 0))
    elif g["neck"] == "collar":
        neck = path((0, nd), (nw * 0.9, -0.1), (nw * 1.15, 0))
    else:
        neck = arc(0, 0.05, nw * 1.35, g["hood"], -90, 5, 9)
    shoulder = np.array([g["sw"], g["sdrop"]])
    side = path((g["bw"], g["ay"]), g["sides"])
    lm = {"side": side}
    if g["L"] > 0:
        a = math.radians(g["ang"])
        d, n = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
        end = shoulder + g["L"] * d + g["w"] * n
        overlap = np.interp(end[1], side[:, 1], side[:, 0]) + 0.08 - end[0]
        shoulder = shoulder + [max(overlap, 0.0), 0]  # keep the sleeve outside the body
        lm.update(T=shoulder + g["L"] * d, B=shoulder + g["L"] * d + g["w"] * n, d=d)
        arm = path(shoulder, lm["T"], lm["B"])
    else:
        arm = bezier(shoulder, (shoulder[0], side[0, 1]), side[0], 7)[:-1]
    hx, hy = side[-1]
    d = g["hem_d"]
    if g["hem"] == "curved":
        hem = bezier((hx, hy), (hx * 0.6, hy + d), (0, hy + d), 6)[1:]
    elif g["hem"] == "wavy":
        x = np.linspace(hx, 0, 19)
        hem = np.stack([x, hy + d * np.abs(np.sin(3 * np.pi * x / hx))], axis=1)[1:]
    else:
        hem = path((0, hy))
    return Sketch(mirrored(path(neck, arm, side, hem))), lm


def body_x(lm, y):
    """Half width of the garment body at height y."""
    return float(np.interp(y, lm["side"][:, 1], lm["side"][:, 0]))


def across(lm, y):
    """A horizontal line across the body at height y."""
    x = body_x(lm, y)
    return np.array([[-x, y], [x, y]])


def cuffs(lm, depth):
    """Lines across both sleeves a little above their ends (none without sleeves)."""
    if "d" not in lm:
        return []
    back = lm["d"] * depth
    return both([lm["T"] - back, lm["B"] - back])


def buttons(x, y0, y1, n):
    """A column of n button dots from y0 to y1."""
    return [dot(x, y) for y in np.linspace(y0, y1, n)]


def armpit(rng, g):
    """Armpit height: a little more than a sleeve width below the shoulder."""
    return g["sdrop"] + g["w"] * rng.uniform(1.0, 1.35)


def tshirt(rng):
    """T-shirt/top: short sleeves angled or straight out, or a sleeveless top; hip length."""
    U = rng.uniform
    kind = rng.choice(["classic", "boxy", "tank", "fitted"], p=[0.4, 0.25, 0.2, 0.15])
    nw, bw, bl = U(0.16, 0.26), U(0.42, 0.56), U(1.05, 1.5)
    g = dict(
        neck="round",
        nw=nw,
        nd=U(0.08, 0.2),
        sw=bw + U(0, 0.06),
        sdrop=U(0.03, 0.12),
        L=U(0.3, 0.5),
        ang=U(15, 45),
        w=U(0.3, 0.42),
        bw=bw,
        hem="straight",
        hem_d=0,
    )
    if kind == "boxy":
        g.update(ang=U(-5, 12), L=U(0.4, 0.7), sdrop=U(0, 0.05))
    elif kind == "tank":
        g.update(L=0, sw=nw + U(0.07, 0.14), sdrop=0, nd=U(0.25, 0.45), neck=rng.choice(["round", "v"]))
    elif kind == "fitted":
        g.update(neck="v", nd=U(0.2, 0.35), L=U(0.2, 0.32), hem=rng.choice(["straight", "curved"]), hem_d=0.08)
    g["ay"] = armpit(rng, g) if g["L"] else U(0.35, 0.55)
    waist = bw - (U(0.04, 0.12) if kind in ("fitted", "tank") else U(-0.03, 0.03))
    g["sides"] = [(waist, (g["ay"] + bl) / 2), (bw + U(-0.04, 0.08), bl)]
    sk, lm = garment(g)
    rib = path((-nw, 0), (0, g["nd"] + 0.1), (nw, 0)) if g["neck"] == "v" else arc(0, 0, nw, g["nd"] + 0.09, 180, 0)
    sk.maybe(rng, 0.45, "details", rib)
    sk.maybe(rng, 0.5, "details", *cuffs(lm, U(0.07, 0.11)))
    sk.maybe(rng, 0.25, "details", ellipse(0, bl * 0.42, 0.14, 0.12))
    sk.maybe(rng, 0.15, "details", across(lm, bl - 0.1))
    return sk


def pullover(rng):
    """Pullover: long sleeves (angled, hanging or spread), round neck or hood, ribbed cuffs and waistband."""
    U = rng.uniform
    kind = rng.choice(["angled", "hanging", "spread", "hoodie"], p=[0.35, 0.25, 0.2, 0.2])
    nw, bw, bl = U(0.15, 0.24), U(0.45, 0.58), U(1.15, 1.6)
    g = dict(
        neck="round",
        nw=nw,
        nd=U(0.06, 0.16),
        sw=bw + U(0, 0.08),
        sdrop=U(0.04, 0.14),
        L=U(0.95, 1.3),
        ang=U(40, 68),
        w=U(0.28, 0.38),
        bw=bw,
        hem="straight",
        hem_d=0,
    )
    if kind == "hanging":
        g.update(ang=U(74, 86), L=bl * U(0.8, 1.0))
    elif kind == "spread":
        g.update(ang=U(0, 22), L=U(0.8, 1.15))
    elif kind == "hoodie":
        g.update(neck="hood", hood=U(0.4, 0.55), nw=U(0.2, 0.26), ang=U(45, 80))
    g["ay"] = armpit(rng, g)
    g["sides"] = [(bw + U(-0.06, 0.03), bl)]
    sk, lm = garment(g)
    sk.maybe(rng, 0.65, "details", *cuffs(lm, U(0.1, 0.16)))
    sk.maybe(rng, 0.6, "details", across(lm, bl - U(0.1, 0.16)))
    if kind == "hoodie":
        h, w = g["hood"], g["nw"]
        sk.add("details", ellipse(0, 0.02 - h * 0.45, w * 0.75, h * 0.45))
        if rng.random() < 0.6:
            sk.add("details", path((-0.32, bl - 0.16), (-0.24, bl * 0.62), (0.24, bl * 0.62), (0.32, bl - 0.16)))
        sk.maybe(rng, 0.4, "details", *both(path((0.09, 0.1), (0.11, U(0.35, 0.5)))))
    elif rng.random() < 0.4:
        sk.add("details", arc(0, 0, g["nw"], g["nd"] + 0.08, 180, 0, 9))
    if rng.random() < 0.12:
        x = np.linspace(-body_x(lm, bl * 0.4), body_x(lm, bl * 0.4), 9)
        sk.add("details", np.stack([x, bl * 0.4 + 0.07 * (-1) ** np.arange(9)], axis=1))
    return sk


def coat(rng):
    """Coat: long, often flared body, long sleeves, front opening with buttons or zip, lapels, pockets, belt."""
    U = rng.uniform
    kind = rng.choice(["long", "trench", "parka"], p=[0.45, 0.3, 0.25])
    nw, bw, bl = U(0.15, 0.24), U(0.45, 0.58), U(1.8, 2.5)
    g = dict(
        neck=rng.choice(["v", "collar"], p=[0.75, 0.25]),
        nw=nw,
        nd=U(0.3, 0.6),
        sw=bw + U(0, 0.08),
        sdrop=U(0.04, 0.14),
        L=U(1.0, 1.35),
        ang=U(50, 82),
        w=U(0.3, 0.4),
        bw=bw,
        hem="straight",
        hem_d=0,
    )
    flare = U(0.03, 0.25)
    if kind == "parka":
        bl, flare = U(1.45, 1.9), U(-0.04, 0.08)
        g.update(neck="hood", hood=U(0.4, 0.55), nw=U(0.2, 0.26), nd=0.1)
    if g["neck"] == "collar":
        g["nd"] = U(0.15, 0.3)
    g["ay"] = armpit(rng, g)
    waist = bw - (U(0.02, 0.08) if kind == "trench" else 0.0)
    g["sides"] = [(waist, bl * 0.45), (bw + flare, bl)]
    sk, lm = garment(g)
    top = g["nd"]
    sk.maybe(rng, 0.85, "details", path((0, top), (0, bl)))
    if kind == "parka":
        sk.add("details", dot(0.05, top + 0.1))
        sk.maybe(rng, 0.6, "details", *both(closed(rounded_rect(0.15, bl * 0.6, 0.4, bl * 0.8, 0.03))))
    else:
        n = int(rng.integers(3, 6))
        if kind == "trench" and rng.random() < 0.6:
            sk.add("details", *buttons(0.15, top + 0.12, bl * 0.6, n), *buttons(-0.15, top + 0.12, bl * 0.6, n))
        elif rng.random() < 0.8:
            sk.add("details", *buttons(U(0.08, 0.13), top + 0.1, bl * U(0.6, 0.85), n))
        if g["neck"] == "v" and rng.random() < 0.6:
            sk.add("details", *both(path((nw, 0), (nw + U(0.1, 0.18), top * 0.5), (0.02, top))))
        if rng.random() < 0.4:
            y = bl * U(0.6, 0.72)
            sk.add("details", *both(path((bw * 0.35, y), (bw * 0.85, y))))
    y = bl * 0.45
    buckle = closed(rounded_rect(-0.1, y - 0.1, 0.1, y + 0.1, 0.02))
    sk.maybe(rng, 0.8 * (kind == "trench"), "details", across(lm, y - 0.06), across(lm, y + 0.06), buckle)
    sk.maybe(rng, 0.4, "details", *cuffs(lm, U(0.12, 0.18)))
    return sk


def shirt(rng):
    """Shirt: pointed collar, button placket, long or short sleeves, often a curved tail and a chest pocket."""
    U = rng.uniform
    kind = rng.choice(["long", "rolled", "short"], p=[0.45, 0.2, 0.35])
    nw, bw, bl = U(0.14, 0.2), U(0.44, 0.56), U(1.2, 1.65)
    g = dict(
        neck="collar",
        nw=nw,
        nd=U(0.12, 0.22),
        sw=bw + U(0, 0.06),
        sdrop=U(0.04, 0.12),
        L=U(1.0, 1.3),
        ang=U(55, 84),
        w=U(0.26, 0.34),
        bw=bw,
        hem=rng.choice(["curved", "straight"], p=[0.6, 0.4]),
        hem_d=U(0.08, 0.18),
    )
    if kind == "rolled":
        g.update(ang=U(20, 50), L=U(0.7, 1.0), w=U(0.3, 0.38))
    elif kind == "short":
        g.update(ang=U(15, 40), L=U(0.3, 0.48), w=U(0.3, 0.4))
    g["ay"] = armpit(rng, g)
    g["sides"] = [(bw + U(-0.04, 0.04), bl)]
    sk, lm = garment(g)
    sk.maybe(rng, 0.9, "details", *both(path((nw * 1.1, -0.02), (nw * U(0.7, 1.2), U(0.25, 0.38)), (0, g["nd"]))))
    sk.maybe(rng, 0.75, "details", path((0, g["nd"]), (0, bl)))
    sk.maybe(rng, 0.75, "details", *buttons(U(0.07, 0.12), g["nd"] + 0.15, bl * 0.85, int(rng.integers(3, 7))))
    sk.maybe(rng, 0.35, "details", closed(path((-0.4, 0.35), (-0.17, 0.35), (-0.17, 0.6), (-0.4, 0.6))))
    sk.maybe(rng, 0.45, "details", *cuffs(lm, U(0.1, 0.16)))
    return sk


def dress(rng):
    """Dress: fitted bodice with a flared skirt, a straight shift or a wide gown; straps or short sleeves."""
    U = rng.uniform
    kind = rng.choice(["aline", "sleeved", "shift", "gown"], p=[0.35, 0.25, 0.2, 0.2])
    nw, bw, bl, wy = U(0.12, 0.2), U(0.3, 0.42), U(1.7, 2.4), U(0.55, 0.8)
    g = dict(
        neck=rng.choice(["round", "v"]),
        nw=nw,
        nd=U(0.12, 0.3),
        sw=nw + U(0.06, 0.12),
        sdrop=0.0,
        L=0,
        ang=30,
        w=0.25,
        bw=bw,
        ay=U(0.3, 0.45),
        hem=rng.choice(["straight", "wavy", "curved"], p=[0.4, 0.3, 0.3]),
        hem_d=U(0.05, 0.12),
    )
    waist, hem_w = bw - U(0.03, 0.1), U(0.7, 1.05)
    sides = [(waist, wy), (hem_w, bl)]
    if kind == "sleeved":
        g.update(
            L=U(0.15, 0.3), ang=U(25, 50), w=U(0.22, 0.3), sw=bw + U(0.02, 0.06), sdrop=U(0.03, 0.08), neck="round"
        )
        g["ay"] = armpit(rng, g)
    elif kind == "shift":
        sides = [(bw + U(0, 0.06), bl * 0.45), (bw + U(0.12, 0.3), bl)]
        g["hem"] = rng.choice(["straight", "curved"])
    elif kind == "gown":
        hem_w = U(0.9, 1.2)
        sides = [(waist, wy), (waist + 0.3, wy + 0.2), (hem_w * 0.9, wy + (bl - wy) * 0.65), (hem_w, bl)]
        g.update(hem="curved", hem_d=U(0.08, 0.15))
    g["sides"] = sides
    sk, lm = garment(g)
    if kind != "shift" and rng.random() < 0.6:
        sk.add("details", across(lm, wy))
        sk.maybe(rng, 0.3, "details", dot(0, wy))
    if rng.random() < 0.35:
        for f in rng.choice([-0.5, -0.2, 0.2, 0.5], size=int(rng.integers(2, 4)), replace=False):
            sk.add("details", path((f * body_x(lm, wy + 0.1), wy + 0.1), (f * body_x(lm, bl) * 1.1, bl - 0.08)))
    return sk


def trousers(rng):
    """Trousers: two long legs from a waistband; straight, skinny, flared or wide legs."""
    U = rng.uniform
    kind = rng.choice(["straight", "skinny", "flared", "wide"], p=[0.35, 0.25, 0.2, 0.2])
    wt, length, hip, crotch = U(0.42, 0.58), U(1.9, 2.5), U(0.3, 0.5), U(0.5, 0.8)
    wh = wt + U(0, 0.08)
    outer = {
        "straight": wh + U(-0.04, 0.06),
        "skinny": wh - U(0.08, 0.16),
        "flared": wh + U(0.12, 0.3),
        "wide": wh + U(0.1, 0.25),
    }[kind]
    leg = {"straight": U(0.36, 0.48), "skinny": U(0.26, 0.34), "flared": U(0.5, 0.7), "wide": U(0.6, 0.8)}[kind]
    inner = max(U(0.1, 0.2), outer - leg)
    knee = [(wh - U(0.03, 0.1), length * 0.55)] if kind == "flared" else []
    half = path(
        (0, 0),
        (wt, 0),
        (wh, hip),
        *knee,
        (outer, length),
        (inner, length),
        (max(0.07, inner * 0.8), crotch + 0.15),
        (0, crotch),
    )
    sk = Sketch(mirrored(half))
    band = U(0.1, 0.16)
    sk.maybe(rng, 0.7, "details", path((-wt, band), (wt, band)))
    sk.maybe(rng, 0.5, "details", path((0.02, band), (0.02, crotch * 0.7), (0.12, crotch * 0.6)))
    sk.maybe(rng, 0.35, "details", *both(bezier((wt * 0.5, band), (wt * 0.55, hip), (wh + 0.02, hip + 0.08), 6)))
    sk.maybe(rng, 0.3, "details", dot(0, band * 0.5))
    if rng.random() < 0.25:
        mid = (outer + inner) / 2
        sk.add("details", *both(path((wt * 0.55, crotch), (mid, length - 0.12))))
    if rng.random() < 0.3:
        y = length - 0.15
        sk.add("details", *both(path((inner + 0.02, y), (outer + 0.01, y))))
    return sk


# ----------------------------------------------------------------- shoes (side view, toe to the right)
def sandal(rng):
    """Sandal: thin sole with straps over the foot (flat, high heel, gladiator, slide) or a flip-flop from above."""
    U = rng.uniform
    kind = rng.choice(["flat", "heel", "gladiator", "slide", "flipflop"], p=[0.3, 0.25, 0.15, 0.15, 0.15])
    t = U(0.1, 0.18)
    if kind == "flipflop":
        sk = Sketch(
            path(
                arc(0, -0.55, 0.42, 0.45, 180, 360, 9), (0.38, 0.1), arc(0, 0.62, 0.33, 0.38, 0, 180, 9), (-0.3, 0.05)
            ),
            fillable=False,
        )
        sk.add("lines", *both(bezier((0, -0.62), (0.22, -0.4), (0.4, U(-0.15, 0.05)), 6)))
        return sk
    sk = Sketch(flippable=True)
    if kind == "heel":
        top = path((-0.85, -U(0.5, 0.7)), bezier((-0.6, -0.45), (0.0, 0.0), (0.35, -t), 6), (0.95, -t))
        sk.add("shapes", path(top, arc(0.95, -t / 2, t / 2, t / 2, -90, 90, 5), top[::-1] + [0, t]))
        sk.add(
            "lines",
            path((-0.8, top[0, 1] + t), (-0.78, 0.0))
            if rng.random() < 0.6
            else closed(path((-0.85, top[0, 1] + t), (-0.65, top[0, 1] + t), (-0.7, 0), (-0.82, 0))),
        )
        sk.add("lines", arc(U(0.55, 0.7), -t, U(0.18, 0.26), U(0.22, 0.32), 180, 360, 8))
        ankle = top[0, 1] - U(0.35, 0.5)
        sk.add("lines", path((-0.87, top[0, 1]), (-0.85, ankle), (-0.45, ankle + 0.05)))
        sk.maybe(rng, 0.5, "lines", path((-0.45, ankle + 0.05), (-0.1, -0.35)))
        return sk
    sk.add("shapes", rounded_rect(-1, -t, 1, 0, t / 2))
    if kind == "slide":
        cx, h = U(0.25, 0.45), U(0.35, 0.5)
        sk.add("shapes", path(arc(cx, -t, 0.5, h, 180, 360, 10), arc(cx, -t, 0.3, h - 0.15, 360, 180, 8)))
        return sk
    sk.add("lines", arc(U(0.45, 0.65), -t, U(0.15, 0.25), U(0.22, 0.35), 180, 360, 8))
    instep, rx, h = U(0.0, 0.2), U(0.2, 0.3), U(0.4, 0.55)
    sk.add("lines", arc(instep, -t, rx, h, 180, 360, 8))
    ankle = -U(0.6, 0.8)
    if kind == "gladiator":
        high = ankle - U(0.2, 0.4)
        sk.add("lines", path((-0.85, -t), (-0.8, high)), path((instep - 0.25, -0.5), (-0.35, high)))
        for y in np.linspace(-0.55, high, int(rng.integers(2, 4))):
            sk.add("lines", path((-0.82, y), (-0.33 + (y + 0.5) * 0.2, y)))
    elif rng.random() < 0.8:
        sk.add("lines", path((-0.9, -t), (-0.85, ankle), (-0.45, ankle + 0.05), (instep - rx * 0.6, -t - h * 0.8)))
    return sk


def sneaker(rng):
    """Sneaker: long and low, rounded toe, laced instep, low collar at the ankle, rubber sole band."""
    U = rng.uniform
    kind = rng.choice(["lowtop", "runner", "canvas", "hightop"], p=[0.35, 0.3, 0.2, 0.15])
    toe_h, collar = {
        "lowtop": (U(0.25, 0.4), U(0.6, 0.85)),
        "runner": (U(0.22, 0.32), U(0.65, 0.9)),
        "canvas": (U(0.22, 0.3), U(0.5, 0.65)),
        "hightop": (U(0.25, 0.4), U(1.0, 1.25)),
    }[kind]
    r = toe_h * U(0.6, 0.9)
    vamp = np.array([U(0.4, 0.55), -toe_h - 0.05])
    instep = np.array([U(-0.2, 0.0), -collar * U(0.85, 1.0)])
    dip = -collar * (0.95 if kind == "hightop" else U(0.75, 0.9))
    heel = -collar * (1.1 if kind == "runner" else U(0.95, 1.05))
    sk = Sketch(
        path(
            (-1, 0),
            (0.95 - r, 0),
            arc(0.95 - r, -r, r, r, 90, -70, 7),
            vamp,
            instep,
            (instep[0] - 0.45, dip),
            (-0.9, heel),
            (-1.03, heel * 0.4),
        ),
        flippable=True,
    )
    sole = U(0.17, 0.25) if kind == "runner" else U(0.13, 0.2)
    sk.maybe(rng, 0.8, "details", path((-1, -sole), (0.95, -sole)))
    if kind != "canvas" or rng.random() < 0.5:
        v = instep - vamp
        inward = np.array([v[1], -v[0]]) / np.hypot(*v)
        for f in np.linspace(0.15, 0.8, int(rng.integers(2, 5))):
            sk.add("details", path(vamp + f * v + 0.06 * inward, vamp + f * v + 0.28 * inward))
    swoosh = bezier((0.3, -sole - 0.05), (-0.35, -sole), (-0.65, -collar * 0.55), 8)
    sk.maybe(rng, 0.6 if kind == "runner" else 0.2, "details", swoosh)
    sk.maybe(rng, 0.6 * (kind == "canvas"), "details", bezier((0.6, -sole), (0.6, -toe_h), (0.9, -toe_h * 0.9), 6))
    sk.maybe(rng, 0.5 * (kind == "hightop"), "details", ellipse(-0.55, -collar * 0.55, 0.13, 0.13))
    return sk


def boot(rng):
    """Ankle boot: shaft up to the ankle, heel block, closed toe; Chelsea, heeled, lace-up or plain."""
    U = rng.uniform
    kind = rng.choice(["chelsea", "heeled", "laceup", "plain"], p=[0.3, 0.3, 0.25, 0.15])
    height, back = U(1.1, 1.5), -U(0.8, 0.95)
    front = back + U(0.55, 0.8)
    toe_h = U(0.3, 0.45)
    r = toe_h * U(0.6, 0.9)
    heel_front = back + U(0.3, 0.45)
    shaft = path(
        (back, -height), (front, -height + U(-0.05, 0.05)), (front + U(0, 0.1), -toe_h - U(0.2, 0.35)), (0.4, -toe_h)
    )
    if kind == "heeled":
        lift = U(0.3, 0.5)
        tip = np.array([1.0, -r * 0.6])
        bottom = path(
            bezier((0.6, -toe_h * 0.8), (0.95, -toe_h * 0.6), tip, 4),
            (0.7, 0),
            (0.25, 0),
            bezier((0.1, -0.03), (heel_front + 0.2, -lift * 0.6), (heel_front, -lift), 5),
            (heel_front - 0.05, 0),
            (back + 0.06, 0),
            (back, -lift - 0.1),
        )
        shaft[:, 1] -= lift * 0.5
    else:
        heel = U(0.07, 0.14)
        bottom = path(
            arc(0.95 - r, -r, r, r, -70, 90, 7),
            (heel_front, 0),
            (heel_front - 0.02, heel),
            (back + 0.02, heel),
            (back - 0.02, -0.3),
        )
    sk = Sketch(path(shaft, bottom), flippable=True)
    top = shaft[0, 1]
    mid = (back + front) / 2
    elastic = path((mid - 0.18, top), (mid, top * 0.45), (mid + 0.18, top))
    sk.maybe(rng, 0.75 * (kind == "chelsea"), "details", elastic)
    sk.maybe(rng, 0.5 * (kind == "heeled"), "details", path((back + 0.15, top + 0.08), (back + 0.15, top * 0.35)))
    if kind == "laceup":
        for y in np.linspace(top + 0.15, -toe_h - 0.2, int(rng.integers(3, 6))):
            x = float(np.interp(y, shaft[1:3, 1][::-1], shaft[1:3, 0][::-1]))
            sk.add("details", path((x - 0.22, y), (x + 0.02, y)))
    sk.maybe(rng, 0.5 * (kind != "heeled"), "details", path((back, -U(0.1, 0.16)), (0.95, -U(0.1, 0.16))))
    sk.maybe(rng, 0.2, "details", path((back, top + 0.14), (front, top + 0.14)))
    pull_tab = path((back + 0.04, top), (back, top - 0.18), (back + 0.16, top - 0.18), (back + 0.2, top))
    sk.maybe(rng, 0.2, "lines", pull_tab)
    return sk


# ----------------------------------------------------------------- bags (front view)
def bag(rng):
    """Bag: handbag with an arched handle, tote with two loops, shoulder bag with a flap, backpack or purse."""
    U = rng.uniform
    kind = rng.choice(["handbag", "tote", "shoulder", "backpack", "purse"], p=[0.3, 0.2, 0.2, 0.15, 0.15])
    sk = Sketch(flippable=True)
    if kind == "handbag":
        tw, bw, h = U(0.55, 0.75), U(0.8, 1.0), U(0.9, 1.3)
        sk.add("shapes", path((-tw, 0), (tw, 0), (bw, h * 0.85), (bw * 0.85, h), (-bw * 0.85, h), (-bw, h * 0.85)))
        rx, ry = tw * U(0.5, 0.85), U(0.4, 0.75)
        sk.add("lines", arc(0, 0, rx, ry, 180, 360, 10))
        sk.maybe(rng, 0.4, "details", arc(0, 0, rx - 0.12, ry - 0.12, 180, 360, 10))
        sk.maybe(rng, 0.5, "details", bezier((-tw, 0), (0, h * 0.7), (tw, 0), 8))
        sk.maybe(rng, 0.5, "details", dot(0, h * 0.35))
    elif kind == "tote":
        tw, h = U(0.65, 0.85), U(1.2, 1.7)
        sk.add("shapes", path((-tw, 0), (tw, 0), (tw - U(0, 0.12), h), (-tw + U(0, 0.12), h)))
        rx, ry = tw * U(0.22, 0.35), U(0.45, 0.75)
        sk.add("lines", *both(arc(tw * 0.45, 0, rx, ry, 180, 360, 8)))
        sk.maybe(rng, 0.3, "details", path((-tw, 0.15), (tw, 0.15)))
        sk.maybe(rng, 0.25, "details", ellipse(0, h * 0.55, 0.22, 0.2))
    elif kind == "shoulder":
        w, h = U(0.9, 1.1), U(0.7, 1.0)
        sk.add("shapes", rounded_rect(-w, 0, w, h, U(0.05, 0.25)))
        sk.add("lines", arc(0, 0.05, w * 0.95, U(0.8, 1.4), 180, 360, 12))
        if rng.random() < 0.75:
            flap = h * U(0.4, 0.6)
            sk.add(
                "details",
                path((-w, flap * 0.6), bezier((-w * 0.6, flap), (0, flap * 1.2), (w * 0.6, flap), 5), (w, flap * 0.6)),
            )
            sk.maybe(rng, 0.6, "details", dot(0, flap * 1.05))
    elif kind == "backpack":
        w, h, r = U(0.6, 0.8), U(1.4, 1.8), U(0.3, 0.5)
        sk.add("shapes", path(arc(0, r, w, r, 180, 360, 10), (w, h), (-w, h)))
        sk.add("lines", arc(0, 0.02, 0.18, U(0.15, 0.25), 180, 360, 6))
        sk.maybe(rng, 0.7, "details", closed(rounded_rect(-w * 0.6, h * 0.55, w * 0.6, h * 0.9, 0.1)))
        sk.maybe(rng, 0.4, "details", arc(0, r + 0.15, w * 0.75, r, 180, 360, 8))
        sk.maybe(rng, 0.4, "lines", *both(path((w * 0.8, r * 0.6), (w + 0.12, h * 0.45), (w + 0.05, h * 0.9))))
    else:
        w, h = U(0.75, 0.95), U(0.8, 1.1)
        sk.add("shapes", path((-w * 0.8, 0), (w * 0.8, 0), arc(0, h * 0.4, w, h * 0.6, 0, 180, 12)))
        sk.add("lines", arc(0, 0, w * U(0.4, 0.7), U(0.45, 0.7), 180, 360, 8))
        sk.maybe(rng, 0.4, "details", path((-w, 0.15), (w, 0.15)))
    return sk


BUILDERS = (tshirt, trousers, pullover, dress, coat, sandal, shirt, sneaker, bag, boot)


# ----------------------------------------------------------------- the hand and the mouse
def resample(pts, step):
    """Points about `step` pixels apart along a polyline."""
    pts = np.asarray(pts, float)
    s = np.r_[0, np.cumsum(np.hypot(*np.diff(pts, axis=0).T))]
    t = np.linspace(0, s[-1], max(2, int(s[-1] / step) + 2))
    return np.stack([np.interp(t, s, pts[:, 0]), np.interp(t, s, pts[:, 1])], axis=1)


def mouse(pts, rng, hand, calm=1.0):
    """What the mouse records for an intended polyline: wobble, rounded corners, sparse samples."""
    d = resample(pts, 2.0)
    n = len(d)
    knots = max(2, int(2.0 * n / hand["knot"]) + 2)
    wobble = rng.normal(0, hand["amp"] * calm, (knots, 2))
    at = np.linspace(0, n - 1, knots)
    d = d + np.stack([np.interp(np.arange(n), at, wobble[:, i]) for i in (0, 1)], axis=1)
    k = min(hand["smooth"], n // 3)
    if k > 1:
        padded = np.pad(d, ((k // 2, k - 1 - k // 2), (0, 0)), mode="edge")
        d = np.stack([np.convolve(padded[:, i], np.ones(k) / k, "valid") for i in (0, 1)], axis=1)
    steps = np.maximum(1, (rng.uniform(0.4, 1.6, n) * hand["step"] / 2).astype(int))
    idx = np.cumsum(np.r_[0, steps])
    return d[np.r_[idx[idx < n - 1], n - 1]]


def contour(poly, rng, hand):
    """Strokes for a closed outline: random start, sometimes drawn in two or three goes, ends miss or overshoot."""
    loop = resample(np.vstack([poly, poly[:1]]), 2.0)[:-1]
    n = len(loop)
    loop = np.roll(loop, -int(rng.integers(n)), axis=0)
    goes = int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1]))
    bounds = np.r_[0, np.sort(rng.integers(n // 8, n - n // 8, goes - 1)), n]
    strokes = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        end = max(b + int(rng.integers(-7, 8)), a + 2)
        shift = rng.normal(0, hand["amp"], 2)
        strokes.append(mouse(loop[np.arange(a, end) % n] + shift, rng, hand))
    return strokes


def hatch(polys, rng, inset):
    """Back-and-forth scribble lines colouring in the polygons, turning about `inset` px inside the edge."""
    img = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(img)
    for poly in polys:
        draw.polygon([tuple(p) for p in poly], fill=1)
    mask = np.asarray(img, bool)
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return []
    a = math.radians(rng.choice([0, 90, 45, -45]) + rng.normal(0, 8))
    u, nrm = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
    offs, along = xs * nrm[0] + ys * nrm[1], xs * u[0] + ys * u[1]
    gap = rng.uniform(8, 19)
    t = np.arange(along.min() - 2, along.max() + 3)
    strokes = []  # [points, extent of its last run, row, forwards]
    for row, o in enumerate(np.arange(offs.min() + gap * rng.uniform(0.2, 0.6), offs.max(), gap)):
        o += rng.normal(0, gap * 0.08)
        px, py = np.rint(o * nrm[0] + t * u[0]).astype(int), np.rint(o * nrm[1] + t * u[1]).astype(int)
        ok = (px >= 0) & (px < SIZE) & (py >= 0) & (py < SIZE)
        inside = np.zeros(len(t), int)
        inside[ok] = mask[py[ok], px[ok]]
        edges = np.flatnonzero(np.diff(np.r_[0, inside, 0]))
        for lo, hi in zip(t[edges[::2]], t[edges[1::2] - 1], strict=True):
            ta, tb = lo + inset + rng.normal(0, 2), hi - inset - rng.normal(0, 2)
            if tb < ta:
                ta = tb = (lo + hi) / 2
            prev = next((st for st in strokes if st[2] == row - 1 and st[1][0] <= hi and lo <= st[1][1]), None)
            if prev is None:
                prev = [[], None, None, False]
                strokes.append(prev)
            fwd = not prev[3]
            ends = (ta, tb) if fwd else (tb, ta)
            prev[0] += [o * nrm + ends[0] * u, o * nrm + ends[1] * u]
            prev[1:] = [(lo, hi), row, fwd]
    return [np.array(st[0]) for st in strokes]


def place(sk, style, rng):
    """Map the sketch to canvas pixels: flip, lopsided warp, stretch, tilt, size and off-centre position."""
    parts = sk.shapes + sk.lines + sk.details
    pts = np.vstack(parts)
    lo, hi = pts.min(0), pts.max(0)
    centre, half = (lo + hi) / 2, (hi - lo).max() / 2
    k = rng.normal(0, 0.04, 4)
    stretch = np.exp(rng.normal(0, 0.08)) ** np.array([0.5, -0.5])
    if sk.flippable and rng.random() < 0.5:
        stretch[0] *= -1
    a = math.radians(float(np.clip(rng.normal(0, 6), -15, 15)))
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])

    def warp(p):
        x, y = ((p - centre) / half).T
        q = np.stack([x * (1 + k[0] * y) + k[1] * y * y, y + k[2] * x + k[3] * x * x], axis=1)
        return (q * stretch) @ rot.T

    parts = [warp(p) for p in parts]
    pts = np.vstack(parts)
    lo, hi = pts.min(0), pts.max(0)
    size = float(np.clip(rng.normal(0.76, 0.13), 0.35 if style == "filled" else 0.45, 0.95))
    scale = (SIZE * size - 20) / (hi - lo).max()
    margin = 13
    room = SIZE - 2 * margin - (hi - lo) * scale
    pos = margin + room * (rng.uniform(size=2) + rng.uniform(size=2)) / 2 - lo * scale
    parts = [p * scale + pos for p in parts]
    n1, n2 = len(sk.shapes), len(sk.shapes) + len(sk.lines)
    return parts[:n1], parts[n1:n2], parts[n2:], size


def render(strokes, solids, pen):
    """Draw filled polygons and round-pen strokes in black on a white RGB canvas."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    for poly in solids:
        draw.polygon([tuple(p) for p in poly], fill=0)
    r = pen / 2
    for stroke in strokes:
        pts = [tuple(p) for p in stroke]
        draw.line(pts, fill=0, width=pen)
        for x, y in pts:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one student drawing of class `label` in `style`; return one RGB canvas per pen width."""
    if not isinstance(label, (int, np.integer)) or not 0 <= label < len(BUILDERS):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    sketch = BUILDERS[label](rng)
    while style == "filled" and not sketch.fillable:
        sketch = BUILDERS[label](rng)
    shapes, lines, details, size = place(sketch, style, rng)
    hand = dict(
        amp=rng.uniform(0.5, 2.8), knot=rng.uniform(12, 40), smooth=int(rng.integers(1, 7)), step=rng.uniform(4, 14)
    )
    contours = [contour(p, rng, hand) for p in shapes]
    outline = [s for c in contours for s in c]
    strokes = [mouse(line, rng, hand) for line in lines]
    solids = []
    if style == "outline":
        keep = min(1.0, max(0.4, (size - 0.3) / 0.4))  # small drawings get fewer inner lines
        strokes += outline + [mouse(d, rng, hand) for d in details if rng.random() < keep]
    else:
        fills = [np.vstack(c) for c in contours]
        mode = rng.choice(["solid", "scribble+outline", "scribble"], p=[0.4, 0.4, 0.2])
        if mode != "scribble":
            strokes += outline
        if mode == "solid":
            solids = fills
        else:
            inset = rng.uniform(6, 12) if mode == "scribble+outline" else rng.uniform(7, 11)
            scribbler = dict(hand, step=4, smooth=1)
            strokes += [mouse(h, rng, scribbler, calm=0.5) for h in hatch(fills, rng, inset)]
    return [render(strokes, solids, pen) for pen in pens]
