"""Hand F: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 6).

Students aged 13-16 were asked to draw one of ten things -- T-shirt/top,
trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot -- on
a 280x280 white canvas with a round black brush (pen 22 or 18 px).  Some
colour the garment in ("filled": solid or scribbled), others draw only the
outline plus the inner lines that matter to them ("outline": collar, buttons,
zip, pockets, laces, straps, seams, handle).

Each class has several shape variants built in a unit frame (y points down,
garments seen from the front, shoes from the side).  The sketch is then placed
(size, tilt, mirror, off-centre) and traced the way a hand on a mouse does it:
wobbly, sparsely sampled strokes, rounded or sharp corners, loose ends.
"""

import math

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280
MARGIN = 18
STYLES = ("filled", "outline")


class Sketch:
    """Geometry of one drawing in the unit frame.

    body: closed outlines, coloured in for the filled style;
    line: strokes drawn in both styles (handles, straps);
    detail: inner lines drawn only in the outline style;
    extra: optional inner lines, often skipped when the drawing is small.
    """

    def __init__(self):
        """Start an empty sketch."""
        self.parts = {"body": [], "line": [], "detail": [], "extra": []}

    def add(self, kind, *polylines, closed=False, keep=True):
        """Add polylines of the given kind (a single point is a dot), unless keep is false."""
        if keep:
            self.parts[kind] += [(np.asarray(p, float).reshape(-1, 2), closed) for p in polylines]


# ----------------------------------------------------------------- geometry
def arc(cx, cy, rx, ry, a0, a1, n=12):
    """Points on an ellipse arc; angles in degrees, 0 = +x, 90 = down."""
    t = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def quad(p0, c, p1, n=8):
    """Quadratic Bezier curve from p0 to p1 pulled towards c."""
    t = np.linspace(0, 1, n)[:, None]
    p0, c, p1 = (np.asarray(v, float) for v in (p0, c, p1))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * c + t**2 * p1


def sag(x0, x1, y, depth, n=8):
    """Curve from (x0, y) to (x1, y) dipping by depth in the middle."""
    return quad((x0, y), ((x0 + x1) / 2, y + 2 * depth), (x1, y), n)


def rect(x0, y0, x1, y1):
    """Corners of an axis-aligned rectangle."""
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def symbol(kind, cx, cy, s):
    """A small closed motif students put on clothes: heart, star or circle."""
    t = np.linspace(0, 2 * np.pi, 25)
    if kind == "heart":
        x = 16 * np.sin(t) ** 3
        y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
        return np.column_stack([cx + x * s / 16, cy + y * s / 16])
    if kind == "star":
        a = np.radians(-90 + 36 * np.arange(10))
        rad = np.where(np.arange(10) % 2 == 0, s, s * 0.45)
        return np.column_stack([cx + rad * np.cos(a), cy + rad * np.sin(a)])
    return np.column_stack([cx + s * np.cos(t), cy + s * np.sin(t)])


def chaikin(pts, closed, iters):
    """Round corners by Chaikin corner cutting."""
    for _ in range(iters):
        if len(pts) < 3:
            break
        a = pts if closed else pts[:-1]
        b = np.roll(pts, -1, axis=0) if closed else pts[1:]
        cut = np.empty((2 * len(a), 2))
        cut[0::2], cut[1::2] = 0.75 * a + 0.25 * b, 0.25 * a + 0.75 * b
        pts = cut if closed else np.vstack([pts[:1], cut, pts[-1:]])
    return pts


def mirrored(right, left):
    """Closed outline from two half outlines, both given on the +x side from top to bottom."""
    left = np.asarray(left, float) * [-1, 1]
    return np.vstack([right, left[::-1][1:-1]])


# ------------------------------------------------------------ garment parts
def garment_half(p, rng):
    """Right half of a front-view garment from neck centre to hem centre, plus anchors."""
    top, nd = p["top"], p["nd"]
    nw = p["nw"] + rng.normal(0, 0.012)
    neck = {
        "round": [(0, top + nd), (nw * 0.7, top + nd * 0.8), (nw, top)],
        "v": [(0, top + nd), (nw, top)],
        "collar": [(0, top + nd), (nw, top - 0.03)],
        "turtle": [(0, top - nd), (nw * 0.95, top - nd), (nw, top)],
        "hood": list(arc(0, top - nd * 0.45, nw + 0.1, nd * 0.55, -90, 50, 10)),
    }  # hood up around the face
    pts, anchors = neck[p["neck"]], {}
    sy, bw = top + p["drop"] + rng.normal(0, 0.02), p["bw"] + rng.normal(0, 0.015)
    if p["sleeve"]:
        a = math.radians(p["ang"] + rng.normal(0, 5))
        d, n = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
        reach = p["cw"] * p["pit"]
        sh = np.array([max(bw + reach * math.sin(a), nw + 0.08), sy])
        out = sh + (p["L"] + rng.normal(0, 0.03)) * d
        inn, pit = out + p["cw"] * n, sh + reach * n
        pts += [sh, out, inn, pit]
        anchors.update(sh=sh, out=out, inn=inn)
    else:  # straps and armholes
        sh = np.array([nw + p["strap"], top + 0.01])
        pit = np.array([bw, top + p["hole"]])
        pts += list(quad(sh, (sh[0] + 0.01, pit[1]), pit, 6))
    side = [pit] + ([np.array([p["ww"] + rng.normal(0, 0.015), p["wy"]])] if "wy" in p else [])
    hw, hem, t = p["hw"] + rng.normal(0, 0.02), p["hem"], np.linspace(0, 1, 13)
    bottom = {
        "tail": [(hw, hem - 0.1), (hw * 0.55, hem - 0.01), (0, hem + 0.03)],  # curved shirt tail
        "band": [(hw, hem - p.get("band", 0)), (hw - 0.03, hem), (0, hem)],  # gathered rib band
        "open": [(hw, hem), (0.04, hem), (0, hem - p.get("slit", 0))],  # coat open at the bottom
        "wave": list(np.column_stack([hw * (1 - t), hem + 0.07 * np.abs(np.sin(np.pi * 3 * t))])),
        "straight": [(hw, hem), (0, hem + rng.uniform(-0.02, 0.04))],
    }[p.get("hem_kind", "straight")]
    side.append(np.asarray(bottom[0], float))
    anchors["side"] = np.array(side)
    return np.vstack([np.asarray(pts, float), side[1:-1] or np.empty((0, 2)), bottom]), anchors


def garment(sk, p, rng):
    """Add a lopsided front-view garment outline; return right and left anchors."""
    right, ar = garment_half(p, rng)
    left, al = garment_half(p, rng)
    sk.add("body", mirrored(right, left), closed=True)
    return ar, {k: v * np.array([-1.0, 1.0]) for k, v in al.items()}


def across(ar, al, y, inset=0.02):
    """Horizontal line across the body at height y, between the sides given by the anchors."""
    return [(np.interp(y, a["side"][:, 1], a["side"][:, 0]) + sg * inset, y) for a, sg in ((al, 1), (ar, -1))]


def cuff(a, back):
    """Cuff line across a sleeve, back from its end."""
    d = (a["out"] - a["sh"]) / np.linalg.norm(a["out"] - a["sh"])
    return [a["out"] - d * back, a["inn"] - d * back]


def long_arms(rng):
    """Angle and length of long sleeves: hanging down, held diagonally, or held out."""
    pose = rng.choice(["down", "diagonal", "out"], p=[0.4, 0.4, 0.2])
    lo, hi = {"down": (72, 84), "diagonal": (45, 65), "out": (15, 40)}[pose]
    return dict(ang=rng.uniform(lo, hi), L=rng.uniform(0.8, 1.0) * (1.05 if pose == "down" else 1))


def neck_rib(p):
    """Second line inside the neckline (rib/neckband)."""
    top, nw, nd = p["top"], p["nw"], p["nd"]
    if p["neck"] == "v":
        return [(-nw - 0.05, top + 0.02), (0, top + nd + 0.09), (nw + 0.05, top + 0.02)]
    if p["neck"] == "turtle":
        return [(-nw, top - nd * 0.45), (nw, top - nd * 0.45)]
    return sag(-nw - 0.05, nw + 0.05, top + 0.01, nd + 0.06)


def hood_face(sk, p):
    """Face opening inside a raised hood."""
    sk.add("detail", arc(0, p["top"] - p["nd"] * 0.35, p["nw"] * 0.85, p["nd"] * 0.45, 0, 360, 16), closed=True)


# ------------------------------------------------------------------ classes
def draw_tshirt(sk, rng):
    """T-shirt/top: classic, boxy or fitted short-sleeved tee, or a sleeveless tank top."""
    r = rng.uniform
    v = rng.choice(["classic", "boxy", "fitted", "tank"], p=[0.35, 0.25, 0.2, 0.2])
    p = dict(
        top=-0.75,
        nw=r(0.13, 0.2),
        neck=rng.choice(["round", "round", "v"]),
        nd=r(0.08, 0.18),
        drop=r(0.04, 0.12),
        sleeve=True,
        L=r(0.28, 0.42),
        ang=r(25, 45),
        cw=r(0.2, 0.28),
        pit=r(1, 1.15),
        bw=r(0.32, 0.42),
        hem=r(0.7, 0.9),
    )
    p.update(
        {
            "boxy": dict(ang=r(0, 15), L=r(0.3, 0.45), cw=r(0.24, 0.32), bw=r(0.4, 0.5), hem=r(0.5, 0.75)),
            "fitted": dict(ang=r(30, 50), L=r(0.18, 0.28), cw=r(0.16, 0.22), bw=r(0.3, 0.36), wy=r(0, 0.2)),
            "tank": dict(sleeve=False, strap=r(0.07, 0.13), hole=r(0.3, 0.42), nd=r(0.18, 0.3), neck="round"),
        }.get(v, {})
    )
    p["ww"], p["hw"] = p["bw"] - r(0.03, 0.08), p["bw"] + r(-0.02, 0.06)
    ar, al = garment(sk, p, rng)
    sk.add("detail", neck_rib(p), keep=rng.random() < 0.4)
    if p["sleeve"]:
        sk.add("extra", cuff(ar, 0.07), cuff(al, 0.07), keep=rng.random() < 0.4)
    motif = symbol(rng.choice(["heart", "star", "circle"]), r(-0.1, 0.1), p["top"] + r(0.4, 0.55), r(0.1, 0.17))
    sk.add("extra", motif, closed=True, keep=rng.random() < 0.3)


def draw_trouser(sk, rng):
    """Trouser: straight, wide/flared, skinny or legs-apart, with waistband, fly and pockets."""
    r = rng.uniform
    v = rng.choice(["straight", "wide", "skinny", "apart"], p=[0.35, 0.25, 0.2, 0.2])
    top, hem, ww = -0.95, r(0.85, 1.0), r(0.36, 0.48)
    hip, crotch, wb = ww + r(0.01, 0.05), r(-0.5, -0.3), r(0.08, 0.14)
    ranges = {
        "straight": (0.2, 0.28, -0.02, 0.04),
        "wide": (0.16, 0.22, 0.12, 0.22),
        "skinny": (0.18, 0.25, 0.22, 0.28),
        "apart": (0.25, 0.35, 0.28, 0.36),
    }[v]
    hi = r(*ranges[:2])  # inner and outer x of a leg at the hem
    ho = (hip if v in ("straight", "wide") else hi) + r(*ranges[2:])
    halves = [
        [
            (0, top),
            (ww + j[0], top),
            (hip + j[1], -0.5),
            (ho + j[2], hem),
            (hi, hem + j[3]),
            (hi * 0.85, crotch + 0.12),
            (0.06, crotch + 0.02),
            (0, crotch),
        ]
        for j in rng.normal(0, 0.015, (2, 4))
    ]
    sk.add("body", mirrored(*halves), closed=True)
    band_x = ww + (hip - ww) * wb / 0.45 - 0.02
    sk.add("detail", [(-band_x, top + wb), (band_x, top + wb)], keep=rng.random() < 0.75)
    fly = [(0.07, top + wb), (0.07, crotch - 0.1), (0, crotch - 0.02)]  # J-shaped zip fly, or a plain centre line
    fly = fly if rng.random() < 0.5 else [(0, top + wb), (0, crotch)]
    sk.add("detail", fly, keep=rng.random() < 0.6)
    for sg in (1, -1):
        sk.add(
            "extra",
            quad((sg * (ww - 0.14), top + wb), (sg * (ww - 0.12), -0.58), (sg * hip, -0.56)),
            keep=rng.random() < 0.45,
        )
        sk.add(
            "extra", [(sg * (hi + ho) / 2, crotch + 0.15), (sg * (hi + ho) / 2, hem - 0.06)], keep=rng.random() < 0.2
        )
        sk.add("extra", [(sg * (hi + 0.02), hem - 0.09), (sg * (ho - 0.02), hem - 0.09)], keep=rng.random() < 0.2)


def draw_pullover(sk, rng):
    """Pullover: long sleeves, ribbed cuffs and hem band; crew neck, hoodie or turtleneck."""
    r = rng.uniform
    v = rng.choice(["crew", "hoodie", "turtle"], p=[0.5, 0.3, 0.2])
    p = dict(
        top=-0.7,
        nw=r(0.13, 0.19),
        neck="round",
        nd=r(0.06, 0.12),
        drop=r(0.05, 0.12),
        sleeve=True,
        cw=r(0.19, 0.26),
        pit=r(1, 1.15),
        bw=r(0.33, 0.42),
        hem=r(0.55, 0.8),
        hem_kind="band",
        band=r(0.08, 0.13),
        **long_arms(rng),
    )
    p.update(
        {
            "hoodie": dict(neck="hood", nd=r(0.32, 0.45), nw=r(0.16, 0.2)),
            "turtle": dict(neck="turtle", nd=r(0.1, 0.18)),
        }.get(v, {})
    )
    p["hw"] = p["bw"] - r(0, 0.04)
    ar, al = garment(sk, p, rng)
    top, low = p["top"], p["hem"] - p["band"]
    if v == "hoodie":
        hood_face(sk, p)
        sk.add("extra", *([(sg * 0.07, top + 0.03), (sg * 0.09, top + r(0.2, 0.3))] for sg in (1, -1)))
        y0 = low - r(0.28, 0.38)
        sk.add(
            "detail",
            [(-0.3, low - 0.03), (-0.2, y0), (0.2, y0), (0.3, low - 0.03)],
            closed=True,
            keep=rng.random() < 0.7,
        )
    else:
        sk.add("detail", neck_rib(p))
    back = r(0.08, 0.12)
    sk.add("detail", cuff(ar, back), cuff(al, back), keep=rng.random() < 0.65)
    sk.add("detail", across(ar, al, low), keep=rng.random() < 0.6)
    if rng.random() < 0.3:
        stripes = rng.random() < 0.5
        sk.add("extra", across(ar, al, top + 0.3), across(ar, al, top + 0.45), keep=stripes)
        sk.add(
            "extra", symbol(rng.choice(["heart", "star"]), 0, top + 0.45, r(0.12, 0.18)), closed=True, keep=not stripes
        )


def draw_dress(sk, rng):
    """Dress: strappy A-line, short-sleeved belted, long gown, or straight shift."""
    r = rng.uniform
    v = rng.choice(["strap", "sleeve", "gown", "shift"], p=[0.3, 0.3, 0.2, 0.2])
    p = dict(
        top=-0.85,
        nw=r(0.12, 0.18),
        neck=rng.choice(["round", "v"]),
        nd=r(0.1, 0.25),
        drop=r(0.02, 0.08),
        sleeve=False,
        strap=r(0.05, 0.1),
        hole=r(0.22, 0.32),
        bw=r(0.22, 0.3),
        wy=r(-0.3, -0.1),
        ww=r(0.16, 0.22),
        hem=r(0.6, 0.95),
        hw=r(0.5, 0.85),
        hem_kind=rng.choice(["straight", "wave"], p=[0.7, 0.3]),
        L=r(0.12, 0.25),
        ang=r(25, 50),
        cw=r(0.14, 0.2),
        pit=1.0,
    )
    if v == "sleeve":
        p.update(sleeve=True, bw=r(0.24, 0.3), hw=r(0.45, 0.75))
        if rng.random() < 0.12:
            p.update(L=r(0.6, 0.8), ang=r(55, 70))
    elif v == "gown":
        p.update(wy=r(-0.25, -0.05), ww=r(0.15, 0.2), hem=r(1.0, 1.1), hw=r(0.35, 0.6), sleeve=rng.random() < 0.3)
    elif v == "shift":
        del p["wy"]
        p.update(bw=r(0.26, 0.34), hem=r(0.6, 0.9), hw=r(0.42, 0.6), sleeve=rng.random() < 0.4)
    ar, al = garment(sk, p, rng)
    y0 = p.get("wy", p["top"] + p["hole"])
    if "wy" in p:
        belt = rng.random() < 0.2
        sk.add("detail", across(ar, al, y0 - 0.04, 0), across(ar, al, y0 + 0.04, 0), keep=belt)
        bow = [(0, y0), (-0.12, y0 - 0.07), (-0.12, y0 + 0.07), (0, y0), (0.12, y0 - 0.07), (0.12, y0 + 0.07), (0, y0)]
        sk.add("extra", bow, keep=belt)
        sk.add("detail", across(ar, al, y0, 0), keep=not belt and rng.random() < 0.7)
    if rng.random() < 0.4:
        sk.add(
            "extra",
            *(
                [(x * p["ww"], y0 + 0.1), (x * p["hw"] * 1.2, p["hem"] - 0.08)]
                for x in np.linspace(-0.5, 0.5, rng.integers(2, 5))
            ),
        )
    elif rng.random() < 0.3:
        y, t = (y0 + p["hem"]) / 2, np.linspace(-1, 1, 13)
        sk.add("extra", np.column_stack([t * across(ar, al, y, 0.03)[1][0], y + 0.05 * np.abs(np.sin(2 * np.pi * t))]))


def draw_coat(sk, rng):
    """Coat: long buttoned coat with lapels, hooded zip parka, belted trench, or open coat."""
    r = rng.uniform
    v = rng.choice(["buttoned", "parka", "trench", "open"], p=[0.35, 0.25, 0.2, 0.2])
    p = dict(
        top=-0.85,
        nw=r(0.12, 0.17),
        neck="v",
        nd=r(0.3, 0.5),
        drop=r(0.05, 0.12),
        sleeve=True,
        cw=r(0.2, 0.27),
        pit=r(1, 1.15),
        bw=r(0.34, 0.42),
        hem=r(1.05, 1.3),
        **long_arms(rng),
    )
    p.update(
        {
            "parka": dict(neck="hood", nd=r(0.3, 0.42), nw=r(0.16, 0.2)),
            "trench": dict(wy=r(-0.15, 0.05), ww=p["bw"] - r(0, 0.04)),
            "open": dict(hem_kind="open", slit=r(0.25, 0.45)),
        }.get(v, {})
    )
    p["hw"] = p["bw"] + r(0.02, 0.12)
    ar, al = garment(sk, p, rng)
    top, nd, nw = p["top"], p["nd"], p["nw"]
    y_open = top + (0.05 if v == "parka" else nd)
    y_end = p["hem"] - p.get("slit", 0)
    sk.add("detail", [(0, y_open), (r(-0.03, 0.03), (y_open + y_end) / 2), (0, y_end)])
    if v == "parka":
        hood_face(sk, p)
        sk.add("extra", [(0.05, y_open + 0.1)])
    else:
        sk.add(
            "detail",
            *([(sg * nw, top), (sg * (nw + r(0.08, 0.14)), top + nd * 0.5), (sg * 0.03, top + nd)] for sg in (1, -1)),
            keep=rng.random() < 0.75,
        )
        lowest = p["wy"] - 0.08 if v == "trench" else y_end - 0.15
        n = int(rng.integers(3, 5 if v == "trench" else 6))
        for x in (-0.17, 0.17) if v == "trench" else (r(-0.16, -0.11),):
            sk.add("detail", *([(x, y)] for y in np.linspace(y_open + 0.1, lowest, n)))
    if v == "trench":
        wy = p["wy"]
        sk.add("detail", across(ar, al, wy - 0.045, 0), across(ar, al, wy + 0.045, 0))
        sk.add("extra", rect(-0.07, wy - 0.07, 0.07, wy + 0.07), closed=True)
    y = p["hem"] - r(0.3, 0.42)
    flaps = rng.random() < 0.5
    sk.add(
        "extra",
        *(rect(sg * 0.14, y, sg * 0.32, y + 0.12) if flaps else [(sg * 0.14, y), (sg * 0.32, y)] for sg in (1, -1)),
        closed=flaps,
        keep=rng.random() < 0.6,
    )
    sk.add("extra", cuff(ar, 0.1), cuff(al, 0.1), keep=rng.random() < 0.4)


def draw_shirt(sk, rng):
    """Shirt: pointed collar, button placket, curved tail; long or short sleeves, polo, or checked."""
    r = rng.uniform
    v = rng.choice(["long", "short", "polo", "check"], p=[0.42, 0.3, 0.16, 0.12])
    p = dict(
        top=-0.75,
        nw=r(0.13, 0.18),
        neck="collar",
        nd=r(0.03, 0.08),
        drop=r(0.06, 0.12),
        sleeve=True,
        cw=r(0.18, 0.24),
        pit=r(1, 1.15),
        bw=r(0.33, 0.42),
        hem=r(0.7, 0.95),
        hem_kind="tail",
        **long_arms(rng),
    )
    if v in ("short", "polo"):
        p.update(L=r(0.25, 0.38), ang=r(25, 45), cw=r(0.2, 0.27))
    p["hw"] = p["bw"] + r(-0.02, 0.04)
    ar, al = garment(sk, p, rng)
    top, nw, cd = p["top"], p["nw"], r(0.2, 0.28)
    sk.add(
        "detail",
        *(
            [
                (sg * nw, top - 0.03),
                (sg * 0.02, top + cd),
                (sg * (nw + r(0.12, 0.18)), top + cd * r(0.6, 0.85)),
                (sg * (nw + 0.12), top + 0.02),
            ]
            for sg in (1, -1)
        ),
    )
    y_end = top + r(0.3, 0.4) if v == "polo" else p["hem"] + 0.02
    placket = rng.random() < 0.75
    sk.add("detail", [(0, top + cd), (0, y_end)], keep=placket)
    n, dx = int(rng.integers(2, 4) if v == "polo" else rng.integers(3, 6)), r(0.06, 0.09) * placket
    sk.add("detail", *([(dx, y)] for y in np.linspace(top + cd + 0.08, y_end - 0.12, n)))
    sg = rng.choice([-1, 1])
    sk.add(
        "extra", rect(sg * 0.13, top + 0.3, sg * 0.3, top + 0.48), closed=True, keep=v != "polo" and rng.random() < 0.45
    )
    if v in ("long", "check"):
        back = r(0.08, 0.12)
        sk.add("detail", cuff(ar, back), cuff(al, back), keep=rng.random() < 0.55)
    if v == "check":
        sk.add("extra", *([(x * p["bw"], top + cd + 0.05), (x * p["bw"], p["hem"] - 0.08)] for x in (-0.5, 0.5)))
        sk.add("extra", *(across(ar, al, y) for y in np.linspace(top + 0.35, p["hem"] - 0.2, 3)))


def draw_sandal(sk, rng):
    """Sandal: flat strappy sandal or high-heeled sandal (side view), slide, or flip-flop from above."""
    r = rng.uniform
    v = rng.choice(["flat", "heel", "slide", "flipflop"], p=[0.4, 0.28, 0.2, 0.12])
    g, st = 0.35, r(0.07, 0.13)
    if v == "flipflop":
        turn = np.array([[0, -1], [1, 0]]) if rng.random() < 0.4 else np.eye(2)  # toe up or sideways
        t = np.linspace(0, 2 * np.pi, 36, endpoint=False)
        x = np.cos(t)
        y = np.sin(t) * (0.36 + 0.07 * x) - 0.06 * np.exp(-(((x + 0.1) / 0.35) ** 2)) * (np.sin(t) > 0)
        thong = (r(0.55, 0.68), 0)
        sk.add("body", np.column_stack([x, y]) @ turn, closed=True)
        sk.add("line", *(quad(thong, (0.3, sg * 0.3), (r(-0.05, 0.08), sg * 0.36), 7) @ turn for sg in (1, -1)))
        sk.add("detail", np.array([thong]) @ turn)
        return
    if v == "heel":
        hy, hx = r(-0.4, -0.15), r(-0.85, -0.7)
        upper = np.vstack([[(-1, hy)], quad((-0.65, hy + 0.02), (-0.1, hy + 0.05), (0.35, g - st)), [(0.95, g - st)]])
        sk.add("body", np.vstack([upper, [(1.02, g - st * 0.4)], (upper + [0, st])[::-1]]), closed=True)
        stiletto = rng.random() < 0.5
        sk.add("line", [(hx - 0.04, hy + st), (hx + r(-0.02, 0.06), g)], keep=stiletto)
        block = [(hx - 0.12, hy + st), (hx + 0.06, hy + st), (hx + 0.03, g), (hx - 0.1, g)]
        sk.add("body", block, closed=True, keep=not stiletto)
        sk.add("line", arc(r(0.5, 0.65), g - st, r(0.2, 0.28), r(0.25, 0.35), 180, 360, 9))
        seat, ring_y = (-0.97, hy), hy - r(0.25, 0.35)
    else:
        sole = [(-1, g), (0.92, g), (1.02, g - st * 0.5), (0.93, g - st), (-0.96, g - st), (-1.03, g - st * 0.5)]
        sk.add("body", sole, closed=True)
        if v == "slide":
            cx, w, h = r(0.2, 0.4), r(0.38, 0.5), r(0.3, 0.42)
            sk.add("body", arc(cx, g - st, w, h, 180, 360, 11), closed=True)
            sk.add("extra", symbol("star", cx, g - st - h * 0.45, 0.08), closed=True, keep=rng.random() < 0.4)
            return
        for cx in np.linspace(0.6, -0.05, 3)[: rng.integers(2, 4)]:
            sk.add(
                "line", arc(cx + r(-0.05, 0.05), g - st, r(0.17, 0.24), r(0.3, 0.4) + (0.6 - cx) * 0.35, 180, 360, 9)
            )
        seat, ring_y = (-0.88, g - st), g - st - r(0.55, 0.75)
    if v == "heel" or rng.random() < 0.8:  # ankle strap: up from the heel, then round the ankle
        sk.add("line", [seat, (seat[0] + 0.08, ring_y)])
        sk.add("line", arc(-0.62, ring_y, r(0.25, 0.33), r(0.06, 0.1), 0, 360, 14), closed=True)
        sk.add("line", [(-0.35, ring_y + 0.03), (r(0.0, 0.2), g - st)], keep=v == "flat" and rng.random() < 0.35)


def draw_sneaker(sk, rng):
    """Sneaker, side view: classic lace-up, chunky runner, or low slip-on."""
    r = rng.uniform
    v = rng.choice(["classic", "chunky", "slipon"], p=[0.45, 0.3, 0.25])
    g, H, st, th = 0.35, r(0.75, 0.95), r(0.17, 0.24), r(0.3, 0.4)
    H, st, th = {"chunky": (r(0.85, 1.05), r(0.28, 0.38), r(0.42, 0.5)), "slipon": (r(0.6, 0.72), st, th)}.get(
        v, (H, st, th)
    )
    lace0, tongue = np.array([0.42, g - th - 0.08]), np.array([r(-0.15, 0.05), g - H])
    sk.add(
        "body",
        [
            (-0.95, g),
            (0.85, g),
            (1.0, g - th * 0.5),
            (0.82, g - th),
            lace0,
            tongue,
            (-0.45, g - H * r(0.8, 0.88)),
            (-0.85, g - H * r(0.88, 0.96)),
            (-1.0, g - H * 0.45),
        ],
        closed=True,
    )
    sk.add("detail", [(-0.99, g - st), (0.97, g - st)])
    t = np.linspace(-0.95, 0.9, 15)
    sk.add(
        "extra", np.column_stack([t, g - st * 0.5 + 0.04 * np.sin(t * 14)]), keep=v == "chunky" and rng.random() < 0.6
    )
    if v == "slipon":
        sk.add("detail", quad((0.5, g - st), (0.55, g - th - 0.05), (0.86, g - th + 0.02)))
    else:
        d = tongue - lace0
        nrm = np.array([-d[1], d[0]]) / np.linalg.norm(d)
        centres = [lace0 + d * t - nrm * 0.05 for t in np.linspace(0.15, 0.8, rng.integers(2, 5))]
        sk.add("detail", *([c - nrm * 0.09, c + nrm * 0.09] for c in centres))
    if rng.random() < 0.55:
        swoosh = rng.random() < 0.5
        sk.add("extra", quad((0.35, g - st - 0.22), (0.05, g - st - 0.02), (-0.6, g - H * 0.6)), keep=swoosh)
        sk.add(
            "extra",
            *([(x, g - st - 0.03), (x - 0.22, g - H * 0.7)] for x in (0, -0.22, -0.44)[: rng.integers(2, 4)]),
            keep=not swoosh,
        )


def draw_boot(sk, rng):
    """Ankle boot, side view: Chelsea, heeled, lace-up combat, or fur-trimmed winter boot."""
    r = rng.uniform
    v = rng.choice(["chelsea", "heeled", "laceup", "winter"], p=[0.3, 0.25, 0.25, 0.2])
    g, H, th, st, hh = 0.35, r(1.2, 1.55), r(0.3, 0.4), r(0.08, 0.14), r(0.06, 0.12)
    bx, fx, hf, tip = r(-0.92, -0.78), r(-0.25, 0), r(-0.55, -0.42), 1.0  # back, front, heel front, toe tip
    if v == "heeled":
        hh, th, tip = r(0.3, 0.45), r(0.22, 0.3), r(1.05, 1.12)
    elif v != "chelsea":
        st = r(0.16, 0.24)
    sk.add(
        "body",
        [
            (bx + 0.05, g),
            (hf, g),
            (hf + 0.05, g - hh),
            (0.15, g - hh * 0.45),
            (0.55, g - 0.01),
            (0.85, g),
            (tip, g - th * 0.4),
            (0.85, g - th),
            (0.3, g - th - 0.12),
            (fx + 0.05, g - H * 0.55),
            (fx, g - H),
            (bx + 0.06, g - H),
            (bx, g - H * 0.5),
            (bx - 0.02, g - hh),
        ],
        closed=True,
    )
    if v == "heeled":
        sk.add("detail", [(bx, g - hh), (hf + 0.05, g - hh)])
        sk.add(
            "extra",
            [(bx + 0.17, g - H + 0.06), (bx + 0.19, g - H * 0.45)],
            [(bx + 0.17, g - H + 0.1)],
            keep=rng.random() < 0.5,
        )
    else:
        sk.add("detail", [(bx - 0.03, g - st), (0.98, g - st)])
    if v == "chelsea":
        c = (fx + bx) / 2 + 0.05
        sk.add("detail", quad((c - 0.13, g - H), (c, g - H * 0.2), (c + 0.13, g - H)))
        sk.add(
            "extra", quad((bx + 0.06, g - H), (bx - 0.06, g - H - 0.25), (bx + 0.22, g - H)), keep=rng.random() < 0.6
        )
    elif v == "laceup":
        ys = np.linspace(g - th - 0.1, g - H + 0.08, rng.integers(4, 7))
        xs = np.interp(ys, [g - H, g - H * 0.55, g - th - 0.12], [fx, fx + 0.05, 0.3])
        xs -= np.where(np.arange(len(ys)) % 2, 0.18, 0.02)  # zig-zag between the front edge and the eyelets
        sk.add("detail", np.column_stack([xs, ys]))
        sk.add("extra", [(fx, g - H + 0.1), (bx + 0.06, g - H + 0.12)])
    elif v == "winter":
        t = np.linspace(0, 1, 13)
        xs, bumps = bx - 0.07 + (fx + 0.14 - bx) * t, np.abs(np.sin(np.pi * 4 * t))
        top_edge, low_edge = (
            np.column_stack([xs, g - H + dy + amp * bumps]) for dy, amp in ((-0.06, -0.04), (0.28, 0.05))
        )
        sk.add("body", np.vstack([top_edge, low_edge[::-1]]), closed=True)


def draw_bag(sk, rng):
    """Bag: handbag with arched handle, tote with two handles, shoulder bag with flap, or backpack."""
    r = rng.uniform
    v = rng.choice(["handbag", "tote", "shoulder", "backpack"], p=[0.35, 0.25, 0.25, 0.15])
    if v == "handbag":
        wt, wb, h = r(0.6, 0.85), r(0.8, 1.05), r(0.75, 1.0)
        y0, y1 = -h * 0.3, h * 0.7
        sk.add(
            "body",
            [(-wt, y0), (wt, y0), (wb, y1 - 0.12), (wb - 0.12, y1), (-wb + 0.12, y1), (-wb, y1 - 0.12)],
            closed=True,
        )
        sk.add("line", arc(0, y0, r(0.25, 0.45), r(0.35, 0.6), 180, 360, 13))
        flap, depth, seam = rng.random() < 0.5, r(0.2, 0.35), rng.random() < 0.6
        sk.add("detail", sag(-wt - 0.03, wt + 0.03, y0 + 0.04, depth), [(0, y0 + 0.04 + depth)], keep=flap)
        sk.add("detail", [(-wt - 0.03, y0 + 0.18), (wt + 0.03, y0 + 0.18)], [(0, y0 + 0.18)], keep=not flap and seam)
    elif v == "tote":
        w, h, bot, hx = r(0.65, 0.9), r(1.1, 1.5), r(0.85, 1.05), r(0.2, 0.35)
        y0 = -h * 0.35
        sk.add("body", [(-w, y0), (w, y0), (w * bot, y0 + h), (-w * bot, y0 + h)], closed=True)
        sk.add("line", arc(0, y0, hx, r(0.3, 0.5), 180, 360, 13))
        sk.add("line", arc(r(-0.05, 0.05), y0, hx + 0.12, r(0.4, 0.6), 195, 345, 11), keep=rng.random() < 0.6)
        pocket = rng.random() < 0.5
        sk.add("extra", rect(-0.35, y0 + h * 0.45, 0.35, y0 + h * 0.8), closed=True, keep=pocket)
        sk.add("extra", symbol("heart", 0, y0 + h * 0.5, 0.2), closed=True, keep=not pocket and rng.random() < 0.4)
    elif v == "shoulder":
        w, h = r(0.8, 1.0), r(0.7, 1.0)
        y0 = -h * 0.1
        sk.add("body", rect(-w, y0, w, y0 + h), closed=True)
        if rng.random() < 0.5:  # strap hanging from a hook
            sk.add("line", [(-w + r(0.05, 0.15), y0), (r(-0.1, 0.1), y0 - r(0.9, 1.3)), (w - r(0.05, 0.15), y0)])
        else:
            sk.add("line", arc(0, y0, w * r(0.35, 0.6), r(0.6, 0.9), 180, 360, 13))
        sk.add("detail", [(-w, y0 + h * 0.45), (0, y0 + h * 0.62), (w, y0 + h * 0.45)], [(0, y0 + h * 0.62)])
    else:
        w, h, c = r(0.55, 0.75), r(1.2, 1.6), r(0.2, 0.35)
        y0 = -h / 2
        sk.add(
            "body",
            np.vstack(
                [
                    arc(-w + c, y0 + c, c, c, 180, 270, 5),
                    arc(w - c, y0 + c, c, c, 270, 360, 5),
                    [(w, y0 + h), (-w, y0 + h)],
                ]
            ),
            closed=True,
        )
        sk.add("line", arc(0, y0 + 0.02, 0.15, 0.18, 180, 360, 7))
        sk.add("detail", rect(-w * 0.7, y0 + h * 0.55, w * 0.7, y0 + h * 0.9), closed=True)
        sk.add("extra", [(-w * 0.7, y0 + h * 0.65), (w * 0.7, y0 + h * 0.65)])
        sk.add(
            "line",
            *([(sg * (w + 0.06), y0 + 0.25), (sg * (w + 0.1), y0 + h - 0.05)] for sg in (1, -1)),
            keep=rng.random() < 0.5,
        )


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
GARMENTS = (0, 1, 2, 3, 4, 6)


# ------------------------------------------------------------- mouse hand
def resample(path, step):
    """Points every `step` pixels along a polyline."""
    seg = np.linalg.norm(np.diff(path, axis=0), axis=1)
    cum = np.concatenate([[0], np.cumsum(seg)])
    if cum[-1] < step:
        return path[[0, -1]]
    t = np.append(np.arange(0, cum[-1], step), cum[-1])
    return np.column_stack([np.interp(t, cum, path[:, 0]), np.interp(t, cum, path[:, 1])])


def wobble(n, rng):
    """Smooth random offsets (unit spread) for n samples 2 px apart: tremor plus slow drift."""
    out = np.zeros((n, 2))
    for sigma, amp in ((3, 0.6), (15, 1.0)):
        k = np.exp(-0.5 * (np.arange(-3 * sigma, 3 * sigma + 1) / sigma) ** 2)
        k /= np.sqrt((k**2).sum())
        w = rng.normal(size=(n + len(k) - 1, 2))
        out += amp * np.column_stack([np.convolve(w[:, i], k, "valid") for i in range(2)])
    return out


def stretch(d, e_start, e_end):
    """Lengthen (positive) or cut short (negative) a path at both ends by a few pixels."""
    for e, reverse in ((e_end, False), (e_start, True)):
        d = d[::-1] if reverse else d
        if e > 0:
            tangent = d[-1] - d[-min(4, len(d))]
            d = np.vstack([d, d[-1] + tangent / max(np.linalg.norm(tangent), 1e-6) * e])
        elif e < 0:
            d = d[: max(2, len(d) - int(-e / 2))]
        d = d[::-1] if reverse else d
    return d


def sparse(d, rng, step):
    """Keep the pointer samples a mouse would report: a few pixels apart, irregularly."""
    if len(d) <= 2:
        return d
    cum = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(d, axis=0), axis=1))])
    gaps = step * rng.uniform(0.6, 1.4, int(cum[-1] / step / 0.6) + 2)
    idx = np.searchsorted(cum, np.cumsum(gaps)[np.cumsum(gaps) < cum[-1]])
    return d[np.unique(np.concatenate([[0], idx, [len(d) - 1]]))]


def mouse(path, rng, hand, closed=False):
    """Trace a pixel polyline like a hand on a mouse: wobble, sparse samples, loose ends."""
    if len(path) == 1:
        return path + rng.normal(0, 1, 2)
    if closed:  # start anywhere on the loop
        path = np.roll(path, -int(rng.integers(len(path))), axis=0)
    d = resample(np.vstack([path, path[:1]]) if closed else path, 2.0)
    d = d + wobble(len(d), rng) * hand["shake"]
    if closed:
        e = rng.uniform(-8, 14)
        d = np.vstack([d, d[1 : 1 + int(e / 2)]]) if e > 0 else d[: max(2, len(d) - int(-e / 2))]
    else:
        d = stretch(d, rng.uniform(-5, 7), rng.uniform(-5, 7))
    return sparse(d, rng, hand["step"])


def outline_strokes(px, rng, hand):
    """Trace a closed outline in one go, or in two strokes that meet loosely."""
    if rng.random() < 0.35 and len(px) >= 6:
        q = np.roll(px, -int(rng.integers(len(px))), axis=0)
        m = int(rng.integers(len(q) // 4, 3 * len(q) // 4))
        return [mouse(q[: m + 1], rng, hand), mouse(np.vstack([q[m:], q[:1]]), rng, hand)]
    return [mouse(px, rng, hand, closed=True)]


def scribble(poly, rng):
    """Zig-zag colouring-in strokes clipped to a closed outline (pixel coordinates)."""
    ang, gap, slant = rng.uniform(0, np.pi), rng.uniform(11, 19), rng.uniform(-0.3, 0.3)
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    a = poly @ rot
    b = np.roll(a, -1, axis=0)
    chains, lanes, last_count = [], {}, -1
    for k, y in enumerate(np.arange(a[:, 1].min() + gap * rng.uniform(0.3, 0.7), a[:, 1].max(), gap)):
        hit = (a[:, 1] <= y) != (b[:, 1] <= y)
        xs = np.sort(a[hit, 0] + (y - a[hit, 1]) * (b[hit, 0] - a[hit, 0]) / (b[hit, 1] - a[hit, 1]))
        spans = xs.reshape(-1, 2) if len(xs) % 2 == 0 else xs[[0, -1]].reshape(1, 2)
        if len(spans) != last_count:
            lanes, last_count = {}, len(spans)
        for j, (x0, x1) in enumerate(spans):
            x0, x1 = x0 + rng.uniform(-2, 5), x1 - rng.uniform(-2, 5)
            seg = [(x0, y), (max(x1, x0), y + gap * slant)]
            if j not in lanes:
                lanes[j] = []
                chains.append(lanes[j])
            lanes[j].extend(seg[::-1] if k % 2 else seg)
    return [np.array(ch) @ rot.T for ch in chains]


def placement(sk, rng):
    """Random size, tilt, mirror and off-centre position; returns a unit-to-pixel map and its scale."""
    pts = np.vstack([p for items in sk.parts.values() for p, _ in items])
    a = math.radians(float(np.clip(rng.normal(0, 6), -15, 15)))
    mirror = -1 if rng.random() < 0.5 else 1
    m = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    m = m @ np.diag([mirror * rng.uniform(0.88, 1.12), 1])
    q = pts @ m.T
    lo, hi = q.min(0), q.max(0)
    span = 0.33 + 0.55 * rng.beta(2.0, 1.6)
    scale = min(span * SIZE, SIZE - 2 * MARGIN) / (hi - lo).max()
    off = MARGIN + (SIZE - 2 * MARGIN - (hi - lo) * scale) * rng.beta(2.2, 2.2, 2)
    return (lambda p: (p @ m.T - lo) * scale + off), scale


def trace(sk, style, rng, rounding):
    """Turn a unit-frame sketch into pixel strokes and solid polygons for the given style."""
    to_px, scale = placement(sk, rng)
    hand = dict(shake=rng.uniform(0.7, 2.6), step=rng.uniform(4, 14))
    keep_extra = float(np.clip((scale - 50) / 80, 0.2, 1))
    strokes, outlines = [], []
    for kind, items in sk.parts.items():
        for pts, closed in items:
            if kind == "extra" and rng.random() > keep_extra or style == "filled" and kind in ("detail", "extra"):
                continue
            px = to_px(chaikin(pts + rng.normal(0, 0.012, pts.shape), closed, rounding))
            if kind == "body":
                outlines.append(px)
            else:
                strokes.append(mouse(px, rng, hand, closed))
    fills, mode = [], rng.choice(["solid", "scribble"]) if style == "filled" else "none"
    for px in outlines:
        pieces = outline_strokes(px, rng, hand)
        if mode == "solid":
            fills.append(np.vstack(pieces))
        elif mode == "scribble":
            strokes += [mouse(ch, rng, hand) for ch in scribble(np.vstack(pieces), rng)]
        if mode != "scribble" or rng.random() < 0.85:
            strokes += pieces
    return strokes, fills


def render(strokes, fills, pen):
    """Paint strokes with a round brush of diameter `pen` on a white canvas."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw, rad = ImageDraw.Draw(img), pen / 2
    for poly in fills:
        draw.polygon([tuple(p) for p in poly], fill=0)
    for stroke in strokes:
        pts = [tuple(p) for p in stroke]
        if len(pts) > 1:
            draw.line(pts, fill=0, width=pen, joint="curve")
        for x, y in pts:
            draw.ellipse((x - rad, y - rad, x + rad, y + rad), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one sketch of class `label` in `style`; render it once per pen width (RGB uint8 arrays)."""
    if not isinstance(label, (int, np.integer)) or not 0 <= label < len(BUILDERS):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    sk = Sketch()
    BUILDERS[label](sk, rng)
    rounding = int(rng.choice([0, 1, 1, 2] if label in GARMENTS else [0, 1, 1]))
    strokes, fills = trace(sk, style, rng, rounding)
    return [render(strokes, fills, int(pen)) for pen in pens]
