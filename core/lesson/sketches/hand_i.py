"""Hand I: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 7).

Students aged 13-16 draw one of the ten Fashion-MNIST classes on a 280x280 white
canvas with a round black pen (22 or 18 px): coloured in (solid or scribbled), or
as an outline plus the inner lines that matter to them (collar, buttons, laces).
Each drawing is built as model geometry (silhouettes, details, straps), then
turned into mouse strokes: lopsided warp, tilt, random size and position, rounded
or overshot corners, wobble, sparse pointer samples joined by straight segments
and outlines that do not quite close. The same strokes are rendered per pen.
"""

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280
MARGIN = 18
STYLES = ("filled", "outline")


def P(x, y):
    """A 2-d point."""
    return np.array([x, y], float)


def arc(cx, cy, rx, ry, a0, a1, n=13):
    """Points on an ellipse arc; angles in degrees, y points down (90 = bottom)."""
    t = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def quad(p0, p1, p2, n=9):
    """Quadratic Bezier curve from p0 to p2, pulled towards p1."""
    t = np.linspace(0, 1, n)[:, None]  # numpy turns the point tuples into arrays
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * p1 + t**2 * p2


def mirror(pts):
    """Left-right mirror image of a path, in reverse order."""
    return np.asarray(pts, float)[::-1] * [-1, 1]


def zigzag(x0, x1, y, height, n=9):
    """A zigzag line from x0 to x1 around height y (fur, knit pattern, tread)."""
    return np.column_stack([np.linspace(x0, x1, n), y + height * (np.arange(n) % 2 - 0.5)])


def jitter(rng, pts):
    """Move key points a little, so the two halves of a garment differ."""
    return pts + rng.normal(0, 0.015, pts.shape)


def pick(rng, **weights):
    """Choose a variant name with the given relative weights."""
    names, p = list(weights), np.array(list(weights.values()), float)
    return names[rng.choice(len(names), p=p / p.sum())]


class Sketch:
    """Model-space drawing made by a class builder(rng, outline): silhouettes, details, straps."""

    def __init__(self):
        self.parts = []  # (points, closed, role)

    def body(self, pts):
        """Closed silhouette; coloured in when the style is filled."""
        self.parts.append((np.asarray(pts, float), True, "body"))

    def detail(self, pts, closed=False):
        """Inner line drawn only in outline style; a single point is a click (button)."""
        self.parts.append((np.asarray(pts, float), closed, "detail"))

    def strap(self, pts, closed=False):
        """Line drawn in both styles, e.g. a handle or sandal strap."""
        self.parts.append((np.asarray(pts, float), closed, "strap"))


# sleeve poses: shoulder half-width, degrees below horizontal, length, width at armpit, cuff/armpit
POSES = {
    "short": ((0.45, 0.56), (12, 40), (0.24, 0.38), (0.22, 0.3), (0.8, 1)),
    "droop": ((0.45, 0.55), (30, 45), (0.3, 0.42), (0.2, 0.26), (0.8, 1)),
    "boxy": ((0.5, 0.6), (0, 12), (0.2, 0.3), (0.26, 0.34), (0.85, 1)),
    "slanted": ((0.45, 0.56), (25, 55), (0.8, 1.05), (0.22, 0.3), (0.68, 0.9)),
    "hanging": ((0.55, 0.68), (62, 80), (0.8, 1.05), (0.22, 0.3), (0.68, 0.9)),
    "puff": ((0.3, 0.38), (25, 50), (0.12, 0.22), (0.14, 0.2), (0.8, 1.1)),
    "slim": ((0.32, 0.4), (55, 75), (0.7, 0.9), (0.14, 0.2), (0.7, 0.9)),
}


def sleeves(rng, pose):
    """Shoulder half-width and sleeve tuple for a named sleeve pose."""
    sw, deg, s_len, w, cuff = (rng.uniform(*r) for r in POSES[pose])
    return sw, (s_len, deg, w, w * cuff)


def garment(
    rng, nw, nd, sw, length, flare, neck="round", sleeve=None, armhole=None, waist=None, hem_curve=0.0, hem_wave=0.0
):
    """Outline of a front-view garment, neck at y=0 and hem at y=length.

    sleeve = (length, degrees down, armpit width, cuff width) or, sleeveless,
    armhole = (x, y); hem `flare` and waist = (factor, y) are relative to the
    armpit x. Returns the closed outline and key points for inner details.
    """
    S = P(sw, rng.uniform(0, 0.09))
    key, right = {"S": S}, [P(nw, 0), S]
    if sleeve:
        s_len, deg, w, cw = sleeve
        a = np.radians(deg)
        d, n = P(np.cos(a), np.sin(a)), P(-np.sin(a), np.cos(a))
        key.update(O=S + s_len * d, I=S + s_len * d + cw * n, A=S + w * n)
        right += [key["O"], key["I"], key["A"]]
    else:
        key["A"] = P(*armhole)
        right += list(quad(S, (S[0], armhole[1]), key["A"], 5)[1:])
    ax = key["A"][0]
    key["H"] = P(ax * flare, length)
    key["side"] = np.array([key["A"]] + ([P(ax * waist[0], waist[1])] if waist else []) + [key["H"]])
    right = np.array(right + list(key["side"][1:]))
    xs = np.linspace(1, -1, 25 if hem_wave else 9)
    hem = np.column_stack(
        [xs * ax * flare, length + hem_curve * (1 - xs**2) + hem_wave * np.abs(np.sin(xs * np.pi * 3))]
    )
    necks = {
        "round": arc(0, 0, nw, nd, 180, 0, 9),
        "v": np.array([[-nw, 0], [0, nd], [nw, 0]]),
        "hood": arc(0, 0, nw, nd, 180, 360, 11),
        "turtle": np.array([[-nw, 0], [-nw * 0.9, -nd], [nw * 0.9, -nd], [nw, 0]]),
    }
    return np.vstack([jitter(rng, right), hem[1:-1], mirror(jitter(rng, right)), necks[neck][1:-1]]), key


def side_x(key, y):
    """Half-width of the garment body at height y."""
    return np.interp(y, key["side"][:, 1], key["side"][:, 0])


def across(key, y, wave=0.0):
    """Line across the body at height y (band, belt, stripe), optionally zigzag."""
    x = side_x(key, y)
    return zigzag(-x, x, y, wave, 11) if wave else np.array([[-x, y], [x, y]])


def both_sides(sk, pts, closed=False):
    """Add a detail and its mirror image."""
    sk.detail(pts, closed)
    sk.detail(mirror(pts), closed)


def cuff_lines(sk, key, t):
    """Lines across both sleeves a fraction t back from the cuff."""
    outer, inner, shoulder, armpit = key["O"], key["I"], key["S"], key["A"]
    both_sides(sk, np.array([outer + (shoulder - outer) * t, inner + (armpit - inner) * t]))


def box(x0, y0, x1, y1):
    """Corners of an axis-aligned rectangle (pocket, buckle, print)."""
    return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def logo(sk, rng, key):
    """A small picture or stripes on the chest, as students like to add."""
    y, r = key["H"][1] * rng.uniform(0.35, 0.5), rng.uniform(0.09, 0.15)
    kind = pick(rng, circle=0.3, heart=0.3, star=0.2, stripes=0.2)
    t = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    if kind == "circle":
        sk.detail(arc(0, y, r, r, 0, 330, 12), closed=True)
    elif kind == "heart":
        hy = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
        sk.detail(np.column_stack([16 * np.sin(t) ** 3, hy]) * r / 16 + [0, y], closed=True)
    elif kind == "star":
        t, rad = np.radians(np.arange(10) * 36 - 90), np.where(np.arange(10) % 2, r * 0.45, r * 1.2)
        sk.detail(np.column_stack([rad * np.cos(t), y + rad * np.sin(t)]), closed=True)
    else:
        for dy in (0, 0.16):
            sk.detail(across(key, y + dy))


def tshirt(rng, outline):
    """T-shirt or top: classic crew neck, droopy V-neck, tank top or boxy tee."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, classic=0.35, vneck=0.25, tank=0.2, boxy=0.2)
    nw, nd = u(0.13, 0.2), u(0.2, 0.32) if v == "vneck" else u(0.07, 0.14)
    if v == "tank":
        body, key = garment(
            rng,
            nw,
            u(0.15, 0.3),
            nw + u(0.05, 0.12),
            u(0.9, 1.2),
            u(1, 1.12),
            pick(rng, round=0.6, v=0.4),
            armhole=(u(0.36, 0.46), u(0.3, 0.45)),
            hem_curve=u(-0.04, 0.08),
        )
    else:
        sw, sleeve = sleeves(rng, {"classic": "short", "vneck": "droop", "boxy": "boxy"}[v])
        body, key = garment(
            rng,
            nw,
            nd,
            sw,
            u(0.75, 0.95) if v == "boxy" else u(0.95, 1.25),
            u(1, 1.1),
            "v" if v == "vneck" else "round",
            sleeve=sleeve,
        )
        if rng.random() < 0.3:
            both_sides(sk, np.array([key["S"], key["A"]]))
    sk.body(body)
    if v in ("classic", "boxy") and rng.random() < 0.5:
        sk.detail(arc(0, 0, nw + 0.05, nd + 0.06, 180, 0, 9))
    if rng.random() < 0.4:
        logo(sk, rng, key)
    return sk


def pullover(rng, outline):
    """Pullover: crew neck, patterned V-neck, hoodie or turtleneck, long sleeves."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, crew=0.4, patterned=0.2, hoodie=0.25, turtleneck=0.15)
    sw, sleeve = sleeves(rng, pick(rng, hanging=0.5, slanted=0.5))
    nw, nd, neck = {
        "crew": (0.16, 0.11, "round"),
        "patterned": (0.15, 0.25, "v"),
        "hoodie": (0.28, 0.3, "hood"),
        "turtleneck": (0.17, 0.16, "turtle"),
    }[v]
    nw, nd, length = nw * u(0.85, 1.15), nd * u(0.8, 1.2), u(1.0, 1.3)
    body, key = garment(rng, nw, nd, sw, length, u(0.92, 1.03), neck, sleeve=sleeve)
    sk.body(body)
    ax = key["A"][0]
    if rng.random() < 0.7:
        cuff_lines(sk, key, u(0.1, 0.18))
    if rng.random() < 0.65:
        sk.detail(across(key, length - u(0.08, 0.15)))
    if v == "crew" and rng.random() < 0.6:
        sk.detail(arc(0, 0, nw + 0.05, nd + 0.06, 180, 0, 9))
    elif v == "patterned":
        for k in range(rng.integers(1, 4)):
            sk.detail(across(key, length * 0.35 + k * 0.14, wave=0.08 if k % 2 == 0 else 0))
    elif v == "hoodie":
        sk.detail(arc(0, -nd * 0.3, nw * 0.6, nd * 0.55, 0, 330, 12), closed=True)
        both_sides(sk, np.array([(nw * 0.35, 0.04), (nw * 0.4, u(0.25, 0.35))]))
        if rng.random() < 0.7:
            y0, y1 = length * u(0.5, 0.6), length - 0.15
            sk.detail([(-ax * 0.45, y0), (ax * 0.45, y0), (ax * 0.6, y1), (-ax * 0.6, y1)], closed=True)
    elif v == "turtleneck":
        sk.detail([(-nw * 0.95, -nd * 0.45), (nw * 0.95, -nd * 0.45)])
    return sk


def shirt(rng, outline):
    """Shirt: collar and buttons, long or short sleeves, sometimes curved shirt tails."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, long=0.45, short=0.3, tails=0.25)
    nw, nd, length = u(0.12, 0.17), u(0.1, 0.18), u(1.05, 1.35)
    pose = "short" if v == "short" else pick(rng, hanging=0.5 if v == "long" else 0, slanted=0.5)
    sw, sleeve = sleeves(rng, pose)
    tail = u(0.1, 0.2) if v == "tails" else u(-0.02, 0.04)
    body, key = garment(rng, nw, nd, sw, length, u(0.95, 1.05), "v", sleeve=sleeve, hem_curve=tail)
    sk.body(body)
    ax = key["A"][0]
    both_sides(sk, np.array([(nw * 1.15, 0.01), (nw * u(0.3, 0.6), nd + u(0.12, 0.22)), (0, nd)]), True)
    placket = rng.random() < 0.7
    if placket:
        sk.detail([(0, nd), (0, length + tail * 0.9)])
    if rng.random() < 0.75:
        for y in np.linspace(nd + 0.15, length - 0.1, rng.integers(4, 7)):
            sk.detail([(0.07 if placket else 0, y)])
    if rng.random() < 0.45:
        s, y0 = rng.choice([-1, 1]), u(0.25, 0.35)
        sk.detail(box(s * ax * 0.25, y0, s * ax * 0.62, y0 + u(0.15, 0.22)), True)
    if v != "short" and rng.random() < 0.55:
        cuff_lines(sk, key, u(0.1, 0.16))
    return sk


def coat(rng, outline):
    """Coat: long classic coat with lapels, belted trench, hooded parka or zip jacket."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, classic=0.35, trench=0.2, parka=0.25, jacket=0.2)
    sw, sleeve = sleeves(rng, pick(rng, hanging=0.55, slanted=0.45))
    length = u(1.1, 1.4) if v == "jacket" else u(1.6, 2.1)
    nw, nd, neck = {
        "parka": (u(0.27, 0.33), u(0.25, 0.35), "hood"),
        "jacket": (u(0.12, 0.16), u(0.08, 0.14), "turtle"),
    }.get(v, (u(0.13, 0.18), u(0.3, 0.5), "v"))
    body, key = garment(rng, nw, nd, sw, length, u(0.95, 1.05) if v == "jacket" else u(1.05, 1.3), neck, sleeve=sleeve)
    sk.body(body)
    top = nd if neck == "v" else 0.02
    sk.detail([(0, top), (0, length)])
    if neck == "v":
        both_sides(sk, np.array([(nw, 0), (nw + u(0.08, 0.16), nd * u(0.35, 0.55)), (0.02, nd)]))
    else:
        sk.detail([(0.05, top + 0.08)])
    if v == "classic":
        for y in np.linspace(nd + 0.1, length * u(0.55, 0.7), rng.integers(3, 6)):
            sk.detail([(u(0.06, 0.1), y)])
    elif v == "trench":
        belt = length * u(0.38, 0.48)
        sk.detail(across(key, belt))
        sk.detail(across(key, belt + 0.1))
        sk.detail(box(-0.08, belt - 0.03, 0.08, belt + 0.13), True)
        for x, y in [(-0.14, nd + 0.08), (0.14, nd + 0.08), (-0.14, belt - 0.12), (0.14, belt - 0.12)]:
            sk.detail([(x, y)])
    elif v == "parka":
        sk.detail(arc(0, -nd * 0.3, nw * 0.6, nd * 0.55, 0, 330, 12), closed=True)
    else:
        sk.detail([(-nw * 0.9, -nd * 0.4), (nw * 0.9, -nd * 0.4)])
        if rng.random() < 0.6:
            sk.detail(across(key, length - u(0.08, 0.13)))
    if rng.random() < 0.6:
        y = length * u(0.55, 0.7)
        x0, x1 = side_x(key, y) * 0.25, side_x(key, y) * 0.7
        both_sides(sk, box(x0, y, x1, y + 0.22) if v == "parka" else np.array([(x0, y), (x1, y)]), v == "parka")
    if rng.random() < 0.4:
        cuff_lines(sk, key, u(0.1, 0.16))
    return sk


def dress(rng, outline):
    """Dress: strappy sundress, short-sleeved with waist, A-line shift or long-sleeved."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, straps=0.3, sleeved=0.3, aline=0.2, longsleeve=0.2)
    nw, nd, length, waist_y = u(0.12, 0.18), u(0.08, 0.22), u(1.4, 2.0), u(0.55, 0.8)
    shape = {"hem_curve": u(0, 0.1), "hem_wave": u(0.04, 0.08) if rng.random() < 0.25 else 0.0}
    if v == "straps":
        sw, shape["armhole"] = nw + u(0.04, 0.08), (u(0.22, 0.3), u(0.28, 0.42))
    elif v == "aline":
        sw, shape["armhole"] = u(0.24, 0.3), (u(0.28, 0.36), u(0.3, 0.4))
    else:
        sw, shape["sleeve"] = sleeves(rng, "puff" if v == "sleeved" else "slim")
    if v != "aline":
        shape["waist"] = (u(0.8, 0.95), waist_y)
    body, key = garment(rng, nw, nd, sw, length, u(1.9, 3.2), pick(rng, round=0.6, v=0.4), **shape)
    sk.body(body)
    if v == "aline":
        if rng.random() < 0.5:
            sk.detail(across(key, length - u(0.12, 0.2)))
        return sk
    if rng.random() < 0.6:
        sk.detail(across(key, waist_y))
    if rng.random() < 0.4:
        wx, hx = side_x(key, waist_y), key["H"][0]
        for f in np.linspace(-0.5, 0.5, rng.integers(2, 5)):
            sk.detail([(f * wx, waist_y + 0.1), (f * hx * 1.3, length - 0.05)])
    if rng.random() < 0.2:
        both_sides(sk, np.array([(0, waist_y), (0.14, waist_y - 0.08), (0.14, waist_y + 0.08)]), True)
    return sk


def trouser(rng, outline):
    """Trousers: straight jeans, flares, skinny or wide legs, with a gap between the legs."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, straight=0.35, flared=0.25, skinny=0.2, wide=0.2)
    waist, hip_y, crotch, length = u(0.42, 0.55), u(0.25, 0.45), u(0.35, 0.6), u(1.9, 2.5)
    hip = waist * u(1.0, 1.1)
    hem_x = hip * {"straight": u(0.92, 1.05), "flared": u(1.15, 1.45), "skinny": u(0.75, 0.9), "wide": u(1.1, 1.3)}[v]
    gap = hem_x * (u(0.2, 0.3) if v == "wide" else u(0.3, 0.48))  # thick pens need a wide gap
    right = np.array([(waist, 0), (hip, hip_y), (hem_x, length), (gap, length), (gap * u(0.5, 0.9), crotch + 0.15)])
    sk.body(np.vstack([jitter(rng, right), [(0, crotch)], mirror(jitter(rng, right))]))

    def side(y):
        return np.interp(y, [0, hip_y, length], [waist, hip, hem_x])

    band = u(0.1, 0.16)
    if rng.random() < 0.75:
        sk.detail([(-side(band), band), (side(band), band)])
    if rng.random() < 0.6:
        sk.detail([(0, band), (0.02, crotch * 0.55), (-0.06, crotch * 0.75)])
    if rng.random() < 0.3:
        sk.detail([(0, band / 2)])
    if rng.random() < 0.5:
        both_sides(sk, quad((waist * 0.45, band), (waist * 0.6, hip_y * 0.8), (side(hip_y * 0.9), hip_y * 0.9)))
    if rng.random() < (0.7 if v == "wide" else 0.3):
        both_sides(sk, np.array([(hip * 0.5, crotch * 0.9), ((hem_x + gap) / 2, length * 0.95)]))
    if rng.random() < 0.25:
        y = length - u(0.1, 0.16)
        both_sides(sk, np.array([(np.interp(y, [crotch, length], [0, gap]), y), (side(y), y)]))
    return sk


def sneaker(rng, outline):
    """Sneaker: classic laced, chunky sole, low canvas shoe or high-top."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, classic=0.4, chunky=0.25, canvas=0.2, hightop=0.15)
    h = {"chunky": u(0.83, 1.08), "canvas": u(0.65, 0.8)}.get(v, u(0.75, 1.0))
    t = u(0.22, 0.32) if v == "chunky" else u(0.1, 0.18)
    toe, heel = h * u(0.4, 0.52), h * u(0.8, 0.95)
    tongue_x = u(-0.25, -0.05) if v == "canvas" else u(-0.45, -0.25)
    tongue, dip = h, heel * u(0.8, 0.92)
    if v == "hightop":
        heel = h * u(1.3, 1.6)
        tongue, dip = heel * u(0.95, 1.05), heel * 0.97
    lace_top, lace_end = P(tongue_x + 0.15, -tongue * 0.97), P(0.42, -toe * u(1.25, 1.45))
    sk.body(
        [
            (-0.97, 0),
            (-1.03, -0.45 * heel),
            (-0.93, -heel),
            (-0.7, -dip),
            (tongue_x, -tongue),
            lace_top,
            lace_end,
            (0.78, -toe),
            (1.0, -toe * 0.45),
            (0.96, 0),
        ]
    )
    if rng.random() < 0.85:
        sk.detail([(-1.0, -t), (0.98, -t)])
    if v == "chunky" and rng.random() < 0.6:
        sk.detail(zigzag(-0.9, 0.88, -t * 0.5, t * 0.35, 11))
    if v != "canvas" or rng.random() < 0.5:
        e = (lace_end - lace_top) / np.linalg.norm(lace_end - lace_top)
        inward = P(-e[1], e[0])
        for f in np.linspace(0.1, 0.85, rng.integers(3, 6)):
            p = lace_top + f * (lace_end - lace_top)
            sk.detail([p + inward * 0.03 - e * 0.06, p + inward * 0.2 + e * 0.06])
    if v == "canvas" and rng.random() < 0.7:
        sk.detail(quad((0.45, -t), (0.55, -toe * 1.05), (0.85, -toe * 0.95)))
    deco = pick(rng, swoosh=0.45, stripes=0.25, none=0.3)
    if deco == "swoosh":
        sk.detail(quad((0.35, -t - 0.06), (-0.2, -t - 0.05), (-0.75, -heel * 0.6)))
    elif deco == "stripes":
        for x in (-0.45, -0.3, -0.15):
            sk.detail([(x - 0.1, -t - 0.03), (x + 0.05, -h * 0.7)])
    return sk


def ankle_boot(rng, outline):
    """Ankle boot: Chelsea boot, laced combat boot, heeled bootie or fluffy boot."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, chelsea=0.3, laced=0.25, heeled=0.25, fluffy=0.2)
    shaft, toe, front = u(1.2, 1.6), u(0.3, 0.42), u(-0.25, 0)
    heel, heel_w = (u(0.35, 0.55), u(0.15, 0.25)) if v == "heeled" else (u(0.08, 0.16), u(0.3, 0.42))
    if v == "heeled":
        toe = u(0.22, 0.32)
    if v == "fluffy":
        shaft, toe, front = u(1.0, 1.35), u(0.38, 0.5), u(-0.05, 0.15)
    pts = [
        (-0.93, -shaft),
        (-1, -heel - 0.25),
        (-1, 0),
        (-1 + heel_w * (0.7 if v == "heeled" else 1), 0),
        (-1 + heel_w, -heel),
    ]
    if v == "heeled":
        pts += [(0.3, -0.03), (1.12, -0.04)]
    else:
        pts += [(0.96, 0), (1.01, -toe * 0.5)]
    sk.body(pts + [(0.75, -toe), (0.3, -toe * 1.2), (front + 0.08, -toe * 2), (front, -shaft)])
    if v != "heeled" and rng.random() < 0.8:
        sk.detail([(-1, -heel), (0.98, -u(0.06, 0.1))])
    if v == "chelsea":
        sk.detail(quad((-0.62, -shaft), (-0.47, -shaft * u(0.2, 0.4)), (-0.32, -shaft)))
        if rng.random() < 0.6:
            sk.strap(arc(-0.88, -shaft - 0.08, 0.07, 0.13, 0, 330, 10), closed=True)
    elif v == "laced":
        a, b = P(front, -shaft + 0.1), P(0.2, -toe * 1.25)
        for f in np.linspace(0, 1, rng.integers(4, 7)):
            p = a + f * (b - a)
            sk.detail([p + (0.02, -0.02), p + (-0.3, 0.1)])
        if rng.random() < 0.4:
            sk.detail([(-0.96, -shaft + 0.12), (front - 0.02, -shaft + 0.12)])
    elif v == "heeled" and rng.random() < 0.5:
        sk.detail([(-0.55, -shaft + 0.05), (-0.55, -toe * 1.3)])
        sk.detail([(-0.55, -shaft + 0.1)])
    elif v == "fluffy":
        sk.detail(zigzag(-0.97, front - 0.02, -shaft + u(0.25, 0.35), 0.08, 9))
    return sk


def sandal(rng, outline):
    """Sandal: flat or heeled sole with open straps, gladiator, or a flip-flop from above."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, flat=0.3, heeled=0.3, gladiator=0.2, flipflop=0.2 if outline else 0)
    if v == "flipflop":
        waist = u(0.27, 0.32)
        sk.body(
            np.vstack(
                [
                    arc(0, -0.5, u(0.38, 0.45), 0.5, 180, 360, 9),
                    [(waist, 0)],
                    arc(u(-0.03, 0.03), 0.55, u(0.3, 0.36), 0.45, 0, 180, 9),
                    [(-waist, 0)],
                ]
            )
        )
        post = P(u(-0.12, 0), -0.55)
        for s in (-1, 1):
            sk.strap([post, (s * waist * u(0.95, 1.1), u(-0.1, 0.05))])
        return sk
    t, lift = u(0.08, 0.16), 0.0
    if v == "heeled":
        lift, heel_w, t = u(0.45, 0.8), u(0.08, 0.28), u(0.07, 0.12)
        under = np.array([(-0.97, -lift), (-0.35, -lift * 0.8), (0.2, 0), (1, 0)])
        sk.body(np.vstack([under, [(1.04, -t / 2)], (under - [0, t])[::-1]]))
        sk.body([(-0.97, -lift), (-0.97 + heel_w, -lift), (-0.95 + heel_w * 0.6, 0), (-0.97, 0)])
    else:
        sk.body([(-0.96, 0), (-1.0, -t), (0.96, -t), (1.03, -t / 2), (0.97, 0)])

    def sole_top(x):
        return np.interp(x, [-0.97, -0.35, 0.2, 1], [-lift, -lift * 0.8, 0, 0]) - t

    def strap_arch(x0, x1, h):
        y0, y1 = sole_top(x0), sole_top(x1)
        sk.strap(quad((x0, y0), ((x0 + x1) / 2, min(y0, y1) - 2 * h), (x1, y1)))
        return P((x0 + x1) / 2, min(y0, y1) - h)

    strap_arch(u(0.3, 0.45), u(0.85, 0.95), u(0.22, 0.35))
    ankle_y = sole_top(-0.7) - u(0.5, 0.75)
    if v == "gladiator":
        apex = strap_arch(u(-0.25, -0.1), u(0.2, 0.32), u(0.35, 0.45))
        top = ankle_y - u(0.35, 0.55)
        sk.strap([(-0.9, sole_top(-0.9)), (-0.85, top)])
        sk.strap([apex, (-0.35, top)])
        for y in np.linspace(ankle_y + 0.25, top, rng.integers(3, 6)):
            sk.strap([(-0.87, y), (np.interp(y, [top, apex[1]], [-0.35, apex[0]]), y)])
        return sk
    mid = None
    if rng.random() < 0.7:
        mid = strap_arch(u(-0.2, 0), u(0.2, 0.35), u(0.35, 0.5))
    else:
        x0, x1 = u(-0.35, -0.2), u(0.2, 0.35)
        sk.strap([(x0, sole_top(x0)), (x1, sole_top(x1) - 0.45)])
        sk.strap([(x1, sole_top(x1)), (x0, sole_top(x0) - 0.45)])
    rx = u(0.2, 0.28)
    sk.strap(arc(-0.65, ankle_y, rx, u(0.1, 0.16), 0, 330, 12), closed=True)
    sk.strap([(-0.92, sole_top(-0.92)), (-0.82, ankle_y + 0.05)])
    if mid is not None and rng.random() < 0.35:
        sk.strap([(-0.65 + rx, ankle_y), mid])
    return sk


def bag(rng, outline):
    """Bag: handbag with arched handle, tote, shoulder bag, half-moon clutch or backpack."""
    u, sk = rng.uniform, Sketch()
    v = pick(rng, handbag=0.35, tote=0.2, shoulder=0.2, clutch=0.1, backpack=0.15)
    if v == "handbag":
        tw, bh = u(0.65, 0.92), u(0.8, 1.2)
        sk.body([(-tw, -bh), (tw, -bh), (1, -0.18), (0.88, 0), (-0.88, 0), (-1, -0.18)])
        rx, ry = tw * u(0.4, 0.7), u(0.4, 0.75)
        sk.strap(arc(0, -bh, rx, ry, 180, 360, 13))
        if rng.random() < 0.3:  # a thick handle drawn as two lines
            sk.strap(arc(0, -bh, rx - 0.13, ry - 0.13, 180, 360, 11))
        if rng.random() < 0.5:  # V-shaped flap with the clasp at its tip
            tip = -bh * u(0.35, 0.55)
            sk.detail([(-tw, -bh + 0.02), (0, tip), (tw, -bh + 0.02)])
        else:
            tip = -bh * 0.7
            sk.detail([(-tw * 1.05, tip), (tw * 1.05, tip)])
        sk.detail([(0, tip)])
    elif v == "tote":
        bw, bh = u(0.8, 1), u(1.1, 1.5)
        sk.body([(-1, -bh), (1, -bh), (bw, 0), (-bw, 0)])
        for cx in (-u(0.15, 0.3), u(0.15, 0.3)):
            sk.strap(arc(cx, -bh, u(0.3, 0.45), u(0.45, 0.7), 180, 360, 11))
        if rng.random() < 0.5:
            sk.detail(box(-0.4, -bh * 0.6, 0.4, -bh * 0.2), True)
    elif v == "shoulder":
        bh = u(0.6, 0.9)
        sk.body([(-1, -bh), (1, -bh), (1, -0.1), (0.85, 0), (-0.85, 0), (-1, -0.1)])
        if rng.random() < 0.5:
            sk.strap(arc(0, -bh, 0.93, u(1, 1.6), 180, 360, 15))
        else:
            sk.strap([(-0.93, -bh), (u(-0.2, 0.2), -bh - u(1, 1.5)), (0.93, -bh)])
        sk.detail(quad((-1, -bh), (0, -bh * u(-0.1, 0.3)), (1, -bh)))
    elif v == "clutch":
        bh = u(0.7, 1)
        sk.body(arc(0, -bh, 1, bh, 0, 180, 15))
        sk.strap(arc(u(-0.3, 0.3), -bh, 0.35, u(0.3, 0.5), 180, 360, 9))
        sk.detail([(-0.85, -bh + 0.12), (0.85, -bh + 0.12)])
        sk.detail([(0.7, -bh + 0.25)])
    else:
        hw, ht = u(0.6, 0.75), u(1.6, 2.0)
        cap = hw * u(0.6, 1)
        sk.body(
            np.vstack(
                [arc(0, -ht + cap, hw, cap, 180, 360, 11), [(hw, -0.15), (hw - 0.12, 0), (-hw + 0.12, 0), (-hw, -0.15)]]
            )
        )
        sk.strap(arc(0, -ht + 0.04, 0.16, 0.18, 180, 360, 9))
        sk.detail(box(-hw * 0.7, -ht * 0.45, hw * 0.7, -0.15), True)
    return sk


BUILDERS = (tshirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


def place(paths, rng):
    """Map model paths to canvas pixels: lopsided warp, flip, tilt, size, position."""
    lo, hi = np.vstack(paths).min(0), np.vstack(paths).max(0)
    centre, extent = (lo + hi) / 2, (hi - lo).max()
    k = rng.normal(0, 0.1, 4)
    a = np.radians(np.clip(rng.normal(0, 6), -15, 15))
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    stretch = P(rng.uniform(0.88, 1.12) * rng.choice([-1, 1]), 1)

    def warp(p):
        x, y = ((p - centre) / extent).T
        q = np.column_stack([x + k[0] * y * y + k[1] * x * y, y + k[2] * x * x + k[3] * x * y])
        return (q * stretch) @ rot.T

    paths = [warp(p) for p in paths]
    lo, hi = np.vstack(paths).min(0), np.vstack(paths).max(0)
    span = SIZE * (0.28 + 0.62 * rng.beta(2.0, 1.6))  # the pen adds about 8 % in ink
    scale = min(span / (hi - lo).max(), *((SIZE - 2 * MARGIN) / np.maximum(hi - lo, 1e-6)))
    half = (hi - lo) * scale / 2
    centre_px = np.clip(SIZE / 2 + rng.normal(0, 22, 2), MARGIN + half, SIZE - MARGIN - half)
    return [(p - (lo + hi) / 2) * scale + centre_px for p in paths], (hi - lo).max() * scale


def corners(p, closed, rng):
    """Round sharp corners as a hand turning the mouse does, or overshoot them."""
    n, out = len(p), []
    for i in range(n):
        v = p[i]
        d_in, d_out = v - p[i - 1], p[(i + 1) % n] - v
        l_in, l_out = np.linalg.norm(d_in), np.linalg.norm(d_out)
        end = not closed and i in (0, n - 1)
        if end or min(l_in, l_out) < 1e-6 or d_in @ d_out > 0.7 * l_in * l_out:
            out.append(v)
        elif rng.random() < 0.15:
            out.append(v + d_in / l_in * rng.uniform(3, 9))
        else:
            r = min(rng.uniform(3, 9), l_in / 3, l_out / 3)
            out += list(quad(v - d_in / l_in * r, v, v + d_out / l_out * r, 4))
    return np.array(out)


def densify(p, closed, step=3.0):
    """Resample a path every `step` pixels (closed paths end where they start)."""
    if closed:
        p = np.vstack([p, p[:1]])
    s = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(p, axis=0), axis=1))])
    t = np.linspace(0, s[-1], max(2, int(s[-1] / step) + 1))
    return np.column_stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])])


def wobble(path, rng, amp):
    """Slow hand wobble across the stroke direction plus small pointer jitter."""
    s = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    tangent = np.gradient(path, axis=0)
    normal = tangent[:, ::-1] * [-1, 1] / np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-9)
    off = sum(
        amp * rng.uniform(0.3, 1) * np.sin(2 * np.pi * s / rng.uniform(40, 200) + rng.uniform(0, 7)) for _ in range(3)
    )
    return path + normal * off[:, None] + rng.normal(0, 0.4, path.shape)


def pointer_samples(path, rng, pace):
    """Keep only the points a mouse reports; the canvas joins them straight."""
    idx = np.concatenate([[0], np.cumsum(rng.integers(max(1, pace - 1), pace + 3, len(path)))])
    return path[np.append(idx[idx < len(path) - 1], len(path) - 1)]


def trace(px, closed, rng, amp, pace):
    """Mouse strokes along a pixel path; returns the traced ring and the strokes."""
    if len(px) == 1:
        return px, [px + rng.normal(0, 1, 2)]
    ring = wobble(densify(corners(px, closed, rng), closed), rng, amp)
    path = ring
    if closed:  # start anywhere, then overshoot the start or stop a little short
        path = np.roll(ring[:-1], -rng.integers(len(ring) - 1), axis=0)
        k = int(rng.integers(-4, 9))
        path = np.vstack([path, path[:k]]) if k > 0 else path[: len(path) + k]
    pieces = [path]
    if len(path) > 80 and rng.random() < 0.35:  # lifted the button once on the way
        cut = rng.integers(20, len(path) - 20)
        pieces = [path[: cut + 1], path[cut:] + rng.normal(0, 2, 2)]
    return ring, [pointer_samples(p, rng, pace) for p in pieces]


def scribble(ring, angle, gap, rng):
    """Back-and-forth hatching that colours a ring in: one zigzag per band of it."""
    rot = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    mid = ring.mean(0)
    a = (ring - mid) @ rot.T
    b = np.roll(a, -1, axis=0)
    chains, live = [], []
    for y in np.arange(a[:, 1].min() + gap * rng.uniform(0.2, 0.6), a[:, 1].max(), gap):
        hit = (a[:, 1] <= y) != (b[:, 1] <= y)
        xs = np.sort(a[hit, 0] + (y - a[hit, 1]) * (b[hit, 0] - a[hit, 0]) / (b[hit, 1] - a[hit, 1]))
        still = []
        for lo, hi in xs[: len(xs) // 2 * 2].reshape(-1, 2):
            lo, hi = lo + rng.uniform(-2, 6), hi - rng.uniform(-2, 6)
            if hi - lo < 4:
                continue
            chain = next((c for c in live if c["lo"] < hi and lo < c["hi"]), None)
            if chain is None:
                chain = {"pts": [], "right": rng.random() < 0.5}
                chains.append(chain)
            else:
                live.remove(chain)
            chain["pts"] += [(hi, y), (lo, y)] if chain["right"] else [(lo, y), (hi, y)]
            chain.update(lo=lo, hi=hi, right=not chain["right"])
            still.append(chain)
        live = still
    return [np.array(c["pts"]) @ rot + mid + rng.normal(0, 1.2, (len(c["pts"]), 2)) for c in chains]


def hatch_angle(ring, angle, rng):
    """Scribble direction: the student's habit, but lengthwise along thin parts."""
    evals, evecs = np.linalg.eigh(np.cov(ring.T))
    if evals[1] < 6 * evals[0]:
        return angle
    return np.arctan2(evecs[1, 1], evecs[0, 1]) + rng.normal(0, 0.15)


def mouse_strokes(sketch, style, rng):
    """Turn a sketch into pixel strokes and solid fill polygons for one style."""
    parts = [p for p in sketch.parts if style == "outline" or p[2] != "detail"]
    pixel_paths, span = place([p[0] for p in parts], rng)
    amp, pace = rng.uniform(0.4, 1.3) * span / 180, int(rng.integers(2, 5))
    outlines, others, rings = [], [], []
    for (_, closed, role), px in zip(parts, pixel_paths, strict=True):
        ring, strokes = trace(px, closed, rng, amp, pace)
        (outlines if role == "body" else others).extend(strokes)
        if role == "body":
            rings.append(ring)
    if style == "outline":
        return outlines + others, []
    if rng.random() < 0.55:
        return outlines + others, rings
    bare = rng.random() < 0.2  # some students only scribble, without an outline
    angle, gap = rng.uniform(0, np.pi), rng.uniform(8, 12 if bare else 18)
    hatching = [s for r in rings for s in scribble(r, hatch_angle(r, angle, rng), gap, rng)]
    if bare:
        outlines = []
    return outlines + others + hatching, []


def render(strokes, fills, pen):
    """Draw strokes with a round pen of the given width; returns an RGB array."""
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    for poly in fills:
        draw.polygon([tuple(p) for p in poly], fill=0)
    r = pen / 2 - 1  # PIL's wide lines come out one pixel thin, its discs one pixel fat
    for stroke in strokes:
        pts = [tuple(p) for p in stroke]
        if len(pts) > 1:
            draw.line(pts, fill=0, width=pen + 1, joint="curve")
        for x, y in pts:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.repeat(np.asarray(img)[:, :, None], 3, axis=2)


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style`, rendered once per pen width."""
    if not isinstance(label, (int, np.integer)) or not 0 <= label < len(BUILDERS):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    sketch = BUILDERS[label](rng, style == "outline")
    strokes, fills = mouse_strokes(sketch, style, rng)
    return [render(strokes, fills, pen) for pen in pens]
