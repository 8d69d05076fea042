"""Hand Q: school students drawing Fashion-MNIST clothing with a mouse, as one author imagined them (round 8).

A drawing of one of the ten classes (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal,
Shirt, Sneaker, Bag, Ankle boot) is built as ideal geometry: closed outlines, lines that are
always drawn (straps, handles) and inner details (collars, buttons, laces, pockets...).  A model
of mouse drawing then adds a lopsided warp, tilt, random size and place, sparse pointer samples,
wobble, gaps, overshoots and pen lifts.  The same geometry is rendered with a round black pen of
each requested width on a 280x280 white canvas, as an outline with details or coloured in
(solid or scribbled).
"""

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

SIZE = 280
STYLES = ("filled", "outline")


def pts(*xy):
    """Points from flat x, y pairs as an (n, 2) float array."""
    return np.array(xy, float).reshape(-1, 2)


def arc(cx, cy, rx, ry, a0, a1, n=10):
    """Ellipse arc from angle a0 to a1 in degrees (y points down, so 270 is up)."""
    a = np.radians(np.linspace(a0, a1, n))
    return np.column_stack([cx + rx * np.cos(a), cy + ry * np.sin(a)])


def curve(p0, c, p1, n=8):
    """Quadratic Bezier curve from p0 to p1 pulled towards control point c."""
    t = np.linspace(0, 1, n)[:, None]
    p0, c, p1 = (np.asarray(v, float) for v in (p0, c, p1))
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * c + t**2 * p1


def chain(*parts):
    """Join points and point arrays into one path."""
    return np.vstack([np.atleast_2d(np.asarray(p, float)) for p in parts])


def mirror(p):
    """Mirror points across the vertical centre line x = 0."""
    return np.asarray(p, float) * [-1, 1]


def symmetric(half):
    """Closed outline from a right half that starts and ends on the centre line."""
    return np.vstack([half, mirror(half[::-1])[1:-1]])


def closed(p):
    """Repeat the first point at the end so an open stroke draws a closed loop."""
    return np.vstack([p, p[:1]])


def rect(x0, y0, x1, y1):
    """Rectangle as a closed stroke."""
    return closed(pts(x0, y0, x1, y0, x1, y1, x0, y1))


def rounded_rect(x0, y0, x1, y1, r):
    """Rectangle with rounded corners as a closed outline (no repeated point)."""
    return chain(
        arc(x1 - r, y0 + r, r, r, 270, 360, 5),
        arc(x1 - r, y1 - r, r, r, 0, 90, 5),
        arc(x0 + r, y1 - r, r, r, 90, 180, 5),
        arc(x0 + r, y0 + r, r, r, 180, 270, 5),
    )


def motif(rng, x, y, r):
    """A small picture students put on a top or bag: circle, star or heart."""
    if rng.random() < 0.4:
        return arc(x, y, r, r, 0, 360, 14)
    if rng.random() < 0.5:
        a = np.radians(np.arange(11) * 144 - 90)
        return np.column_stack([x + r * np.cos(a), y + r * np.sin(a)])
    t = np.linspace(0, 2 * np.pi, 20)
    heart = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return np.column_stack([x + np.sin(t) ** 3 * r, y + heart * r / 16])


@dataclass
class Drawing:
    """Ideal geometry of one drawing: closed regions, always-drawn lines, details."""

    regions: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    details: list = field(default_factory=list)

    def add(self, rng, chance, *strokes):
        """Add detail strokes with probability `chance`; return whether they were added."""
        added = bool(rng.random() < chance)
        if added:
            self.details += [np.asarray(s, float) for s in strokes]
        return added

    def mapped(self, fn):
        """The same drawing with every point array passed through fn."""
        return Drawing(*([fn(p) for p in group] for group in (self.regions, self.lines, self.details)))


def pair(stroke):
    """A stroke and its mirror image, for symmetric details."""
    return stroke, mirror(stroke)


def upper_body(neck, shoulder, side, sleeve=None, hem_drop=0.0, ruffle=0.0):
    """Right half outline of a front-view top, neck centre to hem centre, and its sleeve end.

    neck: centre front to neck point; side: armpit to hem corner; sleeve:
    (length, degrees below horizontal, cuff width) or None for an armhole.
    """
    s = np.asarray(shoulder, float)
    side = np.atleast_2d(np.asarray(side, float))
    armpit, corner = side[0], side[-1]
    if sleeve is None:
        arm, cuff = curve(s, (s[0], armpit[1]), armpit), None
    else:
        length, angle, width = sleeve
        a = np.radians(angle)
        along, across = np.array([np.cos(a), np.sin(a)]), np.array([-np.sin(a), np.cos(a)])
        outer = s + length * along
        outer[0] += max(0.0, armpit[0] + 0.05 - (outer + width * across)[0])  # clear of the body
        inner = outer + width * across
        arm = np.vstack([s, outer, inner, armpit])
        cuff = (outer, inner, along)
    bottom = (0.0, corner[1] + hem_drop)
    scallops = 4 * (ruffle > 0)
    hem = curve(corner, (corner[0] * 0.5, bottom[1]), bottom, 8 + 6 * scallops)
    hem[:, 1] += ruffle * np.abs(np.sin(np.linspace(0, scallops * np.pi, len(hem))))
    return np.vstack([neck, arm, side[1:], hem]), cuff


def cuff_line(cuff, depth):
    """A line across a sleeve, depth back from its end."""
    outer, inner, along = cuff
    return np.vstack([outer - depth * along, inner - depth * along])


def round_neck(rng, wide=(0.13, 0.2), deep=(0.05, 0.17), vee=0.0):
    """Neckline from the centre front to the neck point: round, or a V with chance `vee`."""
    nw, nd = rng.uniform(*wide), rng.uniform(*deep)
    return pts(0, nd + 0.1, nw, 0) if rng.random() < vee else arc(0, 0, nw, nd, 90, 0, 7)


def neck_band(neck, depth):
    """A second neckline below the first, meeting it at the neck points."""
    line = np.vstack([mirror(neck[::-1]), neck[1:]])
    drop = depth * (1 - np.abs(line[:, 0]) / np.abs(line[:, 0]).max())
    return line + np.column_stack([0 * drop, drop])


def hood(rng):
    """Hood outline from its top centre down to the shoulder."""
    return arc(0, 0.05, rng.uniform(0.27, 0.34), rng.uniform(0.27, 0.41), 270, 360, 9)


def hood_details(d, rng, hood_line):
    """Face opening and drawstrings of a hood."""
    width, height = hood_line[-1, 0] - 0.1, 0.05 - hood_line[0, 1]
    d.add(rng, 0.7, arc(0, 0.08, width, height * 0.7, 180, 360, 9))
    d.add(rng, 0.45, *pair(pts(0.06, 0.12, 0.07, 0.35)))


def tshirt(rng):
    """T-shirt/top: short sleeves angled, straight out or dropped; or a tank top."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["angled", "straight", "dropped", "tank"], p=[0.35, 0.25, 0.2, 0.2])
    bw, length = u(0.42, 0.58), u(1.0, 1.45)
    if kind == "tank":
        neck = round_neck(rng, (0.15, 0.23), (0.25, 0.45))
        side = [(bw, u(0.35, 0.5)), (bw + u(0, 0.08), length)]
        half, _ = upper_body(neck, (neck[-1, 0] + u(0.07, 0.13), 0), side)
    else:
        neck = round_neck(rng, vee=0.25)
        sd, angle = u(0.04, 0.14), {"angled": u(20, 45), "straight": u(-8, 10), "dropped": u(45, 65)}[kind]
        side = [(bw, sd + u(0.25, 0.35)), (bw + u(-0.03, 0.08), length)]
        half, cuff = upper_body(neck, (bw, sd), side, (u(0.2, 0.42), angle, u(0.2, 0.3)))
        d.add(rng, 0.35, *pair(cuff_line(cuff, u(0.06, 0.1))))
    d.regions.append(symmetric(half))
    d.add(rng, 0.6, neck_band(neck, u(0.05, 0.09)))
    if not d.add(rng, 0.35, motif(rng, u(-0.1, 0.1), length * u(0.4, 0.55), u(0.12, 0.2))):
        d.add(rng, 0.15, rect(0.12, 0.35, 0.3, 0.55))
    return d


def trouser(rng):
    """Trouser: straight, wide/flared, skinny or jogger legs with a gap between them."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["straight", "wide", "skinny", "jogger"], p=[0.35, 0.25, 0.2, 0.2])
    w, length, crotch, hip, band = u(0.45, 0.6), u(1.6, 2.2), u(0.35, 0.55), u(0, 0.06), u(0.1, 0.17)
    outer, inner = {
        "straight": (w + u(-0.02, 0.05), u(0.18, 0.26)),
        "wide": (w + u(0.12, 0.28), u(0.14, 0.22)),
        "skinny": (w - u(0.04, 0.1), u(0.18, 0.26)),
        "jogger": (w - u(0.02, 0.08), u(0.18, 0.25)),
    }[kind]
    half = pts(0, 0, w, 0, w + hip, crotch * 0.5, outer, length, inner, length, u(0, 0.04), crotch)
    d.regions.append(symmetric(half))
    d.add(rng, 0.6, pts(-w, band, w, band))
    d.add(rng, 0.45, chain((0.05, band), curve((0.05, crotch * 0.55), (0.05, crotch * 0.75), (-0.02, crotch * 0.75))))
    d.add(rng, 0.4, *pair(curve((w * 0.45, band), (w * 0.5, crotch * 0.4), (w + hip * 0.6, crotch * 0.45), 6)))
    d.add(rng, 0.2, *pair(pts((w + 0.02) / 2, crotch, (outer + inner) / 2, length - 0.05)))
    d.add(rng, 0.7 * (kind == "jogger"), *pair(pts(inner, length - 0.13, outer, length - 0.13)))
    d.add(rng, 0.2, pts(0, band / 2))
    return d


def pullover(rng):
    """Pullover: long sleeves angled down, straight out or hanging; some are hoodies."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["down", "out", "hanging", "hoodie"], p=[0.35, 0.25, 0.15, 0.25])
    bw, length, sd, flare = u(0.45, 0.6), u(1.05, 1.4), u(0.05, 0.15), u(-0.05, 0.04)
    neck = hood(rng) if kind == "hoodie" else round_neck(rng, deep=(0.04, 0.14))
    angle = {"down": u(30, 60), "out": u(-10, 15), "hanging": u(70, 85), "hoodie": u(20, 75)}[kind]
    reach = (u(0.5, 0.75) if kind == "out" else u(0.75, 1.0)) * length
    side = [(bw, sd + u(0.28, 0.4)), (bw + flare, length)]
    half, cuff = upper_body(neck, (bw, sd), side, (reach, angle, u(0.16, 0.25)))
    d.regions.append(symmetric(half))
    if kind == "hoodie":
        hood_details(d, rng, neck)
        top = length * u(0.55, 0.65)
        d.add(rng, 0.5, pts(-0.42, length * 0.9, -0.28, top, 0.28, top, 0.42, length * 0.9))
    else:
        d.add(rng, 0.5, neck_band(neck, u(0.05, 0.08)))
    d.add(rng, 0.5, *pair(cuff_line(cuff, u(0.08, 0.13))))
    hem = length - u(0.1, 0.16)
    d.add(rng, 0.55, pts(-bw - flare, hem, bw + flare, hem))
    stripes = [pts(-bw, y, bw, y) for y in np.linspace(0.45, 0.75, rng.integers(2, 4)) * length]
    if kind != "hoodie" and not d.add(rng, 0.15, *stripes):
        d.add(rng, 0.15, motif(rng, 0, length * 0.45, u(0.13, 0.2)))
    return d


def dress(rng):
    """Dress: strappy A-line, short-sleeved fit-and-flare, long-sleeved, or trapeze."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["strappy", "short_sleeve", "long_sleeve", "trapeze"], p=[0.35, 0.25, 0.15, 0.25])
    top, length = u(0.25, 0.35), u(1.5, 2.2)
    waist_y, waist = length * u(0.3, 0.4), top * u(0.7, 0.9)
    hem = u(0.5, 0.8) if kind == "long_sleeve" else u(0.6, 1.0)
    ruffle = u(0.04, 0.08) * (rng.random() < 0.2)
    if kind in ("strappy", "trapeze"):
        neck = round_neck(rng, (0.1, 0.16), (0.15, 0.35))
        shoulder, sleeve = (neck[-1, 0] + u(0.05, 0.1), 0), None
    else:
        neck = round_neck(rng, (0.1, 0.16), (0.05, 0.15), vee=0.2)
        shoulder = (top + 0.03, u(0.03, 0.08))
        short = kind == "short_sleeve"
        sleeve = (u(0.15, 0.3), u(20, 50), u(0.13, 0.2)) if short else (u(0.8, 1.1), u(45, 75), u(0.12, 0.17))
    armpit = (top, u(0.25, 0.35))
    side = [armpit, (hem, length)] if kind == "trapeze" else [armpit, (waist, waist_y), (hem, length)]
    half, cuff = upper_body(neck, shoulder, side, sleeve, u(0, 0.15), ruffle)
    d.regions.append(symmetric(half))
    d.add(rng, 0.6 * (kind != "trapeze"), pts(-waist, waist_y, waist, waist_y))
    for x in rng.uniform(0.2, 0.8, rng.integers(1, 3)) * waist:
        d.add(rng, 0.25, *pair(pts(x, waist_y + 0.1, x * hem / waist * 0.8, length - 0.05)))
    d.add(rng, 0.3, neck_band(neck, 0.06))
    if kind == "long_sleeve":
        d.add(rng, 0.3, *pair(cuff_line(cuff, 0.08)))
    return d


def coat(rng):
    """Coat: long trench, hooded zip parka, buttoned coat or open coat with lapels."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["trench", "parka", "buttoned", "open"], p=[0.3, 0.2, 0.35, 0.15])
    bw, sd, nw, flare = u(0.5, 0.62), u(0.06, 0.14), u(0.13, 0.19), u(-0.02, 0.15)
    length = u(1.45, 1.7) if kind == "parka" else u(1.8, 2.3)
    rise, vee = u(0.02, 0.1), (0.1 if kind == "parka" else u(0.35, 0.6))
    neck = hood(rng) if kind == "parka" else pts(0, vee, nw, -rise)
    angle = u(70, 85) if rng.random() < 0.35 else u(40, 70)
    side = [(bw, sd + u(0.3, 0.42)), (bw + flare, length)]
    half, cuff = upper_body(neck, (bw, sd), side, (u(0.95, 1.25), angle, u(0.18, 0.26)))
    d.regions.append(symmetric(half))
    if d.add(rng, 0.9, pts(0, vee, 0, length)) and kind == "open":
        d.details.append(pts(0.05, vee + 0.05, 0.09, length))
    if kind == "parka":
        hood_details(d, rng, neck)
        d.add(rng, 0.4, rect(-0.05, 0.15, 0.05, 0.3))
    else:
        d.add(rng, 0.7, *pair(pts(nw, -rise, nw + u(0.06, 0.14), vee * u(0.45, 0.7), 0.02, vee + 0.02)))
    ys = np.linspace(vee + 0.12, length * u(0.55, 0.7), rng.integers(3, 6))
    if kind == "trench":
        d.add(rng, 0.8, *[q for y in ys[:4] for q in pair(pts(0.15, y))])
        y = length * u(0.4, 0.5)
        x = bw + flare * y / length
        d.add(rng, 0.7, pts(-x, y, x, y), rect(-0.07, y - 0.07, 0.07, y + 0.07))
    elif kind == "buttoned":
        x = 0.05 * (rng.random() < 0.3)
        d.add(rng, 0.85, *[pts(x, y) for y in ys])
    y = length * u(0.6, 0.72)
    if not d.add(rng, 0.3, *pair(pts(0.18, y, 0.42, y + 0.02))):
        d.add(rng, 0.4, *pair(rect(0.18, y, 0.4, y + 0.2)))
    d.add(rng, 0.3, *pair(cuff_line(cuff, u(0.1, 0.15))))
    return d


def sandal(rng):
    """Sandal from the side: flat with straps, high heel, slide/flip-flop or gladiator."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["flat", "heel", "slide", "gladiator"], p=[0.35, 0.25, 0.2, 0.2])
    sole = u(0.1, 0.18)
    if kind == "heel":
        h = u(0.45, 0.8)
        bed = chain(curve((0, -h), (u(0.7, 1.0), -h * u(0, 0.3)), (1.35, -sole), 9), (1.95, -sole))
        toe = arc(1.95, -sole / 2, 0.08, sole / 2, 270, 450, 5)
        heel = rng.choice(["stiletto", "block", "wedge"])
        if heel == "wedge":
            d.regions.append(chain(bed, toe, (0, 0)))
        else:
            arch = curve((1.3, 0), (0.75, -h * 0.2 + sole), (0.3, -h + sole), 7)
            d.regions.append(chain(bed, toe, arch, (0, -h + sole)))
        if heel == "stiletto":
            d.lines.append(pts(0.1, -h + sole, 0.14, 0))
        elif heel == "block":
            d.regions.append(pts(0.03, -h + sole, 0.3, -h + sole, 0.26, 0, 0.07, 0))
    else:
        bed = pts(0.1, -sole, 1.9, -sole)
        d.regions.append(rounded_rect(0, -sole, 2.0, 0, sole * 0.49))

    def top(x):
        """Height of the footbed at x."""
        return np.interp(x, bed[:, 0], bed[:, 1])

    def strap(x0, x1, height):
        """A strap arching over the footbed from x0 to x1."""
        x = np.linspace(x0, x1, 12)
        return np.column_stack([x, top(x) - height * np.sin(np.pi * (x - x0) / (x1 - x0))])

    if kind == "slide":
        if rng.random() < 0.5:
            d.regions.append(chain(strap(0.8, 1.75, u(0.45, 0.58)), strap(0.95, 1.6, u(0.3, 0.4))[::-1]))
        else:
            peak = (u(1.1, 1.3), top(1.2) - u(0.38, 0.5))
            d.lines += [chain((1.6, top(1.6)), peak, (0.7, top(0.7))), chain(peak, (1.0, top(1.0) - 0.05))]
        return d
    d.lines.append(strap(u(1.3, 1.5), u(1.75, 1.9), u(0.3, 0.45)))
    if kind == "gladiator":
        back = u(1.0, 1.4)
        d.lines.append(pts(0.08, top(0.08), 0.12, top(0.08) - back))
        ys = np.linspace(0.3, back - 0.1, rng.integers(3, 6))
        d.lines += [pts(0.1, top(0.1) - y, u(0.45, 0.65), top(0.6) - y + 0.1) for y in ys]
        d.lines.append(strap(0.6, 1.2, u(0.45, 0.6)))
        return d
    if rng.random() < 0.5:
        high = u(0.5, 0.65)
        d.lines += [pts(0.7, top(0.7), 1.2, top(1.2) - high), pts(1.2, top(1.2), 0.7, top(0.7) - high)]
    else:
        d.lines.append(strap(u(0.7, 0.9), u(1.1, 1.25), u(0.45, 0.65)))
    if rng.random() < 0.75:
        y = top(0.1) - u(0.6, 0.9)
        ankle = (
            closed(arc(0.35, y + 0.05, 0.28, 0.09, 0, 350, 10)) if rng.random() < 0.5 else pts(0.12, y, 0.6, y + 0.12)
        )
        d.lines += [pts(0.08, top(0.08), 0.12, y), ankle]
    return d


def shirt(rng):
    """Shirt: pointed collar, button placket, long (hanging/down/out) or short sleeves."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["hanging", "down", "out", "short"], p=[0.2, 0.3, 0.15, 0.35])
    bw, length, nw, sd = u(0.45, 0.58), u(1.15, 1.55), u(0.12, 0.18), u(0.06, 0.14)
    notch, rise, drop = u(0.12, 0.22), u(0.06, 0.14), u(0, 0.12)
    angle = {"hanging": u(70, 85), "down": u(30, 60), "out": u(-10, 15), "short": u(20, 45)}[kind]
    reach = {"short": u(0.22, 0.38), "out": u(0.55, 0.8) * length}.get(kind, u(0.8, 1.05) * length)
    side = [(bw, sd + u(0.28, 0.38)), (bw + u(-0.03, 0.04), length)]
    half, cuff = upper_body(pts(0, notch, nw, -rise), (bw, sd), side, (reach, angle, u(0.17, 0.26)), drop)
    d.regions.append(symmetric(half))
    d.add(rng, 0.9, *pair(pts(nw, -rise, nw * u(0.8, 1.3), notch + u(0.12, 0.22), 0.02, notch)))
    x = 0 if d.add(rng, 0.75, pts(0, notch, 0, length + drop - 0.03)) else u(-0.03, 0.03)
    d.add(rng, 0.85, *[pts(x, y) for y in np.linspace(notch + 0.2, length - 0.1, rng.integers(3, 7))])
    d.add(rng, 0.35, rect(0.14, 0.38, 0.34, 0.58))
    d.add(rng, 0.4 * (kind != "short"), *pair(cuff_line(cuff, 0.1)))
    return d


def sneaker(rng):
    """Sneaker from the side: classic low-top, runner, chunky trainer or slip-on."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["classic", "runner", "chunky", "slipon"], p=[0.35, 0.25, 0.2, 0.2])
    h = {"classic": u(0.75, 0.95), "runner": u(0.75, 0.95), "chunky": u(0.8, 1.0), "slipon": u(0.58, 0.72)}[kind]
    toe = u(0.32, 0.45)
    heel_sole = {"classic": u(0.14, 0.2), "runner": u(0.24, 0.32), "chunky": u(0.28, 0.36)}.get(kind, u(0.12, 0.16))
    toe_sole, lift = (heel_sole * 0.55, 0.06) if kind == "runner" else (heel_sole, 0)
    throat = (u(1.0, 1.15), -h * u(0.78, 0.9))
    body = [
        (0.05, -h),
        curve((0.0, -h * 0.7), (-0.06, -0.05), (0.12, 0), 5),
        (1.8, -lift * 0.3),
        curve((1.85, -lift), (2.12, -0.04 - lift), (2.0, -toe * 0.7), 5),
        (1.76, -toe),
        (1.45, -toe - 0.12),
        throat,
    ]
    if kind == "slipon":
        body.append(curve(throat, (0.5, -h * 0.75), (0.12, -h), 5))
    else:
        body += [(throat[0] - 0.16, -h - u(0.06, 0.16)), (0.55, -h * u(0.8, 0.92))]
    d.regions.append(chain(*body))
    d.add(rng, 0.85, pts(0.0, -heel_sole, 2.03, -toe_sole - lift))
    laces = [(1 - s) * np.array([1.72, -toe]) + s * np.array(throat) for s in np.linspace(0.15, 0.85, 4)]
    d.add(rng, 0.7 * (kind != "slipon"), *[pts(x - 0.08, y - 0.08, x + 0.08, y + 0.08) for x, y in laces])
    if not d.add(rng, 0.25, curve((0.3, -heel_sole - 0.28), (1.0, -heel_sole - 0.02), (1.45, -toe + 0.05), 7)):
        d.add(rng, 0.3, *[pts(0.55 + 0.17 * i, -heel_sole - 0.03, 0.75 + 0.17 * i, -h * 0.75) for i in range(3)])
    d.add(rng, 0.25, curve((1.62, -toe_sole), (1.55, -toe - 0.05), (1.9, -toe * 0.95), 5))
    return d


def ankle_boot(rng):
    """Ankle boot from the side: Chelsea, heeled, lace-up work boot or simple L-shape."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["chelsea", "heeled", "laceup", "simple"], p=[0.3, 0.25, 0.25, 0.2])
    shaft, front, toe, length = u(1.0, 1.45), u(0.65, 0.85), u(0.35, 0.5), u(1.8, 2.1)
    sole = {"chelsea": u(0.1, 0.15), "heeled": 0.08, "laceup": u(0.16, 0.24), "simple": u(0.1, 0.15)}[kind]
    top = (front, -shaft - u(-0.08, 0.08))
    if kind == "heeled":
        heel, toe = u(0.3, 0.5), u(0.25, 0.35)
        bottom = [(0.06, 0), (0.32, 0), (0.36, -heel), curve((0.45, -heel), (0.8, -heel * 0.2), (1.1, 0), 6)]
        tip = curve((length - 0.25, 0), (length + 0.15, -0.02), (length, -toe * 0.6), 5)
    else:
        bottom = [curve((0.0, -0.35), (-0.03, -0.02), (0.1, 0), 4)]
        tip = curve((length - 0.25, 0), (length + 0.08, -0.02), (length, -toe * 0.75), 5)
    instep = curve((length - 0.6, -toe - 0.05), (front + 0.1, -toe - 0.1), (front + 0.02, -toe - 0.4), 6)
    d.regions.append(chain((0.02, -shaft), *bottom, tip, (length - 0.3, -toe), instep, top))
    if kind != "heeled" and d.add(rng, 0.7, pts(0, -sole, length + 0.02, -sole)):
        d.add(rng, 0.5, pts(0.35, -sole, 0.37, 0))
    if kind == "chelsea":
        d.add(
            rng, 0.75, chain((0.22, -shaft), curve((0.35, -shaft * 0.4), (0.5, -shaft * 0.4), (front - 0.12, -shaft)))
        )
    elif kind == "laceup":
        laces = [(front + s * 0.1, s * (shaft - toe - 0.35) - shaft) for s in np.linspace(0.1, 0.9, rng.integers(4, 7))]
        d.add(rng, 0.85, *[pts(x - 0.14, y - 0.05, x + 0.04, y + 0.05) for x, y in laces])
    elif kind == "heeled":
        d.add(rng, 0.4, pts(0.45, -shaft + 0.08, 0.55, -toe - 0.15))
    d.add(rng, 0.35, arc(0.14, -shaft, 0.08, 0.16, 180, 360, 6))
    d.add(rng, 0.25, pts(0.02, -shaft + 0.14, top[0], top[1] + 0.14))
    return d


def bag(rng):
    """Bag from the front: handbag, tote, shoulder bag, clutch or backpack."""
    u, d = rng.uniform, Drawing()
    kind = rng.choice(["handbag", "tote", "shoulder", "clutch", "backpack"], p=[0.32, 0.2, 0.2, 0.13, 0.15])
    if kind == "handbag":
        w, h = u(0.5, 0.75), u(0.8, 1.15)
        low, r = w * u(1.05, 1.3), u(0.05, 0.2)
        d.regions.append(
            chain(
                (-w, 0),
                (w, 0),
                curve((low, h - r), (low, h), (low - r, h), 4),
                curve((r - low, h), (-low, h), (-low, h - r), 4),
            )
        )
        span, high = w * u(0.55, 0.85), u(0.35, 0.65)
        d.lines.append(arc(0, 0, span, high, 180, 360, 12))
        if rng.random() < 0.35:
            d.lines.append(arc(0, 0, span - 0.12, high - 0.1, 180, 360, 10))
        fy = h * u(0.35, 0.55)
        if d.add(rng, 0.45, curve((-w * 0.95, 0.03), (0, fy * 2 - 0.1), (w * 0.95, 0.03), 9)):
            d.add(rng, 0.6, pts(0, fy))
        else:
            d.add(rng, 0.3, pts(-w, 0.15, w, 0.15))
    elif kind == "tote":
        w, h, up = u(0.55, 0.75), u(0.9, 1.3), u(0.5, 0.75)
        low = w * u(0.9, 1.1)
        d.regions.append(pts(-w, 0, w, 0, low, h, -low, h))
        if rng.random() < 0.5:
            d.lines += [arc(0, 0, w * 0.5, u(0.45, 0.6), 180, 360), arc(0, 0, w * 0.65, u(0.6, 0.8), 180, 360)]
        else:
            d.lines.append(pts(-w * 0.6, 0, -w * 0.5, -up, w * 0.5, -up, w * 0.6, 0))
        if not d.add(rng, 0.35, motif(rng, 0, h * 0.5, u(0.15, 0.22))):
            d.add(rng, 0.3, rect(-w * 0.5, h * 0.4, w * 0.5, h * 0.8))
    elif kind in ("shoulder", "clutch"):
        w, h = (u(0.6, 0.8), u(0.6, 0.9)) if kind == "shoulder" else (u(0.75, 1.0), u(0.45, 0.65))
        d.regions.append(rounded_rect(-w, 0, w, h, u(0.04, 0.15)))
        fy = h * u(0.45, 0.7)
        if kind == "shoulder":
            d.details.append(chain((-w, 0.03), (-w, fy), curve((-w, fy), (0, fy + 0.25), (w, fy), 8), (w, 0.03)))
            fy += 0.1
        else:
            d.details.append(pts(-w, 0.02, 0, fy, w, 0.02))
        if kind == "shoulder" or rng.random() < 0.6:
            d.lines.append(curve((-w + 0.05, 0), (u(-0.2, 0.2), -2 * u(0.6, 1.5)), (w - 0.05, 0), 12))
        d.add(rng, 0.6, pts(0, fy))
    else:
        w, h, dome = u(0.5, 0.65), u(1.1, 1.4), u(0.3, 0.45)
        d.regions.append(chain(arc(0, 0.35, w, dome, 180, 360, 10), rounded_rect(-w, 0.35, w, h, 0.15)[5:15]))
        d.lines.append(arc(0, 0.35 - dome, 0.15, 0.15, 180, 360, 6))
        d.add(rng, 0.7, closed(rounded_rect(-w * 0.7, h * 0.55, w * 0.7, h * 0.92, 0.1)))
        d.add(rng, 0.5, arc(0, 0.4, w * 0.75, dome * 0.8, 180, 360, 9))
        if rng.random() < 0.4:
            d.lines += [
                curve((-w, 0.3), (-w - 0.15, h * 0.5), (-w - 0.05, h * 0.85), 5),
                curve((w, 0.3), (w + 0.15, h * 0.5), (w + 0.05, h * 0.85), 5),
            ]
    return d


BUILDERS = (tshirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle_boot)


def cumlen(p):
    """Cumulative arc length along a polyline."""
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(p, axis=0).T))])


def resample(p, step):
    """Points every `step` pixels along a polyline, keeping both ends."""
    s = cumlen(p)
    t = np.linspace(0, s[-1], max(2, int(np.ceil(s[-1] / step)) + 1))
    return np.column_stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])])


def lengthen(fine, amount, wrap):
    """Extend (amount > 0, going round again if wrap) or trim a fine stroke's end, in px."""
    n = int(abs(amount) / 2)
    if amount < 0:
        return fine[: max(2, len(fine) - n)]
    if wrap:
        return np.vstack([fine, fine[1 : 1 + n]])
    tangent = fine[-1] - fine[-2]
    return np.vstack([fine, fine[-1] + amount * tangent / (np.hypot(*tangent) + 1e-9)])


def wobble(p, rng, shake):
    """Slow hand wobble plus small pointer noise."""
    s = cumlen(p)
    knots = max(2, int(s[-1] / 35) + 2)
    at, off = np.linspace(0, s[-1], knots), rng.normal(0, shake, (knots, 2))
    slow = np.column_stack([np.interp(s, at, off[:, 0]), np.interp(s, at, off[:, 1])])
    return p + slow + rng.normal(0, 0.5, p.shape) + rng.normal(0, 1.2, 2)


def corner_pieces(loop, rng, chance):
    """Split a closed outline at some sharp corners, where the student lifted the pen."""
    d_in, d_out = loop - np.roll(loop, 1, 0), np.roll(loop, -1, 0) - loop
    cos = (d_in * d_out).sum(1) / (np.hypot(*d_in.T) * np.hypot(*d_out.T) + 1e-9)
    cut = np.flatnonzero((cos < 0.6) & (rng.random(len(loop)) < chance))
    if len(cut) < 2:
        return None
    twice = np.vstack([loop, loop])
    return [twice[i : j + 1] for i, j in zip(cut, np.append(cut[1:], cut[0] + len(loop)), strict=True)]


def pen_strokes(path, is_loop, rng, hand):
    """Pointer strokes for one ideal pixel path; hand = (sample step, wobble, corner lift chance)."""
    step, shake, lift = hand
    path = path[np.concatenate([[True], np.hypot(*np.diff(path, axis=0).T) > 1e-6])]
    if len(path) == 1:
        return [path + rng.normal(0, 1.5, 2)]
    pieces = corner_pieces(path, rng, lift) if is_loop else None
    if pieces is not None:
        jobs = [(piece, rng.uniform(-6, 10), rng.uniform(-6, 10), False) for piece in pieces]
    elif is_loop:
        loop = np.roll(path, -rng.integers(len(path)), axis=0)
        jobs = [(np.vstack([loop, loop[:1]]), 0.0, rng.uniform(-12, 16), True)]
    else:
        jobs = [(path, rng.uniform(-3, 6), rng.uniform(-3, 6), False)]
    strokes = []
    for piece, start, end, wrap in jobs:
        fine = lengthen(resample(piece, 2.0), end, wrap)
        fine = lengthen(fine[::-1], start, False)[::-1] if start else fine
        strokes.append(wobble(resample(fine, step), rng, shake))
    return strokes


def scribble(poly, rng, inset):
    """Back-and-forth zigzag strokes colouring in a polygon, turning about `inset` px inside it."""
    angle = rng.uniform(0, np.pi)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    q = (poly - (centre := poly.mean(0))) @ rot
    a, b = q, np.roll(q, -1, 0)
    gap = np.clip(rng.uniform(0.04, 0.08) * np.ptp(poly, 0).max(), 6, 16)
    rows = np.arange(q[:, 1].min() + gap * rng.uniform(0.2, 0.6), q[:, 1].max(), gap)
    zig = []
    for k, y in enumerate(rows):
        hit = (a[:, 1] - y) * (b[:, 1] - y) < 0
        if hit.any():
            t = (y - a[hit, 1]) / (b[hit, 1] - a[hit, 1])
            xs = a[hit, 0] + t * (b[hit, 0] - a[hit, 0])
            over = rng.uniform(-4, 6) - inset
            zig.append((xs.max() + over if k % 2 else xs.min() - over, y))
    zig = np.array(zig).reshape(-1, 2) @ rot.T + centre
    return [zig + rng.normal(0, 1.5, zig.shape)] if len(zig) > 1 else []


def fit_to_canvas(drawing, rng):
    """Warp, tilt, size and place ideal geometry on the canvas, in pixels."""
    every = np.vstack(drawing.regions + drawing.lines + drawing.details)
    lo, hi = every.min(0), every.max(0)
    centre, extent = (lo + hi) / 2, (hi - lo).max()
    freq, phase, bend = rng.normal(0, 1.2, (2, 2)), rng.uniform(0, 2 * np.pi, 2), rng.uniform(0.01, 0.04)
    skew, squash = rng.uniform(-0.12, 0.12), np.exp(rng.normal(0, 0.08))
    tilt = np.radians(np.clip(rng.normal(0, 6), -15, 15))
    rot = np.array([[np.cos(tilt), np.sin(tilt)], [-np.sin(tilt), np.cos(tilt)]])

    def warp(p):
        """Lopsided smooth deformation and tilt of normalised points."""
        q = (p - centre) / extent
        q = q + bend * np.sin(2 * np.pi * q @ freq + phase)
        q[:, 0] *= squash * (1 + skew * q[:, 1])
        return q @ rot

    warped = drawing.mapped(warp)
    every = np.vstack(warped.regions + warped.lines + warped.details)
    lo, hi = every.min(0), every.max(0)
    scale = ((0.35 + 0.6 * rng.beta(2, 1.4)) * SIZE - 20) / (hi - lo).max()
    room = np.maximum(SIZE - 24 - (hi - lo) * scale, 0)
    offset = 12 + room * rng.beta(2, 2, 2) - lo * scale
    return warped.mapped(lambda p: p * scale + offset)


def plan_drawing(drawing, style, rng):
    """Pen-independent (strokes, solid fill polygons, scribbles) of one drawing, in pixels."""
    hand = (rng.uniform(4, 14), rng.uniform(0.6, 2.5), rng.uniform(0.2, 0.7) * (rng.random() < 0.5))
    strokes, fills, scribbles = [], [], []
    solid = style == "filled" and rng.random() < 0.55
    outlined = style == "outline" or solid or rng.random() < 0.9
    for region in drawing.regions:
        if outlined:
            strokes += pen_strokes(region, True, rng, hand)
        if style == "filled":
            poly = region + rng.normal(0, 0.8, region.shape)
            if solid:
                fills.append(poly)
            else:
                inset = 0 if outlined else 5
                passes = scribble(poly, rng, inset) + (scribble(poly, rng, inset) if rng.random() < 0.3 else [])
                scribbles.append((passes, poly, rng.uniform(0, 5) + inset))
    for path in drawing.lines + (drawing.details if style == "outline" else []):
        strokes += pen_strokes(path, False, rng, hand)
    return strokes, fills, scribbles


def ink(draw, stroke, pen):
    """Draw one stroke with a round pen of diameter `pen`."""
    xy = [tuple(p) for p in stroke]
    if len(xy) > 1:
        draw.line(xy, fill=0, width=pen)
    for x, y in xy:
        draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=0)


def render(plan, pen):
    """Render a plan with one pen width as a (280, 280) uint8 greyscale array."""
    strokes, fills, scribbles = plan
    img = Image.new("L", (SIZE, SIZE), 255)
    draw = ImageDraw.Draw(img)
    for poly in fills:
        draw.polygon([tuple(p) for p in poly], fill=0)
    for stroke in strokes:
        ink(draw, stroke, pen)
    canvas = np.asarray(img)
    for passes, poly, grow in scribbles:
        layer, mask = Image.new("L", img.size, 255), Image.new("L", img.size, 0)
        for stroke in passes:
            ink(ImageDraw.Draw(layer), stroke, pen)
        outline = [tuple(p) for p in closed(poly)]
        ImageDraw.Draw(mask).polygon(outline, fill=255)
        ImageDraw.Draw(mask).line(outline, fill=255, width=int(2 * grow) + 1)
        canvas = np.minimum(canvas, np.where(np.asarray(mask) > 0, np.asarray(layer), 255))
    return canvas


def canvases(label, style, pens, rng):
    """Draw one drawing of class `label` in `style`, rendered once per pen width.

    Returns one (280, 280, 3) uint8 RGB array (white background, black ink) per pen.
    """
    if not isinstance(label, (int, np.integer)) or not 0 <= label < len(BUILDERS):
        raise ValueError(f"unknown label {label!r}")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    drawing = BUILDERS[label](rng)
    if rng.random() < 0.5:
        drawing = drawing.mapped(mirror)
    plan = plan_drawing(fit_to_canvas(drawing, rng), style, rng)
    return [np.repeat(render(plan, int(pen))[:, :, None], 3, axis=2) for pen in pens]
