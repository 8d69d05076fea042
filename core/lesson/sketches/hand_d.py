"""Hand D: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 6).

Students aged 13-16 draw one of ten things (T-shirt/top, trouser, pullover,
dress, coat, sandal, shirt, sneaker, bag, ankle boot) on a 280x280 white
canvas with a round black pen of 22 or 18 px.  Garments are drawn from the
front, shoes and bags from the side.  Each drawing is built in a small model
space from one of several class-specific variants, placed on the canvas with
random size, position, tilt and mirroring, gently warped, traced as wobbly
mouse strokes (sparse pointer samples, rounded corners, gaps and overlaps)
and rendered once per pen width.  Style "outline" draws the contour and a few
inner lines; style "filled" colours the silhouette in, solid or by scribbling.
"""

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280
STEP = 2.0  # px between points of a densely resampled stroke
STYLES = ("filled", "outline")
SIDE_VIEW = (5, 7, 8, 9)  # shoes and bags may face either way


@dataclass
class Sketch:
    """Geometry of one drawing (model space or canvas pixels)."""

    shapes: list = field(default_factory=list)  # (closed outline, may be filled)
    lines: list = field(default_factory=list)  # open strokes drawn in both styles
    details: list = field(default_factory=list)  # inner lines drawn in "outline" only

    def shape(self, pts, fill=True):
        """Add a closed silhouette part."""
        self.shapes.append((np.asarray(pts, float), fill))

    def line(self, pts, both=False):
        """Add a stroke drawn in both styles (strap, handle); `both` adds its mirror."""
        self.lines += [np.asarray(p, float) for p in [pts] + [mirror(pts)] * both]

    def detail(self, pts, both=False):
        """Add an inner line (collar, seam, pocket); `both` adds its mirror."""
        self.details += [np.asarray(p, float) for p in [pts] + [mirror(pts)] * both]

    def dot(self, x, y):
        """Add a button or clasp: a tiny stroke that renders as one pen blob."""
        self.detail([(x, y), (x + 0.004, y + 0.004)])


# ---------------------------------------------------------------- model helpers


def arc(cx, cy, rx, ry, a0, a1, n=9):
    """Points on an ellipse arc; angles in degrees, y axis pointing down."""
    t = np.radians(np.linspace(a0, a1, n))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in t]


def mirror(pts):
    """Mirror points across the vertical axis x = 0."""
    return [(-x, y) for x, y in pts]


def from_half(half):
    """Closed symmetric outline from its right half (top centre to bottom centre)."""
    return list(half) + mirror(half[::-1])[1:-1]


def hem_line(x, y, kind, rng):
    """Right half of a hem from the side seam (x, y) to the centre line."""
    if kind == "curve":
        dip = rng.uniform(0.04, 0.12)
        return [(x, y), (x * 0.55, y + dip * 0.8), (0, y + dip)]
    if kind in ("wave", "zigzag"):
        waves = rng.integers(2, 4)
        t = np.linspace(0, 1, waves * (2 if kind == "zigzag" else 6) + 1)
        amp = rng.uniform(0.03, 0.06)
        bumps = (np.arange(len(t)) % 2) if kind == "zigzag" else 0.5 - 0.5 * np.cos(2 * np.pi * waves * t)
        return [(x * (1 - ti), y + amp * b) for ti, b in zip(t, bumps, strict=True)]
    return [(x, y), (0, y)]


def neck_half(kind, w, d, hood=0.0):
    """Right half of a neckline from the centre to the shoulder seam."""
    if kind == "v":
        return [(0, d), (w, 0)]
    if kind == "collar":  # shirt collar: open V with the collar standing behind the neck
        return [(0, d), (w * 0.35, -0.04), (w, -0.07), (w + 0.05, 0)]
    if kind == "stand":  # stand-up jacket collar
        return [(0, -d), (w + 0.02, -d * 1.1), (w + 0.04, 0)]
    if kind == "hood":
        return [(0, -hood), (w * 1.1, -hood * 0.92), (w + 0.1, -hood * 0.45), (w + 0.1, 0)]
    return [(w * np.sin(t), d * np.cos(t)) for t in np.linspace(0, np.pi / 2, 6)]


def top_half(neck, neck_w, neck_d, shoulder, drop, angle=0.0, sleeve=0.0, width=0.0, cuff=1.0, pit=None, hood=0.0):
    """Right half of a front-view top from neck centre to armpit, plus key points.

    A sleeve leaves the shoulder point at `angle` degrees below horizontal; with
    no sleeve the armhole curves in from the shoulder to `pit`."""
    half = neck_half(neck, neck_w, neck_d, hood)
    sh, key = np.array([shoulder, drop]), {}
    if sleeve > 0:
        a = np.radians(angle)
        along, down = np.array([np.cos(a), np.sin(a)]), np.array([-np.sin(a), np.cos(a)])
        out = sh + sleeve * along
        inn = out + width * cuff * down
        pit = sh + width * down + 0.3 * width * np.sin(a) * along
        half += [tuple(sh), tuple(out), tuple(inn)]
        key.update(out=out, inn=inn, along=along)
    else:
        pit = np.array(pit, float)
        half += arc(pit[0], sh[1], pit[0] - sh[0], pit[1] - sh[1], 180, 100, 5)
    key["pit"] = pit
    return half + [tuple(pit)], key


def finish_body(half, key, hem_x, length, rng, hem="straight"):
    """Close a top's right half with its side seam and hem; returns the full outline."""
    key["hem"] = np.array([hem_x, length])
    return from_half(half + hem_line(hem_x, length, hem, rng))


def side_x(key, y):
    """x of the right side seam at height y (between armpit and hem)."""
    (px, py), (hx, hy) = key["pit"], key["hem"]
    return px + (hx - px) * np.clip((y - py) / (hy - py), 0, 1)


def across(sk, key, y):
    """Inner line straight across the body at height y (waistband, belt, quilting)."""
    x = side_x(key, y)
    sk.detail([(-x, y), (x, y)])


def cuffs(sk, key, depth):
    """Lines across both sleeves, `depth` back from the sleeve ends."""
    back = key["along"] * depth
    sk.detail([tuple(key["out"] - back), tuple(key["inn"] - back)], both=True)


def buttons(sk, x, y0, y1, n):
    """A row of n buttons from y0 to y1 at x."""
    for y in np.linspace(y0, y1, n):
        sk.dot(x, y)


# ---------------------------------------------------------------- garments


def tshirt(rng):
    """T-shirt/top: round- or V-neck tee, boxy tee with flat sleeves, or a tank top."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["tee", "boxy", "vneck", "tank"], p=[0.35, 0.25, 0.2, 0.2])
    length, neck_w = u(0.95, 1.3), u(0.13, 0.19)
    neck = "v" if kind == "vneck" else "round"
    neck_d = {"tank": u(0.18, 0.32), "vneck": u(0.16, 0.3)}.get(kind, u(0.07, 0.16))
    if kind == "tank":
        half, key = top_half(
            neck, neck_w, neck_d, neck_w + u(0.06, 0.11), u(0, 0.03), pit=(u(0.36, 0.44), u(0.3, 0.42))
        )
    else:
        half, key = top_half(
            neck,
            neck_w,
            neck_d,
            u(0.42, 0.52),
            u(0.03, 0.1),
            u(0, 12) if kind == "boxy" else u(20, 45),
            u(0.25, 0.42),
            u(0.2, 0.3),
            u(0.9, 1.25),
        )
    hem = rng.choice(["straight", "curve"], p=[0.8, 0.2])
    sk.shape(finish_body(half, key, key["pit"][0] + u(-0.03, 0.07), length, rng, hem))
    if rng.random() < 0.5:  # neckband
        line = neck_half(neck, neck_w, neck_d)
        sk.detail([(x, y + 0.05) for x, y in mirror(line)[::-1] + line[1:]])
    if kind != "tank" and rng.random() < 0.4:
        cuffs(sk, key, u(0.04, 0.07))
    if rng.random() < 0.2:  # a print on the chest
        sk.detail(arc(0, length * 0.45, 0.12, 0.11, 0, 370, 12))
    return sk


def pullover(rng):
    """Pullover: long sleeves hanging down, angled or straight out; ribbed cuffs and waistband; maybe a hood."""
    u, sk = rng.uniform, Sketch()
    pose = rng.choice(["down", "diagonal", "out"], p=[0.45, 0.35, 0.2])
    hood, hood_h = rng.random() < 0.3, u(0.3, 0.45)
    length = u(1.1, 1.35) if pose == "out" else u(0.95, 1.25)
    angle, sleeve = {
        "down": (u(60, 78), u(0.85, 1.05) * length),
        "diagonal": (u(28, 50), u(0.75, 0.95)),
        "out": (u(0, 15), u(0.55, 0.75)),
    }[pose]
    neck_w, neck_d = u(0.12, 0.17), u(0.07, 0.15)
    half, key = top_half(
        "hood" if hood else "round",
        neck_w,
        neck_d,
        u(0.42, 0.5),
        u(0.04, 0.1),
        angle,
        sleeve,
        u(0.22, 0.3) + (0.04 if pose == "out" else 0),
        u(0.75, 1.0),
        hood=hood_h,
    )
    sk.shape(finish_body(half, key, key["pit"][0] + u(-0.05, 0.03), length, rng))
    if rng.random() < 0.75:
        cuffs(sk, key, u(0.07, 0.12))
    if rng.random() < 0.75:
        across(sk, key, length - u(0.08, 0.14))
    if hood:
        sk.detail(arc(0, -hood_h * 0.35, neck_w * 0.85, hood_h * 0.5, 0, 360, 14))
        if rng.random() < 0.6:
            sk.detail([(0.05, 0.05), (0.06, 0.25)], both=True)
        if rng.random() < 0.6:
            y = length - u(0.12, 0.2)
            sk.detail([(-0.28, y), (-0.2, y - 0.28), (0.2, y - 0.28), (0.28, y)])
    elif rng.random() < 0.6:
        sk.detail(arc(0, 0, neck_w, neck_d + 0.06, 10, 170, 7))
    if rng.random() < 0.2:  # knitted zigzag band across the chest
        y, x = length * 0.4, side_x(key, length * 0.4) - 0.03
        sk.detail([(xi, y + 0.05 * (i % 2)) for i, xi in enumerate(np.linspace(-x, x, 9))])
    return sk


def shirt(rng):
    """Shirt: collar points, button placket, chest pocket; long sleeves down or out, or short sleeves."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["long", "short", "open"], p=[0.4, 0.3, 0.3])
    length, neck_w, neck_d = u(1.05, 1.35), u(0.11, 0.15), u(0.12, 0.2)
    angle, sleeve = {
        "long": (u(58, 78), u(0.85, 1.05)),
        "short": (u(25, 45), u(0.28, 0.38)),
        "open": (u(20, 45), u(0.8, 1.0)),
    }[kind]
    half, key = top_half(
        "collar", neck_w, neck_d, u(0.44, 0.5), u(0.04, 0.09), angle, sleeve, u(0.18, 0.24), u(0.9, 1.15)
    )
    hem = rng.choice(["straight", "curve"])
    sk.shape(finish_body(half, key, key["pit"][0] + u(-0.02, 0.04), length, rng, hem))
    sk.detail([(0.0, neck_d), (neck_w * u(0.6, 0.9), neck_d + u(0.08, 0.14)), (neck_w, -0.07)], both=True)
    if rng.random() < 0.8:
        sk.detail([(0.03, neck_d), (0.03, length)])
    buttons(sk, -0.02, neck_d + 0.1, length - 0.12, rng.integers(3, 7))
    if rng.random() < 0.5:  # chest pocket
        x, y, s = u(0.12, 0.16), u(0.3, 0.38), u(0.13, 0.18)
        sk.detail([(x, y), (x, y + s), (x + s, y + s), (x + s, y)])
    if kind != "short" and rng.random() < 0.6:
        cuffs(sk, key, u(0.07, 0.1))
    return sk


def coat(rng):
    """Coat: long coat with lapels and buttons, double-breasted belted coat, zip jacket, or flared trench."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["long", "double", "zip", "trench"])
    length = u(1.0, 1.3) if kind == "zip" else u(1.45, 1.9)
    neck_w, neck_d = u(0.12, 0.16), (u(0.08, 0.14) if kind == "zip" else u(0.25, 0.45))
    angle = u(20, 45) if kind == "trench" else u(58, 74)
    sleeve = u(0.85, 1.05) if kind == "zip" else u(0.95, 1.15)
    half, key = top_half(
        "stand" if kind == "zip" else "v",
        neck_w,
        neck_d,
        u(0.44, 0.52),
        u(0.04, 0.1),
        angle,
        sleeve,
        u(0.2, 0.26),
        u(0.95, 1.3),
    )
    flare = u(0.08, 0.2) if kind == "trench" else u(0.0, 0.08)
    sk.shape(finish_body(half, key, key["pit"][0] + flare, length, rng))
    sk.detail([(0, -neck_d if kind == "zip" else neck_d), (0, length)])  # zip or front opening
    if kind == "zip":
        sk.dot(0.04, 0.05)
        if rng.random() < 0.5:
            sk.detail([(0.18, length * 0.55), (0.26, length * 0.8)], both=True)
        if rng.random() < 0.4:  # puffer quilting
            for y in np.arange(0.3, length - 0.1, 0.22):
                across(sk, key, y)
        elif rng.random() < 0.6:
            across(sk, key, length - 0.1)
    else:
        sk.detail([(neck_w, 0), (neck_w + u(0.06, 0.12), neck_d * u(0.45, 0.6)), (0.02, neck_d + 0.03)], both=True)
        rows = (-0.1, 0.1) if kind == "double" else (u(-0.08, 0.08),)
        for x in rows:
            buttons(sk, x, neck_d + 0.1, length * u(0.55, 0.7), rng.integers(3, 6))
        if kind in ("double", "trench") and rng.random() < 0.6:
            across(sk, key, length * u(0.38, 0.45))
        elif rng.random() < 0.6:
            y = length * u(0.6, 0.72)
            sk.detail([(0.12, y), (0.3, y)], both=True)
    if rng.random() < 0.3:
        cuffs(sk, key, u(0.08, 0.14))
    return sk


def dress(rng):
    """Dress: sleeveless A-line, short-sleeved belted dress, spaghetti-strap dress, or ruffled hem."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["aline", "sleeved", "straps", "ruffle"])
    waist_x, waist_y = u(0.18, 0.27), u(0.5, 0.7)
    length, hem_x = u(1.5, 2.1), u(0.5, 0.85)
    if kind == "straps":
        top = u(0.18, 0.28)
        half = [(0, top + u(0, 0.05)), (waist_x + u(0.06, 0.12), top)]
        sk.line([(0.12, top), (0.12 + u(-0.03, 0.03), top - u(0.2, 0.3))], both=True)
    elif kind == "sleeved":
        half, _ = top_half(
            "round", u(0.1, 0.15), u(0.08, 0.18), u(0.28, 0.34), u(0.02, 0.06), u(30, 55), u(0.14, 0.24), u(0.14, 0.2)
        )
    else:
        neck_w = u(0.1, 0.15)
        half, _ = top_half(
            rng.choice(["round", "v"]),
            neck_w,
            u(0.12, 0.3),
            neck_w + u(0.05, 0.1),
            u(0, 0.03),
            pit=(u(0.3, 0.36), u(0.25, 0.35)),
        )
    hem = "wave" if kind == "ruffle" else rng.choice(["straight", "curve", "zigzag"], p=[0.5, 0.4, 0.1])
    bulge = hem_x * u(0.4, 0.6) + waist_x * 0.5
    half += [(waist_x, waist_y), (bulge, waist_y + (length - waist_y) * 0.35)]
    sk.shape(from_half(half + hem_line(hem_x, length, hem, rng)))
    if kind == "sleeved" or rng.random() < 0.4:  # waist seam or belt
        sk.detail([(-waist_x, waist_y), (waist_x, waist_y)])
        if rng.random() < 0.4:
            sk.detail(arc(0, waist_y, 0.06, 0.05, 0, 370, 9))
    if kind == "ruffle" or rng.random() < 0.2:  # tiers
        y, x = (waist_y + length) / 2, bulge + (hem_x - bulge) * 0.25
        sk.detail([(-x, y), (x, y)])
    if rng.random() < 0.25:  # pleats fanning out
        for x in (0.08, 0.16):
            sk.detail([(x, waist_y), (x * 2.4, length - 0.05)], both=True)
    return sk


def trousers(rng):
    """Trouser: straight, flared, skinny, or wide legs apart; waistband, fly, pockets, creases."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["straight", "flared", "skinny", "wide"])
    waist, length, crotch = u(0.36, 0.46), u(1.35, 1.9), u(0.35, 0.55)
    out_x, gap = {
        "straight": (waist + u(-0.02, 0.04), u(0.09, 0.16)),
        "flared": (waist + u(0.12, 0.22), u(0.08, 0.14)),
        "skinny": (waist - u(0.03, 0.07), u(0.1, 0.16)),
        "wide": (waist + u(0.22, 0.35), u(0.22, 0.35)),
    }[kind]
    hip = waist + u(0.0, 0.04)
    half = [(0, 0), (waist, 0), (hip, length * 0.2), (out_x, length), (gap, length + u(-0.03, 0.03)), (0, crotch)]
    sk.shape(from_half(half))
    if rng.random() < 0.7:
        sk.detail([(-waist, 0.1), (waist, 0.1)])
        for x in (-0.7 * waist, 0.0, 0.7 * waist)[: 3 * (rng.random() < 0.4)]:  # belt loops
            sk.detail([(x, 0), (x, 0.1)])
    if rng.random() < 0.5:
        sk.detail([(0.04, 0.1), (0.05, crotch * 0.75), (0.0, crotch * 0.9)])
    if rng.random() < 0.5:
        sk.detail([(waist - u(0.1, 0.15), 0.1), (hip - 0.01, u(0.28, 0.36))], both=True)
    if rng.random() < 0.3:
        sk.detail([(waist * 0.5, crotch * 0.8), ((out_x + gap) / 2, length - 0.05)], both=True)
    return sk


# ---------------------------------------------------------------- shoes and bags (toe points right)


def sole_outline(heel, sole, spike=False):
    """Sole seen from the side, ground at y = 0, heel raised by `heel`.

    Returns the closed outline and its top edge (heel to toe tip)."""
    top = [(0.0, -heel - sole), (0.28, -heel - sole), (0.62, -sole), (0.96, -sole), (1.01, -sole * 0.45)]
    arch_and_heel = [(0.42, -heel * 0.35), (0.22, -heel), (0.13 if spike else 0.2, 0), (0.05 if spike else 0.02, 0)]
    return top + [(0.96, 0), (0.6, 0)] + (arch_and_heel if heel > 0.08 else [(0.05, 0)]), top


def sneaker(rng):
    """Sneaker: classic lace-up, chunky sole with stripes, low slip-on with toe cap, or rocker runner with swoosh."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["classic", "chunky", "slipon", "runner"])
    h = u(0.36, 0.44) if kind == "slipon" else u(0.46, 0.6)
    st = u(0.12, 0.18) if kind == "chunky" else u(0.06, 0.1)
    toe, rock = u(0.1, 0.16), (u(0.04, 0.1) if kind == "runner" else 0.0)
    sk.shape(
        [
            (-0.02, -st),
            (0.6, -st),
            (0.96, -st - rock),
            (1.02, -st * 0.5 - rock * 0.7),
            (0.95, -rock * 0.3),
            (0.6, 0),
            (0.05, 0),
            (-0.03, -st * 0.4),
        ],
        fill=rng.random() < 0.6,
    )
    vamp, tongue = np.array([0.78, -st - toe - 0.04]), np.array([0.5, -h * 0.92])
    sk.shape(
        [
            (-0.02, -st),
            (0.6, -st),
            (0.96, -st - rock),
            (1.03, -st - toe * 0.5 - rock),
            (0.95, -st - toe - rock * 0.5),
            tuple(vamp),
            tuple(tongue),
            (0.44, -h - u(0, 0.06)),
            (0.32, -h * u(0.8, 0.9)),
            (0.1, -h * 0.98),
            (-0.02, -h * 0.8),
            (-0.05, -h * 0.4),
        ]
    )
    if kind != "slipon":  # laces across the vamp
        normal = np.array([tongue[1] - vamp[1], vamp[0] - tongue[0]]) / np.hypot(*(tongue - vamp))
        for t in np.linspace(0.15, 0.85, rng.integers(2, 5)):
            p = vamp + (tongue - vamp) * t
            sk.detail([tuple(p - 0.03 * normal), tuple(p + 0.12 * normal)])
    if kind in ("classic", "runner") and rng.random() < 0.6:
        sk.detail([(0.72, -st - 0.04), (0.45, -st - h * 0.25), (0.18, -h * 0.6)])
    if kind == "chunky":
        for dx in (0.0, 0.08, 0.16)[: rng.integers(2, 4)]:
            sk.detail([(0.3 + dx, -st - 0.02), (0.4 + dx, -h * 0.7)])
    if kind == "slipon" or rng.random() < 0.3:
        sk.detail([(0.74, -st), (0.76, -st - toe * 0.8), (0.92, -st - toe - 0.02)])
    return sk


def ankle_boot(rng):
    """Ankle boot: flat Chelsea with elastic panel, heeled bootie with zip, or lace-up boot with chunky sole."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["chelsea", "heeled", "laceup"])
    heel = u(0.15, 0.3) if kind == "heeled" else u(0.03, 0.07)
    sole = u(0.1, 0.15) if kind == "laceup" else u(0.05, 0.08)
    shaft, front, toe = u(0.8, 1.1), u(0.36, 0.48), u(0.18, 0.26)
    tip = 1.0 + (u(0.03, 0.08) if kind == "heeled" else 0.0)
    outline, top = sole_outline(heel, sole, spike=kind == "heeled" and rng.random() < 0.5)
    sk.shape(outline, fill=rng.random() < 0.7)
    slant = u(-0.05, 0.08)
    sk.shape(
        top[:-1]
        + [
            (tip, -sole - toe * 0.4),
            (0.95, -sole - toe),
            (0.75, -sole - toe - 0.08),
            (front + 0.08, -0.5),
            (front, -0.65),
            (front + u(-0.03, 0.03), -shaft),
            (0.03, -shaft - slant),
            (-0.03, -0.6 * shaft),
        ]
    )
    if kind == "chelsea":
        sk.detail([(0.14, -shaft), (0.19, -0.5), (0.29, -0.48), (0.34, -shaft)])
        if rng.random() < 0.6:
            sk.line(
                [
                    (0.03, -shaft - slant),
                    (0.0, -shaft - slant - 0.12),
                    (0.09, -shaft - slant - 0.12),
                    (0.1, -shaft - slant),
                ]
            )
    elif kind == "heeled":
        if rng.random() < 0.6:
            sk.detail([(0.12, -shaft - slant * 0.7), (0.12, -heel - sole - 0.15)])
            sk.dot(0.15, -shaft + 0.08)
    else:
        for y in np.linspace(-0.5, -shaft + 0.1, rng.integers(3, 6)):
            sk.detail([(front - 0.06, y), (front + 0.05, y - 0.05)])
        if rng.random() < 0.5:
            sk.detail([(0.75, -sole), (0.76, -sole - toe), (0.9, -sole - toe - 0.04)])
    return sk


def sandal(rng):
    """Sandal: flat with strap loops, high heel with ankle strap, gladiator, or slide with one wide band."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["flat", "heeled", "gladiator", "slide"])
    heel = u(0.22, 0.4) if kind == "heeled" else u(0.0, 0.04)
    t = u(0.04, 0.07)
    outline, top = sole_outline(heel, t, spike=rng.random() < 0.6)
    sk.shape(outline)
    top_x, top_y = np.array(top).T

    def strap(centre, half_width, height):
        """A strap rising from the sole over the foot and back down."""
        x = np.linspace(centre - half_width, centre + half_width, 8)
        return list(zip(x, np.interp(x, top_x, top_y) - height * np.sin(np.linspace(0, np.pi, 8)), strict=True))

    base = -heel - t  # sole top at the heel
    if kind == "slide":
        sk.shape(strap(u(0.6, 0.68), u(0.2, 0.28), u(0.2, 0.28)))
        if rng.random() < 0.4:
            sk.line([(0.02, base), (0.05, base - 0.18), (0.3, base - 0.16)])
        return sk
    count = {"flat": rng.integers(2, 4), "heeled": rng.integers(1, 3), "gladiator": 2}[kind]
    for x in np.linspace(u(0.76, 0.82), u(0.45, 0.55), count):
        sk.line(strap(x, u(0.1, 0.16), 0.06 + 0.25 * (1 - x) + u(-0.02, 0.03)))
    ankle_y = base - (u(0.3, 0.42) if kind == "heeled" else u(0.2, 0.3))
    if kind == "gladiator":
        sk.line([(0.36, -t - 0.1), (0.34, base - 0.55)])
        sk.line([(0.03, base), (0.04, base - 0.55)])
        for y in np.linspace(base - 0.12, base - 0.55, rng.integers(3, 5)):
            sk.line([(0.04, y), (0.35, y - 0.02)])
    else:
        sk.line(arc(0.15, ankle_y, u(0.12, 0.16), u(0.05, 0.09), 0, 370, 12))
        sk.line([(0.02, base), (0.03, ankle_y)])
        if rng.random() < 0.4:
            sk.line([(0.28, ankle_y), (0.5, np.interp(0.5, top_x, top_y) - 0.2)])
    return sk


def bag(rng):
    """Bag: handbag with arched handle, tote with two handles, shoulder bag with flap and long strap, or dome bag."""
    u, sk = rng.uniform, Sketch()
    kind = rng.choice(["handbag", "tote", "shoulder", "dome"])
    h = u(0.75, 1.05) if kind == "tote" else u(0.5, 0.85)
    top = 0.5 * (u(0.85, 1.05) if kind == "tote" else u(0.68, 0.95))
    if kind == "dome":
        half = arc(0, h * 0.45, 0.5, h * 0.45, 270, 360, 6) + [(0.5, h), (0, h)]
        sk.detail(arc(0, h * 0.45, 0.42, h * 0.37, 200, 340, 8))
        for x in (-0.12, 0.12):
            sk.line(arc(x, 0.0, 0.1, 0.18, 180, 360, 7))
    else:
        half = [(0, 0), (top, 0), (0.5, h), (0, h)]
    sk.shape(from_half(half))
    if kind in ("handbag", "tote"):
        rx, ry = top * u(0.45, 0.7), h * u(0.4, 0.75)
        for dx in (-0.1, 0.1) if kind == "tote" else (0.0,):
            sk.line(arc(dx, 0, rx, ry, 180, 360, 9))
            if kind == "handbag" and rng.random() < 0.4:
                sk.line(arc(dx, 0, rx - 0.08, ry - 0.08, 185, 355, 8))
        if rng.random() < 0.5:
            y = h * u(0.2, 0.35)
            sk.detail([(-top - (0.5 - top) * y / h, y), (top + (0.5 - top) * y / h, y)])
            sk.dot(0, y + 0.06)
    elif kind == "shoulder":
        sk.line(arc(0, 0, top - 0.03, h * u(0.9, 1.4), 180, 360, 11))
        flap = h * u(0.4, 0.6)
        pointed = [(-top, 0.02), (0, flap), (top, 0.02)]
        sk.detail(pointed if rng.random() < 0.5 else arc(0, 0.03, top * 0.95, flap - 0.03, 180, 0, 9))
        sk.dot(0, flap)
    return sk


BUILDERS = (tshirt, trousers, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


# ---------------------------------------------------------------- placing and tracing


def place(sk, rng, flip):
    """Map model geometry to canvas pixels with random size, position, tilt, mirror and warp.

    Returns the placed sketch and the drawing's size as a fraction of the canvas."""
    points = np.vstack([p for p, _ in sk.shapes] + sk.lines + sk.details)
    centre = (points.min(0) + points.max(0)) / 2
    tilt = np.radians(np.clip(rng.normal(0, 6), -15, 15))
    rot = np.array([[np.cos(tilt), -np.sin(tilt)], [np.sin(tilt), np.cos(tilt)]])
    matrix = rot @ np.diag([(-1 if flip else 1) * np.exp(rng.normal(0, 0.08)), 1.0])
    q = (points - centre) @ matrix.T
    frac = rng.triangular(0.3, 0.6, 0.88)
    scale = frac * SIZE / (q.max(0) - q.min(0)).max()
    lo, hi = q.min(0) * scale, q.max(0) * scale
    offset = np.array(
        [
            rng.uniform(12 - a, SIZE - 12 - b) if b - a < SIZE - 24 else (SIZE - a - b) / 2
            for a, b in zip(lo, hi, strict=True)
        ]
    )
    warp = rng.uniform(0, 0.03, 2) * frac * SIZE
    period, phase = rng.uniform(150, 400, 2), rng.uniform(0, 2 * np.pi, 2)

    def to_canvas(p):
        r = (p - centre) @ matrix.T * scale + offset
        r[:, 0] += warp[0] * np.sin(2 * np.pi * r[:, 1] / period[0] + phase[0])
        r[:, 1] += warp[1] * np.sin(2 * np.pi * r[:, 0] / period[1] + phase[1])
        return r

    placed = Sketch(
        [(to_canvas(p), f) for p, f in sk.shapes], [to_canvas(p) for p in sk.lines], [to_canvas(p) for p in sk.details]
    )
    return placed, frac


def resample(pts, closed):
    """Points spaced STEP px apart along a polyline (closed curves do not repeat the start)."""
    p = np.vstack([pts, pts[:1]]) if closed else pts
    s = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(p, axis=0).T))])
    n = max(int(s[-1] / STEP), 2)
    t = np.linspace(0, s[-1], n + 1)[:-1] if closed else np.linspace(0, s[-1], n + 1)
    return np.column_stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])])


def smooth(p, window):
    """Moving-average smoothing of a closed curve: rounds corners over about `window` points."""
    if window < 2 or len(p) < 2 * window:
        return p
    kernel = np.ones(window) / window
    padded = np.pad(p, ((window // 2, window - 1 - window // 2), (0, 0)), mode="wrap")
    return np.column_stack([np.convolve(padded[:, i], kernel, mode="valid") for i in range(2)])


def wobble(p, closed, rng, amp):
    """Slow hand tremor: smooth random offsets along the stroke (periodic on closed curves)."""
    total = len(p) * STEP
    s = np.arange(len(p)) * STEP
    out = p.copy()
    for axis in range(2):
        for _ in range(3):
            waves = rng.integers(1, max(2, int(total / 60)) + 1) if closed else total / rng.uniform(60, 250)
            out[:, axis] += (
                amp * rng.uniform(0.2, 1) * np.sin(2 * np.pi * waves * s / total + rng.uniform(0, 2 * np.pi))
            )
    return out


def pointer_samples(p, rng, speed):
    """Keep only the points a mouse reports: irregular gaps later joined by straight segments."""
    gaps = np.maximum(1, np.round(speed * rng.uniform(2, 7, len(p)))).astype(int)
    idx = np.concatenate([[0], np.cumsum(gaps)])
    idx = np.append(idx[idx < len(p) - 1], len(p) - 1)
    return p[idx] + rng.normal(0, 0.4, (len(idx), 2))


def closed_strokes(curve, rng, speed):
    """Trace a closed curve in 1-4 strokes whose ends leave small gaps or overlap."""
    n = len(curve)
    k = int(rng.choice([1, 1, 2, 2, 3, 4]))
    cuts = np.sort(rng.choice(n, k, replace=False))
    strokes = []
    for i in range(k):
        start = cuts[i] - int(rng.uniform(-3, 4))
        end = cuts[(i + 1) % k] + (n if i == k - 1 else 0) + int(rng.uniform(-3, 6))
        if end - start > 2:
            strokes.append(pointer_samples(curve[np.arange(start, end + 1) % n], rng, speed))
    return strokes


def open_stroke(pts, rng, amp, speed):
    """Trace an open line: wobble, then stop short of or overshoot each end."""
    p = wobble(resample(pts, False), False, rng, amp)
    if len(p) > 4:
        for end, inner in ((0, 3), (-1, -4)):
            extra = rng.uniform(-4, 8)
            if extra > 0:
                tip = p[end] + extra * (p[end] - p[inner]) / (np.hypot(*(p[end] - p[inner])) + 1e-9)
                p = np.vstack([tip, p]) if end == 0 else np.vstack([p, tip])
            elif len(p) > 8:
                cut = int(-extra / STEP)
                p = p[cut:] if end == 0 else p[: len(p) - cut]
    return pointer_samples(p, rng, speed)


def hatch(poly, rng, angle, spacing):
    """Back-and-forth scribble strokes colouring a polygon in, like filling with a mouse."""
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, s], [-s, c]])  # hatch rows become horizontal
    q = poly @ rot.T
    (x0, y0), (x1, y1) = q.T, np.roll(q, -1, axis=0).T
    strokes, previous = [], []
    rows = np.arange(y0.min() + spacing * rng.uniform(0.3, 0.7), y0.max(), spacing)
    for row, y in enumerate(rows):
        hit = (y0 <= y) != (y1 <= y)
        xs = np.sort(x0[hit] + (y - y0[hit]) * (x1[hit] - x0[hit]) / (y1[hit] - y0[hit]))
        segments = [(xs[i], xs[i + 1]) for i in range(0, len(xs) - 1, 2)]
        if row % 2:
            segments = [(b, a) for a, b in segments[::-1]]
        current = []
        for a, b in segments:
            way = np.sign(b - a)
            a, b = a - way * rng.uniform(-4, 5), b + way * rng.uniform(-4, 5)
            if (b - a) * way < 3:
                continue
            seg = [(a, y + rng.uniform(-0.25, 0.25) * spacing), (b, y + rng.uniform(-0.25, 0.25) * spacing)]
            near = [st for st in previous if np.hypot(st[-1][0] - a, st[-1][1] - seg[0][1]) < 2.5 * spacing]
            if near:  # carry on the zigzag from the row before
                previous.remove(near[0])
            else:
                strokes.append([])
            stroke = near[0] if near else strokes[-1]
            stroke.extend(seg)
            current.append(stroke)
        previous = current
    return [np.asarray(st) @ rot for st in strokes if len(st) >= 2]


def trace(sk, style, rng, frac):
    """Turn placed geometry into mouse strokes and solid fill polygons."""
    amp, speed, corner = rng.uniform(0.6, 2.2), rng.uniform(0.7, 1.6), int(rng.integers(1, 6))
    solid = rng.random() < 0.5  # solid silhouette, else scribbled in
    angle = rng.choice([0.0, np.pi / 2, np.pi / 4, -np.pi / 4], p=[0.45, 0.2, 0.2, 0.15]) + rng.normal(0, 0.12)
    spacing = rng.uniform(8, 15)
    strokes, fills = [], []
    for pts, fillable in sk.shapes:
        curve = wobble(smooth(resample(pts, True), corner), True, rng, amp)
        coloured = style == "filled" and fillable
        if coloured and solid:
            fills.append(curve)
        elif coloured:
            strokes += hatch(curve, rng, angle, spacing)
        if not (coloured and not solid and frac > 0.55 and rng.random() < 0.1):
            strokes += closed_strokes(curve, rng, speed)
    strokes += [open_stroke(p, rng, amp * 0.6, speed) for p in sk.lines]
    if style == "outline":
        keep = min(1.0, frac / 0.6)  # small drawings get fewer inner lines
        strokes += [open_stroke(p, rng, amp * 0.5, speed) for p in sk.details if rng.random() < keep]
    return strokes, fills


def render(strokes, fills, pen):
    """Draw strokes with a round pen of diameter `pen` px on a white 280x280 RGB canvas."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    for poly in fills:
        draw.polygon([tuple(p) for p in poly], fill=0)
    r = pen / 2
    for stroke in strokes:
        pts = [tuple(p) for p in stroke]
        draw.line(pts, fill=0, width=pen)
        for x, y in pts:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style`; return one RGB uint8 canvas per pen width."""
    if label not in range(len(BUILDERS)):
        raise ValueError(f"unknown label {label!r}, expected 0-9")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}, expected one of {STYLES}")
    sk = BUILDERS[label](rng)
    placed, frac = place(sk, rng, flip=label in SIDE_VIEW and rng.random() < 0.5)
    strokes, fills = trace(placed, style, rng, frac)
    return [render(strokes, fills, pen) for pen in pens]
