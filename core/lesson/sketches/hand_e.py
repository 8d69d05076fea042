"""Hand E: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 6).

They draw one of the ten classes on a 280x280 white canvas with a round black brush (22 or 18 px),
either coloured in ("filled": solid, scribbled or hatched) or as an outline with the few inner lines
that matter to them ("outline": collar, buttons, laces, ...).  Each class has several shape variants
built as rough template geometry, placed on the canvas (size, offset, tilt, skew, mirror) and turned
into mouse strokes: rounded corners, slow wobble, sparse pointer samples joined by straight segments,
ends that overshoot or miss.  The stroke plan is rendered once per pen width.
"""

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280  # canvas side, px
PAD = 16  # stroke centres stay this far from the border, px
STEP = 2.0  # spacing of densely resampled hand paths, px
STYLES = ("filled", "outline")


# -------------------- template helpers
def pts(*xy):
    """Points given as x, y, x, y, ... -> (n, 2) float array."""
    return np.array(xy, float).reshape(-1, 2)


def chain(*parts):
    """Concatenate points and point arrays into one polyline."""
    return np.vstack([np.asarray(p, float).reshape(-1, 2) for p in parts])


def bez(a, c, b, n=10):
    """Quadratic Bezier curve from a to b, pulled towards control point c."""
    a, c, b = (np.asarray(v, float) for v in (a, c, b))
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * c + t**2 * b


def arc(cx, cy, rx, ry, a0, a1, n=16):
    """Elliptic arc; angles in degrees, 0 = right, 90 = down (screen coordinates)."""
    a = np.radians(np.linspace(a0, a1, n))
    return np.c_[cx + rx * np.cos(a), cy + ry * np.sin(a)]


def hump(a, b, height, n=14):
    """Round arch from point a to point b rising `height` above the straight line between them."""
    f = np.linspace(0, 1, n)[:, None]
    return np.asarray(a, float) + f * (np.asarray(b, float) - a) - np.c_[0 * f, height * np.sin(np.pi * f) ** 0.6]


def flipx(p):
    """Mirror points left-right about x = 0."""
    return np.asarray(p, float) * [-1, 1]


def box(x0, y0, x1, y1):
    """Closed rectangle as a polyline (for pockets and buckles)."""
    return pts(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)


@dataclass
class Sketch:
    """Template geometry: closed silhouettes, lines drawn in both styles (straps, handles) and
    (priority, polyline) inner lines drawn only in outline style (3 = essential, 1 = decoration)."""

    bodies: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    details: list = field(default_factory=list)

    def detail(self, prio, *polys):
        """Add inner lines of one priority."""
        self.details += [(prio, np.asarray(p, float).reshape(-1, 2)) for p in polys]


def symmetric(half_fn, p, rng, keys=("ang", "sl", "sw", "cw", "bw")):
    """Join a right half and a slightly different mirrored left half into one garment."""
    right = half_fn(p)
    left = half_fn({k: v * rng.uniform(0.92, 1.08) if k in keys else v for k, v in p.items()})
    return Sketch(
        [chain(right.bodies[0], flipx(left.bodies[0])[::-1][1:-1])],
        right.lines + [flipx(line) for line in left.lines],
        right.details + [(k, flipx(d)) for k, d in left.details],
    )


# -------------------- garments (front view, y down)
NECKS = {  # right half of a neckline, from the centre line to the neck corner (nw, 0)
    "round": lambda p: bez((0, p["nd"]), (0.8 * p["nw"], p["nd"]), (p["nw"], 0), 8),
    "v": lambda p: chain((0, p["nd"]), (p["nw"], 0)),
    "flat": lambda p: chain((0, 0), (p["nw"], 0)),
    "hood": lambda p: arc(0, 0, p["nw"], p["hood"], -90, 0, 10),
    "collar": lambda p: chain((0, p["nd"]), (0.8 * p["nw"], -p["stand"]), (p["nw"], 0)),
}
HEMS = {  # right half of a hem, from the side seam (bw, L) to the centre line
    "flat": lambda bw, L, tail: chain((bw, L), (0, L)),
    "curve": lambda bw, L, tail: bez((bw, L), (0.5 * bw, L + tail), (0, L + tail)),
    "wavy": lambda bw, L, tail: np.c_[
        np.linspace(bw, 0, 25), L + 0.1 * bw * np.abs(np.sin(np.linspace(0, 3 * np.pi, 25)))
    ],
}


def long_sleeves(rng, pose):
    """Angle (0 = hanging, 90 = straight out) and length of long sleeves in one pose."""
    (a0, a1), (s0, s1) = {
        "down": ((8, 22), (0.75, 0.95)),
        "diag": ((30, 55), (0.6, 0.8)),
        "out": ((70, 92), (0.5, 0.68)),
    }[pose]
    return {"ang": rng.uniform(a0, a1), "sl": rng.uniform(s0, s1)}


def top_half(p):
    """Right half of a top-type garment from the neck centre via sleeve and side to the hem centre.

    sw: body half-width at the armpit; sl, cw, ang: sleeve length, width, angle (sl = 0: sleeveless)."""
    h = Sketch()
    nw, L, bw = p["nw"], p["len"], p["bw"]
    neck = NECKS[p["neck"]](p)
    if p["sl"] > 0:
        a = np.radians(p["ang"])
        along, across = np.array([np.sin(a), np.cos(a)]), np.array([-np.cos(a), np.sin(a)])
        shoulder = np.array([p["sw"] + 0.9 * p["cw"] * np.cos(a), p["drop"]])
        cuff_out = shoulder + p["sl"] * along
        cuff_in, pit = cuff_out + p["cw"] * across, (p["sw"], p["drop"] + 0.9 * p["cw"] / max(np.sin(a), 0.35))
        arm = chain(shoulder, cuff_out, cuff_in, pit)
        if p.get("cuff"):
            h.detail(p.get("cuff_prio", 2), chain(cuff_out - p["cuff"] * along, cuff_in - p["cuff"] * along))
    else:
        strap = (nw + p["strap"], 0.0)
        arm = chain(strap, bez(strap, (strap[0], 0.8 * p["arm"]), (p["sw"], p["arm"]), 8))
    hem = p.get("hem", "flat")
    h.bodies.append(chain(neck, arm, *p.get("side", []), HEMS[hem](bw, L, p.get("tail", 0.0))))
    if p.get("rib"):
        h.detail(2, neck + (0, p["rib"]))
    if p["neck"] == "hood":
        h.detail(3, arc(0, -0.1 * p["hood"], 0.55 * nw, 0.75 * p["hood"], -90, 90, 12))
    if p.get("hemband") and hem == "flat":
        h.detail(p.get("hemband_prio", 2), chain((0.98 * bw, L - p["hemband"]), (0, L - p["hemband"])))
    if p.get("straps"):
        h.lines.append(chain((0.7 * nw, 0), (0.6 * nw, -p["straps"])))
    return h


def motif(rng, centre, r):
    """A small print: heart, star or circle."""
    cx, cy = centre
    kind = rng.integers(3)
    if kind == 0:
        t = np.linspace(0, 2 * np.pi, 30)
        return np.c_[
            cx + r * np.sin(t) ** 3,
            cy - r / 16 * (13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t)),
        ]
    if kind == 1:
        a = np.radians(np.arange(11) * 36 - 90)
        rad = np.where(np.arange(11) % 2, 0.45 * r, r)
        return np.c_[cx + rad * np.cos(a), cy + rad * np.sin(a)]
    return arc(cx, cy, r, r, 0, 360, 20)


def tshirt(rng):
    """T-shirt/top: short sleeves angled down or straight out, a tank top, or a boxy wide tee."""
    u = rng.uniform
    p = dict(
        neck=rng.choice(["round", "round", "v"]),
        nw=u(0.08, 0.12),
        nd=u(0.05, 0.12),
        drop=u(0.03, 0.08),
        sw=u(0.26, 0.32),
        len=u(0.85, 1.05),
        rib=u(0.03, 0.05) * (rng.random() < 0.5),
        cuff=u(0.04, 0.07) * (rng.random() < 0.4),
    )
    p.update(
        [
            dict(ang=u(45, 65), sl=u(0.18, 0.3), cw=u(0.15, 0.21)),  # sleeves angled down
            dict(ang=u(75, 95), sl=u(0.18, 0.3), cw=u(0.13, 0.18)),  # sleeves straight out
            dict(sl=0.0, strap=u(0.04, 0.08), arm=u(0.25, 0.35), nd=u(0.14, 0.24), neck="round", cuff=0.0),  # tank top
            dict(ang=u(60, 80), sl=u(0.25, 0.33), cw=u(0.2, 0.26), sw=u(0.33, 0.38), len=u(0.7, 0.85)),
        ][rng.integers(4)]
    )
    if p["sl"] == 0:
        p["sw"] = p["nw"] + p["strap"] + u(0.08, 0.14)
    p["bw"] = p["sw"] * u(0.95, 1.1)
    s = symmetric(top_half, p, rng)
    if rng.random() < 0.5:
        s.detail(1, motif(rng, (u(-0.05, 0.05), 0.45 * p["len"]), u(0.08, 0.12)))
    return s


def pullover(rng):
    """Pullover: long ribbed sleeves hanging, angled or straight out; crew neck or hood; ribbed hem."""
    u = rng.uniform
    hoodie = rng.random() < 0.3
    p = dict(
        neck="round",
        nw=u(0.08, 0.12),
        nd=u(0.04, 0.08),
        drop=u(0.04, 0.1),
        sw=u(0.25, 0.31),
        len=u(0.9, 1.1),
        cw=u(0.15, 0.2),
        rib=u(0.03, 0.05),
        cuff=u(0.05, 0.09),
        cuff_prio=3,
        hemband=u(0.06, 0.1),
        hemband_prio=3,
        **long_sleeves(rng, rng.choice(["down", "diag", "out"])),
    )
    if hoodie:
        p.update(neck="hood", nw=u(0.15, 0.19), hood=u(0.2, 0.28), rib=0.0)
    p["bw"] = p["sw"] * u(0.95, 1.08)
    s = symmetric(top_half, p, rng)
    L = p["len"]
    if hoodie:
        s.detail(2, chain((-0.2, L - 0.12), (-0.14, 0.6 * L), (0.14, 0.6 * L), (0.2, L - 0.12)))
        s.detail(1, chain((-0.05, 0.03), (-0.06, 0.22)), chain((0.05, 0.03), (0.06, 0.22)))
    elif rng.random() < 0.3:
        s.detail(1, *[chain((-0.9 * p["sw"], y), (0.9 * p["sw"], y)) for y in np.linspace(0.4, 0.75, 3) * L])
    elif rng.random() < 0.3:
        s.detail(1, motif(rng, (0, 0.5 * L), 0.1))
    return s


def coat(rng):
    """Coat: long body with lapels and buttons, a hooded zip parka, or a belted double-breasted trench."""
    u, v = rng.uniform, rng.integers(3)
    p = dict(
        nw=u(0.1, 0.14),
        drop=u(0.04, 0.09),
        sw=u(0.25, 0.31),
        cw=u(0.13, 0.18),
        cuff_prio=1,
        cuff=u(0.05, 0.08) * (rng.random() < 0.5),
        **long_sleeves(rng, rng.choice(["down", "down", "diag"])),
    )
    p.update(
        [
            dict(neck="v", nd=u(0.3, 0.45), len=u(1.3, 1.6), bw=p["sw"] * u(1.0, 1.15)),
            dict(
                neck="hood", nw=u(0.15, 0.19), hood=u(0.2, 0.28), nd=0.0, len=u(1.15, 1.35), bw=p["sw"] * u(0.95, 1.05)
            ),
            dict(neck="v", nd=u(0.25, 0.35), len=u(1.4, 1.7), bw=p["sw"] * u(1.1, 1.3)),
        ][v]
    )
    s = symmetric(top_half, p, rng)
    L, nd, nw, sw = p["len"], p["nd"], p["nw"], p["sw"]
    s.detail(3, chain((0, nd), (0, L)))
    if v != 1:
        lapel = chain((nw, 0), (nw + u(0.05, 0.1), u(0.1, 0.18)), (0.02, nd))
        s.detail(2, lapel, flipx(lapel))
    columns = [0.1] if v == 0 else [-0.12, 0.12] if v == 2 else []
    s.detail(2, *[pts(x, y) for x in columns for y in np.linspace(nd + 0.08, 0.6 * L, rng.integers(3, 5))])
    if v == 2:
        s.detail(3, chain((-1.05 * sw, 0.45 * L), (1.05 * sw, 0.45 * L)))
        s.detail(2, box(-0.06, 0.45 * L - 0.05, 0.06, 0.45 * L + 0.05))
    pocket = chain((0.12, 0.72 * L), (0.26, 0.72 * L))
    s.detail(1, pocket, flipx(pocket))
    return s


def shirt(rng):
    """Shirt: pointed collar, button placket and chest pocket; long sleeves hanging or out, or short sleeves."""
    u, v = rng.uniform, rng.integers(3)
    p = dict(
        neck="collar",
        nw=u(0.09, 0.12),
        nd=u(0.02, 0.05),
        stand=u(0.03, 0.06),
        drop=u(0.04, 0.08),
        sw=u(0.25, 0.31),
        len=u(0.95, 1.15),
        cw=u(0.13, 0.18),
        hem="curve",
        tail=u(0, 0.08),
        cuff_prio=2,
    )
    p.update(
        [
            dict(long_sleeves(rng, rng.choice(["down", "diag"])), cuff=u(0.05, 0.08)),
            dict(ang=u(45, 70), sl=u(0.2, 0.3), cw=u(0.14, 0.2), cuff=u(0.03, 0.05) * (rng.random() < 0.4)),
            dict(long_sleeves(rng, "out"), cuff=u(0.05, 0.08)),
        ][v]
    )
    p["bw"] = p["sw"] * u(0.95, 1.05)
    s = symmetric(top_half, p, rng)
    nw, nd, L = p["nw"], p["nd"], p["len"]
    flap = chain((0.8 * nw, -p["stand"]), (u(0.08, 0.14), u(0.12, 0.2)), (0, nd + 0.03))
    s.detail(3, flap, flipx(flap))
    s.detail(3, chain((0, nd + 0.04), (0, L + p["tail"])))
    s.detail(2, *[pts(0.07, y) for y in np.linspace(nd + 0.14, 0.85 * L, rng.integers(3, 6))])
    if rng.random() < 0.6:
        x0, y0, w = -u(0.22, 0.26), u(0.25, 0.32), u(0.09, 0.12)
        s.detail(1, box(x0, y0, x0 + w, y0 + w)[1:])
    return s


def dress(rng):
    """Dress: strappy A-line, short-sleeved with a waist, long slim maxi on thin straps, or a triangle dress."""
    u, v = rng.uniform, rng.integers(4)
    p = dict(
        neck="round",
        nw=u(0.07, 0.1),
        nd=u(0.06, 0.16),
        drop=u(0.03, 0.07),
        tail=u(0.03, 0.08),
        sl=0.0,
        hem=rng.choice(["flat", "curve", "wavy"]),
    )
    p.update(
        [
            dict(strap=u(0.03, 0.05), arm=u(0.18, 0.26), len=u(1.0, 1.3), bw=u(0.35, 0.5)),
            dict(sw=u(0.15, 0.2), ang=u(50, 80), sl=u(0.1, 0.18), cw=u(0.1, 0.14), len=u(1.0, 1.3), bw=u(0.35, 0.5)),
            dict(
                neck="flat",
                nw=u(0.12, 0.16),
                strap=0.0,
                arm=u(0.1, 0.16),
                len=u(1.3, 1.7),
                bw=u(0.28, 0.4),
                straps=u(0.15, 0.22),
            ),
            dict(
                sw=u(0.12, 0.16), ang=u(70, 90), sl=u(0.06, 0.12), cw=u(0.08, 0.12), len=u(0.9, 1.15), bw=u(0.4, 0.55)
            ),
        ][v]
    )
    if p["sl"] == 0:
        p["sw"] = p["nw"] + p["strap"] + u(0.02, 0.08)
    wx, wy, L = p["sw"] * u(0.8, 0.95), u(0.33, 0.45), p["len"]
    if v < 3:
        p["side"] = [(wx, wy), ((wx + p["bw"]) / 2 + u(0, 0.05), (wy + L) / 2)]
    s = symmetric(top_half, p, rng)
    if v < 3:
        s.detail(3, chain((-wx, wy), (wx, wy)))
    deco = rng.integers(3)
    if deco == 0:
        bow = chain((0, wy), (0.08, wy - 0.05), (0.08, wy + 0.05), (0, wy))
        s.detail(1, bow, flipx(bow))
    elif deco == 1:
        s.detail(
            1,
            *[
                pts(x * (0.3 + 0.7 * (y - wy) / (L - wy)) * p["bw"], y)
                for x, y in zip(u(-0.7, 0.7, 6), u(wy + 0.15, L - 0.1, 6), strict=True)
            ],
        )
    else:
        fold = chain((0.3 * wx, wy + 0.12), (0.45 * p["bw"], L - 0.06))
        s.detail(1, fold, flipx(fold))
    return s


def trouser_half(p):
    """Right leg of a pair of trousers from the waist centre round to the crotch, with waistband and pocket."""
    h = Sketch()
    w, L, wb, ho, hi = p["w"], p["len"], p["wb"], p["ho"], p["hi"]
    inner = (p["slot"] * hi, p["crotch"] + 0.06)
    h.bodies.append(chain((0, 0), (w, 0), *p["knee"], (ho, L), (hi, L), inner, (0, p["crotch"])))
    h.detail(3, chain((0, wb), (w, wb)))
    h.detail(2, bez((0.45 * w, wb), (0.55 * w, wb + 0.1), (0.97 * w, wb + 0.13)))
    h.detail(1, chain((0.6 * w, 0), (0.6 * w, wb)))
    return h


def trousers(rng):
    """Trousers: straight, flared, skinny or wide legs with waistband, fly, pockets and belt loops."""
    u = rng.uniform
    w, L = u(0.24, 0.32), u(0.85, 1.05)
    p = dict(w=w, len=L, wb=u(0.05, 0.08), knee=[], crotch=u(0.2, 0.32), slot=u(0.5, 0.9))
    p.update(
        [
            dict(ho=w * u(0.95, 1.05), hi=u(0.08, 0.14)),  # straight
            dict(ho=w * u(1.15, 1.4), hi=u(0.06, 0.1), knee=[(w * u(0.8, 0.9), L * u(0.5, 0.6))]),  # flared
            dict(ho=w * u(0.75, 0.88), hi=u(0.09, 0.15), crotch=u(0.18, 0.26)),  # skinny
            dict(ho=w * u(1.1, 1.3), hi=u(0.07, 0.1), crotch=u(0.28, 0.38), knee=[(w * u(1.02, 1.08), 0.25)]),  # wide
        ][rng.integers(4)]
    )
    s = symmetric(trouser_half, p, rng, keys=("w", "ho", "hi"))
    s.detail(2, bez((0.03, p["wb"]), (0.05, 0.8 * p["crotch"]), (0, 0.85 * p["crotch"])))
    return s


# -------------------- footwear (side view, toe right, ground y = 0) and bags
def sole_outline(rng, kind, t):
    """Sandal sole, flat, high-heeled or wedge; returns the outline and its top edge (x increasing)."""
    u = rng.uniform
    rise = {"flat": 0.0, "heel": u(0.22, 0.35), "wedge": u(0.18, 0.3)}[kind]
    ball = u(0.55, 0.65)
    top = chain(bez((0.02, -rise - t), (0.3, -rise * u(0.3, 0.6) - t), (ball, -t), 8), (0.95, -t))
    toe = bez((0.95, -t), (1.03, -t / 2), (0.95, 0), 6)
    if kind == "heel":
        hf, hb = u(0.15, 0.22), u(0.07, 0.12)
        under = chain(bez((ball, 0), (0.4, -0.35 * rise), (hf, -0.85 * rise), 8), (hb, 0), (0.04, 0))
    else:
        under = pts(0.9, 0, 0.05, 0)
    back = bez(under[-1], (-0.02, -(rise + t) / 2), top[0], 6)
    return chain(top, toe, under, back[1:-1]), top


def sandal(rng):
    """Sandal (side view): flat or high-heeled with strap loops, flip-flop, wedge, or a strappy cage."""
    u, v, s = rng.uniform, rng.integers(5), Sketch()
    outline, top = sole_outline(
        rng, ["flat", "heel", "flat", "wedge", "flat"][v], u(0.035, 0.06) if v == 2 else u(0.05, 0.09)
    )
    s.bodies.append(outline)

    def on_sole(x):
        return np.array([x, np.interp(x, top[:, 0], top[:, 1])])

    heel = on_sole(0.05)
    if v == 2:  # flip-flop thong from the toe post to the sides
        s.lines.append(chain(on_sole(u(0.7, 0.78)), (u(0.45, 0.55), -u(0.25, 0.35)), on_sole(u(0.25, 0.35))))
    elif v == 4:  # cage: foot contour held by bars and a heel strap
        ankle = heel + (u(0.06, 0.12), -u(0.38, 0.48))
        contour = bez(on_sole(u(0.9, 0.95)), (u(0.25, 0.35), heel[1] - u(0.06, 0.12)), ankle, 14)
        s.lines += [contour, chain(heel, ankle)]
        for x in np.linspace(u(0.3, 0.4), u(0.75, 0.85), rng.integers(2, 5)):
            s.lines.append(chain(on_sole(x), contour[np.argmin(np.abs(contour[:, 0] - x - u(-0.05, 0.05)))]))
    else:
        slots = np.linspace(u(0.45, 0.55), 0.97, rng.integers(1, 3) + 1)
        for a, b in zip(slots[:-1], slots[1:], strict=True):  # straps over the toes and the instep
            a, b = a + u(0, 0.03), b - u(0, 0.03)
            s.lines.append(hump(on_sole(a), on_sole(b), u(0.12, 0.2) * (1.3 - 0.5 * a)))
        if rng.random() < 0.7:  # strap from the heel round the back of the ankle
            front = on_sole(u(0.42, 0.52))
            s.lines.append(hump(heel, front, u(0.22, 0.32), 18))
        else:  # ankle strap ring on a heel strap
            centre, rx, ry = heel + (u(0.14, 0.2), -u(0.35, 0.45)), u(0.14, 0.2), u(0.08, 0.12)
            s.lines.append(arc(*centre, rx, ry, u(0, 90), 360 + u(0, 90), 18))
            s.lines.append(chain(heel, centre - (0.9 * rx, 0)))
            s.detail(1, pts(*(centre + (rx, 0))))
    return s


def sneaker(rng):
    """Sneaker (side view): running shoe with swoosh, canvas low-top with toe cap, plain bean, chunky trainer."""
    u, v, s = rng.uniform, rng.integers(4), Sketch()
    h = [u(0.4, 0.5), u(0.36, 0.44), u(0.38, 0.48), u(0.45, 0.55)][v]
    sole = [u(0.08, 0.12), u(0.1, 0.14), u(0.07, 0.11), u(0.13, 0.18)][v]
    rock = u(0.01, 0.04) if v in (0, 3) else 0.0
    heel_top, collar = np.array([u(0.02, 0.07), -h * u(0.85, 0.98)]), np.array([u(0.24, 0.32), -h * u(0.7, 0.82)])
    tongue, toe_top = np.array([u(0.36, 0.44), -h * u(1, 1.12)]), np.array([u(0.8, 0.88), -h * u(0.42, 0.55)])
    s.bodies.append(
        chain(
            bez((0.05, -rock), (-0.04, -0.45 * h), heel_top),
            bez(heel_top, (0.15, collar[1]), collar),
            bez(tongue, (tongue + toe_top) / 2 + (0, 0.03), toe_top),
            bez(toe_top, (1.03, -0.45 * h), (1, -0.15 * h)),
            bez((1, -0.15 * h), (1, -rock), (0.85, 0)),
            (0.2, 0),
        )
    )
    s.detail(3 if v in (1, 3) else 2, chain((0.02, -sole), (0.99, -sole)))
    along = toe_top - tongue
    across = np.array([along[1], -along[0]]) / np.hypot(*along)
    for f in np.linspace(0.1, 0.7, rng.integers(2, 4) if v != 2 else 1):
        p = tongue + f * along
        s.detail(2, chain(p + 0.03 * across, p - 0.08 * across))
    if v == 0:
        s.detail(1, bez((0.22, -0.45 * h), (0.45, -sole - 0.02), (0.75, -0.5 * h)))
    elif v == 1:
        s.detail(2, bez((0.8, -sole), (0.8, -0.5 * h), (0.97, -0.45 * h)))
    elif v == 3:
        s.detail(1, *[chain((x, -sole - 0.03), (x + 0.1, -0.7 * h)) for x in (0.35, 0.45, 0.55)])
    return s


def ankle_boot(rng):
    """Ankle boot (side view): Chelsea, heeled zip bootie, chunky lace-up or fur-cuffed winter boot."""
    u, v, s = rng.uniform, rng.integers(4), Sketch()
    H, th, sw = u(0.75, 1.0), u(0.2, 0.28), u(0.42, 0.5) if v == 3 else u(0.34, 0.45)
    back_top, front_top = (u(0, 0.05), -H), (sw, -H * u(0.95, 1.03))
    instep, toe_top = (sw + u(0.03, 0.1), -th * u(1.4, 1.9)), (u(0.8, 0.88), -th)
    upper = chain(
        back_top,
        front_top,
        instep,
        bez(instep, (instep[0] + 0.15, -1.05 * th), toe_top),
        bez(toe_top, (1.02, -0.9 * th), (1, -0.35 * th)),
        bez((1, -0.35 * th), (1, 0), (0.9, 0)),
    )
    if v == 1:
        hh, hf = u(0.1, 0.2), u(0.2, 0.28)
        bottom = chain(bez((u(0.55, 0.65), 0), (0.4, -hh), (hf, -hh), 8), (hf - 0.04, 0), (0.06, 0))
        s.detail(1, chain((0.05, -hh), (hf, -hh)))
    else:
        bottom = pts(0.04, 0)
        sole = u(0.1, 0.15) if v == 2 else u(0.05, 0.1)
        s.detail(3 if v == 2 else 2, chain((0.03, -sole), (0.97, -sole)))
    s.bodies.append(chain(upper, bottom, bez(bottom[-1], (-0.04, -0.45 * H), back_top)[1:-1]))
    if v == 0:
        s.detail(2, bez((0.3 * sw, -H), (0.5 * sw, -0.35 * H), (0.7 * sw, -H)))
        s.detail(1, arc(back_top[0] + 0.04, -H, 0.04, 0.08, 180, 360, 8))
    elif v == 1:
        s.detail(2, chain((0.55 * sw, -0.93 * H), (0.55 * sw, -1.3 * th)))
        s.detail(1, pts(0.55 * sw, -0.93 * H))
    elif v == 2:
        s.detail(
            2,
            *[chain((sw - 0.12, y), (sw + 0.02, y - 0.03)) for y in np.linspace(-0.9 * H, -2 * th, rng.integers(3, 6))],
        )
    else:
        x = np.linspace(back_top[0], sw, 15)
        s.detail(3, np.c_[x, -0.78 * H + 0.04 * np.abs(np.sin(x / sw * 4 * np.pi))])
    return s


def rounded_body(w_top, w_bottom, hgt, r):
    """Bag body from the top edge down to a bottom with rounded corners."""
    return chain(
        (-w_top, 0),
        (w_top, 0),
        bez((w_bottom, hgt - r), (w_bottom, hgt), (w_bottom - r, hgt), 5),
        bez((-w_bottom + r, hgt), (-w_bottom, hgt), (-w_bottom, hgt - r), 5),
    )


def bag(rng):
    """Bag: trapeze handbag with a handle, tote with two handles, shoulder bag with flap, or backpack."""
    u, v, s = rng.uniform, rng.integers(4), Sketch()
    if v == 0:
        tw, hgt = 0.5 * u(0.65, 0.9), u(0.55, 0.8)
        s.bodies.append(rounded_body(tw, 0.5, hgt, u(0.03, 0.1)))
        hw, hh = tw * u(0.5, 0.8), u(0.25, 0.45)
        s.lines.append(arc(0, 0, hw, hh, 180, 360))
        if rng.random() < 0.5:
            s.lines.append(arc(0, 0, 0.75 * hw, 0.7 * hh, 180, 360))
        s.detail(2, pts(0, u(0.08, 0.15)))
        s.detail(1, chain((-tw + 0.02, 0.08), (tw - 0.02, 0.08)))
    elif v == 1:
        hgt = u(0.8, 1.05)
        s.bodies.append(rounded_body(0.5, 0.5 * u(0.85, 1), hgt, u(0.02, 0.06)))
        hw, hh, dx = u(0.18, 0.3), u(0.3, 0.5), u(0.05, 0.12)
        s.lines.append(arc(-dx, 0, hw, hh, 180, 360))
        if rng.random() < 0.7:
            s.lines.append(arc(dx, 0, hw, hh * u(0.85, 1.1), 180, 360))
        s.detail(2, chain((-0.48, 0.08), (0.48, 0.08)))
        s.detail(1, box(-0.2, 0.4 * hgt, 0.2, 0.75 * hgt))
    elif v == 2:
        hgt, r = u(0.45, 0.65), u(0.06, 0.15)
        s.bodies.append(rounded_body(0.5, 0.5, hgt, r))
        s.lines.append(bez((-0.47, 0.05), (u(-0.1, 0.1), -u(0.8, 1.4)), (0.47, 0.05), 16))
        tip = (u(-0.03, 0.03), hgt * u(0.5, 0.75))
        flap = (
            chain((-0.5, 0.03), tip, (0.5, 0.03))
            if rng.random() < 0.5
            else bez((-0.5, 0.03), (0, 2 * tip[1]), (0.5, 0.03))
        )
        s.detail(3, flap)
        s.detail(2, pts(tip[0], tip[1] - 0.04))
    else:
        hgt, r = u(0.9, 1.1), u(0.2, 0.35)
        s.bodies.append(
            chain(
                arc(0, r, 0.4, r, 180, 360),
                bez((0.4, hgt - 0.1), (0.4, hgt), (0.3, hgt), 5),
                bez((-0.3, hgt), (-0.4, hgt), (-0.4, hgt - 0.1), 5),
            )
        )
        s.lines.append(arc(0, 0, 0.09, 0.1, 180, 360, 10))
        pocket = rounded_body(0.25, 0.25, 0.3, 0.05) + (0, 0.55 * hgt)
        s.detail(2, chain(pocket, pocket[:1]))
        s.detail(1, arc(0, r + 0.04, 0.3, r, 200, 340, 12))
    return s


# -------------------- hand on a mouse
def resample(poly, closed):
    """Resample a polyline to points STEP px apart (a closed ring does not repeat its start)."""
    poly = np.vstack([poly, poly[:1]]) if closed else poly
    cum = np.r_[0, np.cumsum(np.hypot(*np.diff(poly, axis=0).T))]
    if cum[-1] < STEP:
        return poly[:1].copy()
    t = np.linspace(0, cum[-1], int(cum[-1] / STEP) + 1 - closed, endpoint=not closed)
    return np.c_[np.interp(t, cum, poly[:, 0]), np.interp(t, cum, poly[:, 1])]


def drift(n, rng, amp, wave, closed):
    """Smooth random offsets along a path: the slow wander of a hand on a mouse."""
    m = int(n / wave) + 2
    knots = rng.normal(0, amp, (m, 2))
    if closed:
        knots[-1] = knots[0]
    t = np.arange(n) * (m - 1) / n if closed else np.linspace(0, m - 1, n)
    i = np.minimum(t.astype(int), m - 2)
    w = ((1 - np.cos(np.pi * (t - i))) / 2)[:, None]
    return knots[i] * (1 - w) + knots[i + 1] * w


def hand_path(poly, rng, hand, closed):
    """Trace a template path by hand: corners rounded off and a slow wobble added."""
    dense = resample(poly, closed)
    k = hand["corner"]
    if k and len(dense) > 2 * k + 2:
        padded = np.pad(dense, ((k, k), (0, 0)), mode="wrap" if closed else "edge")
        kernel = np.ones(2 * k + 1) / (2 * k + 1)
        dense = np.c_[np.convolve(padded[:, 0], kernel, "valid"), np.convolve(padded[:, 1], kernel, "valid")]
    amp = hand["shake"] * min(1.0, len(dense) * STEP / 80)
    return dense + drift(len(dense), rng, amp, hand["wave"], closed)


def extend(path, start, end):
    """Overshoot (positive, px) or stop short of (negative) both ends of a path."""
    for e in (start, end):
        if e < 0 and len(path) > 4:
            path = path[min(int(-e / STEP), len(path) // 3) :]
        elif e > 0 and len(path) > 1:
            d = path[0] - path[min(3, len(path) - 1)]
            path = np.vstack([path[0] + d / (np.hypot(*d) + 1e-9) * e, path])
        path = path[::-1]
    return path


def pointer_samples(path, rng, hand, miss=0.0):
    """Keep sparse mouse positions joined by straight segments; ends may drift off target by ~miss px."""
    n = len(path)
    if miss:
        ramp = np.clip(1 - np.arange(n) / 20, 0, None)[:, None]
        path = path + rng.normal(0, miss, 2) * ramp + rng.normal(0, miss, 2) * ramp[::-1]
    lo, hi = hand["step"]
    idx = [0]
    while idx[-1] < n - 1:
        idx.append(min(idx[-1] + int(rng.integers(lo, hi + 1)), n - 1))
    return path[idx] + rng.normal(0, 0.4, (len(idx), 2))


def open_stroke(poly, rng, hand):
    """Mouse stroke for an open line or a dot."""
    if len(poly) == 1:
        return poly + rng.normal(0, 1, 2)
    path = extend(hand_path(poly, rng, hand, False), rng.uniform(-3, 5), rng.uniform(-3, 5))
    return pointer_samples(path, rng, hand)


def ring_strokes(ring, rng, hand):
    """Draw a closed outline in 1-4 strokes that start at corners and overshoot or miss at the joins."""
    n = len(ring)
    a, b = ring - np.roll(ring, 3, 0), np.roll(ring, -3, 0) - ring
    turn = np.abs(a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]) + 4
    k = int(rng.choice([1, 2, 3, 4], p=[0.3, 0.35, 0.25, 0.1]))
    cuts = np.sort(rng.choice(n, k, replace=False, p=turn / turn.sum()))
    strokes = []
    for j in range(k):
        a, b = cuts[j], cuts[(j + 1) % k] + (n if j == k - 1 else 0)
        piece = extend(ring[np.arange(a, b + 1) % n], rng.uniform(-3, 7), rng.uniform(-3, 7))
        strokes.append(pointer_samples(piece, rng, hand, hand["miss"]))
    return strokes


def polygon_mask(ring):
    """Boolean canvas mask of a polygon, grown outwards by 2 px."""
    img, xy = Image.new("L", (SIZE, SIZE), 0), [tuple(p) for p in ring]
    draw = ImageDraw.Draw(img)
    draw.polygon(xy, fill=255)
    draw.line(xy + xy[:1], fill=255, width=5)
    return np.array(img) > 0


def colouring(ring, rng, kind):
    """Back-and-forth colouring strokes across a polygon: a dense zigzag scribble or a looser hatch."""
    ys, xs = np.nonzero(polygon_mask(ring))
    phi = rng.uniform(0, np.pi)
    c, s = np.cos(phi), np.sin(phi)
    along, across = xs * c + ys * s, ys * c - xs * s
    gap = rng.uniform(6, 10) if kind == "scribble" else rng.uniform(15, 26)
    turns = []
    for k, t in enumerate(np.arange(across.min() + gap * rng.uniform(0.2, 0.7), across.max(), gap)):
        on = np.abs(across - t) < 1
        if not on.any():
            continue
        ends = [along[on].min() + rng.uniform(-2, 5), along[on].max() - rng.uniform(-2, 5)]
        ends = ends[::-1] if k % 2 else ends
        turns += [(a * c - t * s, a * s + t * c) for a in (ends[:1] if kind == "scribble" else ends)]
    turns = np.array(turns) + rng.normal(0, 1, (len(turns), 2))
    lifts = np.sort(rng.choice(np.arange(2, max(len(turns) - 1, 3)), rng.integers(0, 3)))
    return [t for t in np.split(turns, lifts) if len(t)]


# -------------------- placing, planning, rendering
def placement(points, size, rng):
    """Random size, tilt, skew, mirror and offset: returns a map from template units to canvas px."""
    lo, hi = points.min(0), points.max(0)
    centre = (lo + hi) / 2
    a = np.radians(np.clip(rng.normal(0, 7), -15, 15))
    stretch = np.exp(rng.normal(0, 0.07))
    m = (
        np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        @ np.array([[stretch, rng.uniform(-0.08, 0.08)], [0, 1 / stretch]])
        @ np.diag([rng.choice([-1, 1]), 1])
        * (size / max(hi - lo))
    )
    q = (points - centre) @ m.T
    m = m * min(1.0, (SIZE - 2 * PAD) / max(q.max(0) - q.min(0)))
    q = (points - centre) @ m.T
    room = SIZE - 2 * PAD - (q.max(0) - q.min(0))
    offset = PAD - q.min(0) + room * rng.beta(2, 2, 2)
    return lambda p: (np.asarray(p, float) - centre) @ m.T + offset


@dataclass
class Plan:
    """Pen-independent ink of one drawing in canvas px."""

    fills: list = field(default_factory=list)  # solid polygons
    colouring: list = field(default_factory=list)  # scribble strokes, clipped to `clip`
    strokes: list = field(default_factory=list)  # outline, line and detail strokes
    clip: np.ndarray = None


def plan_drawing(sketch, style, rng):
    """Place a sketch and turn it into mouse strokes, fills and colouring for one style."""
    place = placement(np.vstack(sketch.bodies + sketch.lines), (0.33 + 0.53 * rng.beta(1.5, 1)) * SIZE, rng)
    placed = np.vstack([place(body) for body in sketch.bodies])
    span = np.sqrt(np.prod(placed.max(0) - placed.min(0)))
    keep = 4 if span < 85 else 3 if span < 110 or rng.random() < 0.25 else 2 if span < 160 else 1
    details = [
        place(d)
        for prio, d in sketch.details
        if style == "outline" and prio >= keep and (prio == 3 or rng.random() < 0.8)
    ]
    lo = int(rng.integers(2, 4))
    hand = dict(
        shake=rng.uniform(0.6, 2.6),
        wave=rng.uniform(12, 30),
        corner=int(rng.integers(0, 5)),
        step=(lo, lo + int(rng.integers(1, 5))),
        miss=rng.uniform(0.5, 4.5),
    )
    fill = rng.choice(["solid", "scribble", "hatch"], p=[0.5, 0.3, 0.2])
    plan = Plan(clip=np.zeros((SIZE, SIZE), bool))
    for body in sketch.bodies:
        ring = hand_path(place(body), rng, hand, True)
        if style == "filled" and fill == "solid":
            plan.fills.append(ring)
        elif style == "filled":
            plan.colouring += colouring(ring, rng, fill)
            plan.clip |= polygon_mask(ring)
        plan.strokes += ring_strokes(ring, rng, hand)
    plan.strokes += [open_stroke(line, rng, hand) for line in [place(x) for x in sketch.lines] + details]
    return plan


def ink(draw, stroke, pen):
    """Draw one mouse stroke with a round brush of diameter pen."""
    r, xy = pen / 2, [tuple(p) for p in stroke]
    if len(xy) > 1:
        draw.line(xy, fill=0, width=pen)
    for x, y in xy:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=0)


def render(plan, pen):
    """Render a plan with one pen width as a (280, 280, 3) uint8 image, black ink on white."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    for ring in plan.fills:
        draw.polygon([tuple(p) for p in ring], fill=0)
    if plan.colouring:
        layer = Image.new("L", (SIZE, SIZE), 255)
        layer_draw = ImageDraw.Draw(layer)
        for stroke in plan.colouring:
            ink(layer_draw, stroke, pen)
        img.paste(0, mask=Image.fromarray((np.array(layer) == 0) & plan.clip))
    for stroke in plan.strokes:
        ink(draw, stroke, pen)
    return np.repeat(np.array(img)[:, :, None], 3, axis=2)


DRAWERS = (tshirt, trousers, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style` and render it once per pen width in `pens`."""
    if not isinstance(label, (int, np.integer)) or not 0 <= label < len(DRAWERS):
        raise ValueError(f"unknown label {label!r}, expected 0-9")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}, expected one of {STYLES}")
    plan = plan_drawing(DRAWERS[label](rng), style, rng)
    return [render(plan, int(pen)) for pen in pens]
