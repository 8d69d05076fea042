"""Hand B: the first hand whose drawings the Draw tab's model trains on (docs/drawings.md, round 5).

Each drawing emulates a student at the 280x280 canvas with a mouse: black ink
from a round brush on white, one of a few shapes per Fashion-MNIST class,
filled in or drawn as an outline with inner details, at a random size,
position and tilt, with a hand that wobbles, rounds corners, stops short or
overshoots.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

import numpy as np
from PIL import Image, ImageDraw

CANVAS = 280
"""Side of the Draw tab's canvas, in pixels."""

STYLES = ("filled", "outline")
"""A filled shape is coloured in and shows no inner details; an outline shows them (at a random detail level)."""

_MIRRORED = {5, 7, 8, 9}
"""Sandals, sneakers, bags and boots face either way: they are flipped half of the time."""


# --- Geometry in unit coordinates, y growing downwards ---------------------------------------------------------------


def _uniform(rng, low, high):
    return float(rng.uniform(low, high))


def _arc(cx, cy, rx, ry, start, stop, n=10):
    """Points of an elliptic arc; angles in degrees, 0 along +x, 90 along +y (down)."""
    t = np.radians(np.linspace(start, stop, n))
    return np.c_[cx + rx * np.cos(t), cy + ry * np.sin(t)]


def _bezier(p0, p1, p2, n=8):
    """Points of a quadratic Bezier curve from p0 to p2, pulled towards p1."""
    p0, p1, p2 = (np.asarray(p, float) for p in (p0, p1, p2))
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * p1 + t**2 * p2


def _joined(*parts):
    """One (n, 2) polyline from points, point lists and arrays, nested freely; repeated points dropped."""
    arrays = []

    def add(part):
        if isinstance(part, (list, tuple)) and len(part) and not np.isscalar(part[0]):
            for item in part:
                add(item)
        else:
            array = np.asarray(part, float)
            if array.size:
                arrays.append(array.reshape(-1, 2))

    for part in parts:
        add(part)
    points = np.vstack(arrays)
    keep = [0]
    for i in range(1, len(points)):
        if np.linalg.norm(points[i] - points[keep[-1]]) > 1e-6:
            keep.append(i)
    return points[keep]


def _symmetric(right):
    """The closed outline of a symmetric garment from its right half, drawn from the centre line at the top
    to the centre line at the bottom."""
    right = _joined(right)
    left = _flipped(right[::-1])
    if abs(right[0, 0]) < 1e-9:
        left = left[:-1]
    if abs(right[-1, 0]) < 1e-9:
        left = left[1:]
    return np.vstack([right, left])


def _flipped(points):
    """Mirrored about the centre line x = 0."""
    flipped = np.atleast_2d(np.asarray(points, float)).copy()
    flipped[:, 0] *= -1
    return flipped


def _rect(x0, y0, x1, y1):
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)


class _Shape:
    """A shape's strokes, `[kind, points, closed]` in drawing order. Kinds: "body" (a closed outline, coloured in
    when filled), "line" (an open structural stroke such as a handle or a strap, always drawn), "detail" (an
    inner line) and "dot" (one point); details and dots are drawn on outlines only."""

    def __init__(self):
        self.strokes = []

    def body(self, points):
        self.strokes.append(["body", _joined(points), True])

    def line(self, points):
        self.strokes.append(["line", _joined(points), False])

    def detail(self, points, closed=False):
        self.strokes.append(["detail", _joined(points), closed])

    def dot(self, point):
        self.strokes.append(["dot", np.atleast_2d(np.asarray(point, float)), False])

    def both(self, points, closed=False):
        """A detail and its mirror image, on a symmetric garment."""
        self.detail(points, closed)
        self.detail(_flipped(points), closed)


def _pick(rng, options, k):
    """`k` of the options (as many as there are, at most), in random order, without repeats."""
    k = max(0, min(k, len(options)))
    return [options[i] for i in rng.choice(len(options), size=k, replace=False)]


# --- Garments seen from the front; `level` is the detail level, 0 to 2 -----------------------------------------------


@dataclass(frozen=True)
class _Top:
    """Where a top garment's outline runs (half widths from the centre line), for placing its details."""

    neck: str
    neck_x: float
    neck_depth: float
    length: float
    flare: float
    shoulder: np.ndarray
    armpit: np.ndarray
    cuff: list

    def side_x(self, y):
        """The body's half width at height `y`: straight down to the armpit, then flaring out to the hem."""
        if y <= self.armpit[1]:
            return self.armpit[0]
        return self.armpit[0] + self.flare * (y - self.armpit[1]) / max(self.length - self.armpit[1], 1e-6)

    def across(self, y):
        """A line across the body at height `y`."""
        x = self.side_x(y)
        return [(-x, y), (x, y)]


def _top_garment(kind, rng, level):
    """A T-shirt, pullover, shirt or coat (`kind`: "tee", "pullover", "shirt", "coat") with its details."""
    shape = _Shape()
    shoulder_x = _uniform(rng, 0.23, 0.32)
    neck_x = _uniform(rng, 0.08, 0.14)
    drop = _uniform(rng, 0.02, 0.08)  # shoulder slope
    armpit_x = shoulder_x + _uniform(rng, -0.04, 0.01)
    lengths = {  # each kind's length is drawn, whatever the kind: changing that would change every drawing
        "tee": _uniform(rng, 0.72, 1.0),
        "pullover": _uniform(rng, 0.8, 1.05),
        "shirt": _uniform(rng, 0.85, 1.15),
        "coat": _uniform(rng, 1.3, 1.75),
    }
    length = lengths[kind]
    flare = _uniform(rng, 0.0, 0.13) if kind == "coat" else _uniform(rng, -0.03, 0.04)
    neck, neck_depth, neckline = _neckline(kind, neck_x, rng)
    shoulder = np.array([shoulder_x, drop])
    along, cuff_top, cuff_bottom, armpit, length = _sleeve(kind, shoulder, armpit_x, length, rng)
    hem_x = armpit_x + flare
    if kind == "shirt" and rng.random() < 0.6:
        hem = [(hem_x, length - 0.07), (hem_x * 0.7, length - 0.01), (0, length + 0.03)]
    else:
        hem = [(hem_x, length), (0, length + _uniform(rng, -0.01, 0.02))]
    shape.body(_symmetric(_joined(neckline, shoulder, cuff_top, cuff_bottom, armpit, hem)))
    cuff_width = _uniform(rng, 0.04, 0.08)
    cuff = [cuff_top - along * cuff_width, cuff_bottom - along * cuff_width]
    top = _Top(neck, neck_x, neck_depth, length, flare, shoulder, armpit, cuff)
    _TOP_DETAILS[kind](shape, top, rng, level)
    return shape


def _neckline(kind, neck_x, rng):
    """`(neck, depth, points)`: the neck's style, how deep it dips, and its right half from the centre line."""
    neck = {
        "tee": lambda: rng.choice(["crew", "crew", "crew", "v"]),
        "pullover": lambda: rng.choice(["crew", "crew", "turtle", "v"]),
        "shirt": lambda: "shirt",
        "coat": lambda: rng.choice(["lapel", "lapel", "lapel", "zip"]),
    }[kind]()
    if neck == "crew":
        depth = _uniform(rng, 0.04, 0.12)
        return neck, depth, _arc(0, 0, neck_x, depth, 90, 0, 8)
    if neck == "v":
        depth = _uniform(rng, 0.12, 0.24)
        return neck, depth, [(0, depth), (neck_x, 0)]
    if neck == "turtle":
        collar = _uniform(rng, 0.07, 0.13)
        return neck, 0.0, [(0, -collar), (neck_x * 0.9, -collar), (neck_x, 0)]
    if neck == "shirt":
        depth = _uniform(rng, 0.1, 0.17)
        return neck, depth, [(0, depth), (neck_x, -_uniform(rng, 0.01, 0.05))]
    if neck == "lapel":
        depth = _uniform(rng, 0.25, 0.45)
        return neck, depth, [(0, depth), (neck_x, 0)]
    depth = _uniform(rng, 0.02, 0.06)  # a zipped jacket's small stand-up collar
    return neck, depth, [(0, depth - 0.06), (neck_x * 0.95, -0.06), (neck_x, 0)]


def _sleeve(kind, shoulder, armpit_x, length, rng):
    """The right sleeve: short and raised on a T-shirt, else long, often hanging down.

    Returns:
        `(along, cuff_top, cuff_bottom, armpit, length)`: the sleeve's direction, its opening, the armpit,
        and the garment's length, made longer when a hanging sleeve would reach below the hem.
    """
    if kind == "tee":
        angle = math.radians(_uniform(rng, 8, 45))
        width = _uniform(rng, 0.12, 0.19)
        along = np.array([math.cos(angle), math.sin(angle)])
        across = np.array([-math.sin(angle), math.cos(angle)])
        shortest = (0.09 + width * math.sin(angle) + (armpit_x - shoulder[0])) / math.cos(angle)
        cuff_top = shoulder + along * max(_uniform(rng, 0.14, 0.27), shortest)
        cuff_bottom = cuff_top + across * width
        armpit_y = cuff_bottom[1] - (cuff_bottom[0] - armpit_x) * math.tan(angle) * _uniform(rng, 0.5, 1.0)
        return along, cuff_top, cuff_bottom, np.array([armpit_x, max(armpit_y, shoulder[1] + 0.11)]), length
    hanging = rng.random() < (0.8 if kind == "coat" else 0.55)
    angle = math.radians(_uniform(rng, 50, 64) if hanging else _uniform(rng, 28, 48))
    width = _uniform(rng, 0.1, 0.15)
    along = np.array([math.cos(angle), math.sin(angle)])
    across = np.array([-math.sin(angle), math.cos(angle)])
    shortest = (_uniform(rng, 0.1, 0.16) + width * math.sin(angle) + (armpit_x - shoulder[0])) / math.cos(angle)
    if hanging:
        sleeve_length = max(length * _uniform(rng, 0.5, 0.8), shortest)
    else:
        sleeve_length = max(_uniform(rng, 0.45, 0.7), shortest)
    cuff_top = shoulder + along * sleeve_length
    cuff_bottom = cuff_top + across * width
    armpit = np.array([armpit_x, shoulder[1] + _uniform(rng, 0.15, 0.25)])
    return along, cuff_top, cuff_bottom, armpit, max(length, cuff_top[1] - 0.05)


def _neck_band(shape, top, rng):
    """A second line round the neckline, following its style."""
    if top.neck == "crew":
        shape.detail(_arc(0, 0, top.neck_x, top.neck_depth + _uniform(rng, 0.05, 0.08), 0, 180, 9))
    elif top.neck == "turtle":
        shape.detail(_bezier((-top.neck_x, 0), (0, 0.07), (top.neck_x, 0)))
    else:
        shape.detail([(-top.neck_x - 0.03, 0), (0, top.neck_depth + 0.06), (top.neck_x + 0.03, 0)])


def _tee_details(shape, top, rng, level):
    """Up to three of: shoulder seams, a neck band, a breast pocket, a logo (a circle or a star), a stripe."""
    for extra in _pick(rng, ["seams", "band", "pocket", "logo", "stripe"], [0, 1, int(rng.integers(2, 4))][level]):
        if extra == "seams":
            shape.both([top.shoulder, top.armpit])
        elif extra == "band":
            _neck_band(shape, top, rng)
        elif extra == "pocket":
            x0 = top.armpit[0] * _uniform(rng, 0.3, 0.45)
            y0 = _uniform(rng, 0.2, 0.3)
            side = _uniform(rng, 0.12, 0.17)
            shape.detail(_rect(x0, y0, x0 + side, y0 + side * _uniform(rng, 0.9, 1.2)), True)
        elif extra == "logo":
            radius = _uniform(rng, 0.08, 0.14)
            centre_y = top.length * _uniform(rng, 0.38, 0.5)
            if rng.random() < 0.6:
                shape.detail(_arc(0, centre_y, radius, radius, 0, 360, 14), True)
            else:
                angles = np.radians(np.arange(10) * 36 - 90)
                radii = np.where(np.arange(10) % 2 == 0, radius * 1.2, radius * 0.5)
                shape.detail(np.c_[radii * np.cos(angles), centre_y + radii * np.sin(angles)], True)
        else:
            shape.detail(top.across(top.length * _uniform(rng, 0.4, 0.6)))


def _pullover_details(shape, top, rng, level):
    """Up to four of: cuffs (likelier than the rest), a hem band, a neck band, a knitted pattern."""
    options = ["cuffs", "hem", "band", "pattern", "cuffs"]
    count = [0, int(rng.integers(1, 3)), int(rng.integers(3, 5))][level]
    for extra in dict.fromkeys(_pick(rng, options, count)):
        if extra == "cuffs":
            shape.both(top.cuff)
        elif extra == "hem":
            shape.detail(top.across(top.length - _uniform(rng, 0.06, 0.1)))
        elif extra == "band":
            _neck_band(shape, top, rng)
        else:
            _knitted_pattern(shape, top, rng)


def _knitted_pattern(shape, top, rng):
    """A zig-zag band, two stripes or a heart across the chest."""
    y = top.length * _uniform(rng, 0.35, 0.5)
    x = top.side_x(y) - 0.02
    if rng.random() < 0.5:
        n = int(rng.integers(4, 7))
        xs = np.linspace(-x, x, 2 * n + 1)
        ys = y + np.where(np.arange(2 * n + 1) % 2 == 0, 0, _uniform(rng, 0.06, 0.1))
        shape.detail(np.c_[xs, ys])
    elif rng.random() < 0.5:
        shape.detail(top.across(y))
        shape.detail(top.across(y + _uniform(rng, 0.12, 0.18)))
    else:
        r = _uniform(rng, 0.07, 0.1)
        heart = _joined(
            _bezier((0, y + 1.6 * r), (-2.2 * r, y), (-r, y - r)),
            _bezier((-r, y - r), (-0.2 * r, y - 1.2 * r), (0, y - 0.2 * r)),
            _bezier((0, y - 0.2 * r), (0.2 * r, y - 1.2 * r), (r, y - r)),
            _bezier((r, y - r), (2.2 * r, y), (0, y + 1.6 * r)),
        )
        shape.detail(heart, True)


def _shirt_details(shape, top, rng, level):
    """Collar wings and a placket or buttons (or both), then up to two of: cuffs, a breast pocket, a yoke."""
    tip = (top.neck_x * _uniform(rng, 0.6, 1.1), _uniform(rng, 0.13, 0.21))
    shape.both([(top.neck_x, -0.02), tip, (0.0, top.neck_depth)])
    closure = rng.choice(["line+buttons", "buttons", "buttons", "line"])
    if "line" in closure:
        shape.detail([(0, top.neck_depth), (0, top.length - 0.02)])
    if "buttons" in closure:
        buttons = int(rng.integers(3, 6))
        button_x = 0.0 if closure == "buttons" else _uniform(rng, 0.07, 0.1) * rng.choice([-1, 1])
        for y in np.linspace(top.neck_depth + 0.12, top.length - 0.1, buttons):
            shape.dot((button_x, y))
    for extra in _pick(rng, ["cuffs", "pocket", "yoke"], [0, 1, 2][level]):
        if extra == "cuffs":
            shape.both(top.cuff)
        elif extra == "pocket":
            x0 = top.armpit[0] * _uniform(rng, 0.3, 0.45)
            y0 = _uniform(rng, 0.25, 0.35)
            side = _uniform(rng, 0.12, 0.16)
            shape.detail(_rect(x0, y0, x0 + side, y0 + side * 1.1), True)
        else:
            shape.both([top.shoulder, top.armpit])


def _coat_details(shape, top, rng, level):
    """Lapels and an opening with buttons (single or double breasted), or a zip; then a belt, pockets or cuffs."""
    if top.neck == "lapel":
        lapel_y = _uniform(rng, 0.08, 0.16)
        shape.both([(top.neck_x, 0), (top.neck_x + _uniform(rng, 0.04, 0.1), lapel_y), (0.0, top.neck_depth)])
        open_x = 0.0 if rng.random() < 0.6 else _uniform(rng, 0.04, 0.08)
        shape.detail([(open_x, top.neck_depth), (open_x, top.length)])
        if rng.random() < 0.8:
            buttons = int(rng.integers(2, 5))
            button_xs = [_uniform(rng, 0.07, 0.1)]
            if rng.random() < 0.35:
                button_xs.append(-button_xs[0])
            first = top.neck_depth + 0.1
            for y in np.linspace(first, first + 0.16 * (buttons - 1), buttons):
                if y < top.length - 0.1:
                    for button_x in button_xs:
                        shape.dot((button_x + open_x, y))
    else:
        shape.detail([(0, top.neck_depth - 0.06), (0, top.length)])
        shape.detail(_bezier((-top.neck_x, 0), (0, 0.05), (top.neck_x, 0)))
    for extra in _pick(rng, ["belt", "pockets", "cuffs"], [0, 1, 1][level]):
        if extra == "belt":
            shape.detail(top.across(top.length * _uniform(rng, 0.42, 0.55)))
        elif extra == "pockets":
            y = top.length * _uniform(rng, 0.62, 0.72)
            x0 = top.side_x(y) * _uniform(rng, 0.35, 0.5)
            shape.both([(x0, y), (x0 + _uniform(rng, 0.12, 0.18), y)])
        else:
            shape.both(top.cuff)


_TOP_DETAILS = {"tee": _tee_details, "pullover": _pullover_details, "shirt": _shirt_details, "coat": _coat_details}


def _trouser(rng, level):
    """Straight, flared, skinny or wide trousers; up to five of: waistband, fly, pockets, creases, turn-ups,
    a button."""
    shape = _Shape()
    style = rng.choice(["straight", "straight", "flare", "skinny", "wide"])
    waist_x = _uniform(rng, 0.2, 0.28)
    length = _uniform(rng, 0.95, 1.25)
    hip_y = _uniform(rng, 0.15, 0.25)
    hip_x = waist_x + _uniform(rng, 0.0, 0.04)
    crotch_y = _uniform(rng, 0.22, 0.36)
    if style == "straight":
        hem_x, leg = hip_x + _uniform(rng, -0.02, 0.02), _uniform(rng, 0.15, 0.2)
    elif style == "flare":
        hem_x, leg = hip_x + _uniform(rng, 0.04, 0.1), _uniform(rng, 0.2, 0.26)
    elif style == "skinny":
        hem_x, leg = hip_x - _uniform(rng, 0.03, 0.07), _uniform(rng, 0.11, 0.15)
    else:
        hem_x, leg = hip_x + _uniform(rng, 0.02, 0.06), _uniform(rng, 0.22, 0.28)
    leg = min(leg, hem_x - _uniform(rng, 0.06, 0.1))  # the leg's width at the hem
    knee = [(hip_x - 0.01, crotch_y + (length - crotch_y) * 0.55)] if style == "flare" else []
    right = _joined((0, 0), (waist_x, 0), (hip_x, hip_y), knee, (hem_x, length), (hem_x - leg, length), (0.0, crotch_y))
    shape.body(_symmetric(right))
    options = ["band", "fly", "pockets", "crease", "cuffs", "button"]
    chosen = _pick(rng, options, [0, int(rng.integers(1, 3)), int(rng.integers(3, 6))][level])
    band_y = _uniform(rng, 0.06, 0.1)
    for extra in chosen:
        if extra == "band":
            shape.detail([(-waist_x, band_y), (waist_x, band_y)])
        elif extra == "fly":
            hook = _bezier((0.0, band_y + 0.12), (0.0, band_y + 0.2), (0.06, band_y + 0.17))
            shape.detail(_joined((0.0, band_y), (0.0, band_y + 0.12), hook))
        elif extra == "pockets":
            shape.both(_bezier((waist_x * 0.55, 0.0), (waist_x * 0.6, hip_y * 0.9), (hip_x, hip_y + 0.02)))
        elif extra == "crease":
            x = (hem_x - leg / 2 + hip_x / 2) / 2
            shape.both([(x, crotch_y + 0.05), (hem_x - leg / 2, length - 0.08)])
        elif extra == "cuffs":
            y = length - _uniform(rng, 0.06, 0.09)
            shape.both([(hem_x - leg, y), (hem_x, y)])
        else:
            shape.dot((0.0, band_y * 0.5))
    return shape


def _dress(rng, level):
    """A strap, sleeved, A-line or straight dress; up to three of: a belt, a trim above the hem, a bow,
    a second neckline."""
    shape = _Shape()
    style = rng.choice(["strap", "strap", "sleeve", "aline", "straight"])
    neck_x = _uniform(rng, 0.06, 0.12)
    neck_depth = _uniform(rng, 0.06, 0.18)
    strap = _uniform(rng, 0.03, 0.08)
    bust_x = _uniform(rng, 0.15, 0.21)
    armpit_y = _uniform(rng, 0.14, 0.24)
    waist_y = _uniform(rng, 0.36, 0.52)
    length = _uniform(rng, 1.1, 1.5)
    if style == "straight":
        waist_x = bust_x - _uniform(rng, 0.0, 0.03)
        hem_x = bust_x + _uniform(rng, 0.04, 0.12)
    elif style == "aline":
        waist_x = bust_x
        hem_x = _uniform(rng, 0.32, 0.48)
    else:
        waist_x = bust_x - _uniform(rng, 0.03, 0.07)
        hem_x = _uniform(rng, 0.3, 0.55)
    if rng.random() < 0.6:
        neckline = _arc(0, 0, neck_x, neck_depth, 90, 0, 8)
    else:
        neckline = np.array([(0, neck_depth), (neck_x, 0)])
    if style == "sleeve":
        sleeve_x = neck_x + strap + _uniform(rng, 0.02, 0.05)
        angle = math.radians(_uniform(rng, 20, 45))
        sleeve_length = _uniform(rng, 0.1, 0.16)
        sleeve_width = _uniform(rng, 0.08, 0.12)
        cuff_top = np.array([sleeve_x + sleeve_length * math.cos(angle), 0.02 + sleeve_length * math.sin(angle)])
        cuff_bottom = cuff_top + sleeve_width * np.array([-math.sin(angle), math.cos(angle)])
        arm = [(sleeve_x, 0.02), cuff_top, cuff_bottom, (bust_x, max(armpit_y, cuff_bottom[1] + 0.02))]
    else:
        strap_x = neck_x + strap
        arm = _joined((strap_x, 0), _bezier((strap_x, 0), (strap_x + 0.01, armpit_y * 0.9), (bust_x, armpit_y), 6))
    if rng.random() < 0.25 and level > 0:  # a wavy hem
        hem = [(x, length + (0.04 if i % 2 else 0)) for i, x in enumerate(np.linspace(hem_x, 0, 6))]
    else:
        curve = _uniform(rng, 0.0, 0.06)
        hem = _bezier((hem_x, length), (hem_x * 0.5, length + curve), (0.0, length + curve), 6)
    shape.body(_symmetric(_joined(neckline, arm, (waist_x, waist_y), hem)))
    for extra in _pick(rng, ["belt", "trim", "bow", "neckline"], [0, 1, int(rng.integers(2, 4))][level]):
        if extra == "belt" and style != "straight":
            shape.detail([(-waist_x, waist_y), (waist_x, waist_y)])
        elif extra == "trim":
            y = length - _uniform(rng, 0.1, 0.16)
            x = waist_x + (hem_x - waist_x) * (y - waist_y) / (length - waist_y) - 0.01
            shape.detail([(-x, y), (x, y)])
        elif extra == "bow":
            r = _uniform(rng, 0.06, 0.09)
            w, y = r * 1.3, waist_y
            shape.detail([(0, y), (-w, y - r), (-w, y + r), (0, y), (w, y - r), (w, y + r)], True)
        elif extra == "neckline":
            shape.detail([(-neck_x - strap * 0.5, 0.03), (0, neck_depth + 0.08), (neck_x + strap * 0.5, 0.03)])
    return shape


# --- Shoes seen from the side, toe to the right before mirroring; bags ----------------------------------------------


def _arch(x0, x1, y, height, n=8):
    """A curve from (x0, y) to (x1, y), rising `height` above them in the middle: a strap over the foot."""
    return _bezier((x0, y), ((x0 + x1) / 2, y - 2 * height), (x1, y), n)


def _sandal(rng, level):
    """A flat sandal with toe and middle straps, one with crossed straps, a high-heeled one, or a slide."""
    shape = _Shape()
    style = rng.choice(["flat", "flat", "cross", "heel", "slide"])
    sole = _uniform(rng, 0.05, 0.1)  # the sole's thickness
    if style == "heel":
        _high_heel(shape, sole, rng)
        return shape
    toe_up = _uniform(rng, 0.0, 0.04)
    shape.body(
        _joined(
            (-0.46, -sole),
            (0.45, -sole - toe_up),
            _arc(0.45, -sole / 2 - toe_up / 2, 0.06, sole / 2 + toe_up / 2, -90, 90, 6),
            (-0.45, 0.0),
            _arc(-0.46, -sole / 2, 0.05, sole / 2, 90, 270, 6),
        )
    )
    if style == "slide":
        start, end = _uniform(rng, -0.15, 0.0), _uniform(rng, 0.3, 0.4)
        height = _uniform(rng, 0.2, 0.3)
        inner = _bezier((end - 0.08, -sole), ((start + end) / 2, -sole - 2 * height + 0.2), (start + 0.08, -sole), 9)
        shape.body(_joined(_arch(start, end, -sole, height, 9), inner))
        if rng.random() < 0.5:
            shape.line(_bezier((-0.43, -sole), (-0.45, -0.35), (start + 0.05, -sole - height)))
    elif style == "flat":
        toe_start, toe_end = _uniform(rng, 0.1, 0.22), _uniform(rng, 0.36, 0.44)
        shape.line(_arch(toe_start, toe_end, -sole, _uniform(rng, 0.13, 0.2)))
        mid_start, mid_end = _uniform(rng, -0.22, -0.1), _uniform(rng, -0.02, 0.06)
        shape.line(_arch(mid_start, mid_end, -sole, _uniform(rng, 0.2, 0.3)))
        if rng.random() < 0.75:  # a strap round the heel and the ankle
            ankle = (_uniform(rng, -0.42, -0.32), -sole - _uniform(rng, 0.3, 0.42))
            shape.line(_joined((-0.44, -sole), ankle, ((mid_start + mid_end) / 2, -sole - 0.2)))
    else:
        shape.line([(-0.15, -sole), (0.25, -sole - _uniform(rng, 0.25, 0.35)), (0.38, -sole)])
        shape.line([(0.2, -sole), (-0.1, -sole - _uniform(rng, 0.3, 0.4))])
        shape.line(_joined((-0.44, -sole), (-0.4, -sole - 0.38), (-0.1, -sole - 0.38)))
        if level > 0:
            shape.line([(-0.35, -sole), (-0.2, -sole - 0.38)])
    return shape


def _high_heel(shape, sole, rng):
    """A sole sloping down from a high back to the toe, a block heel or a stiletto, a toe strap, and a strap up
    the heel and round the ankle."""
    heel = _uniform(rng, 0.22, 0.35)  # the heel's height
    ball_x = _uniform(rng, 0.05, 0.2)
    top = _joined((-0.5, -heel), _bezier((-0.5, -heel), (ball_x - 0.1, -0.02), (ball_x + 0.05, -sole)), (0.48, -sole))
    bottom = _joined(
        _arc(0.46, -sole / 2, 0.05, sole / 2, -90, 90, 5)[1:],
        (ball_x, 0.0),
        _bezier((ball_x, 0), (ball_x - 0.25, -0.03), (-0.36, -heel + sole + 0.04)),
    )
    shape.body(_joined(top, bottom, (-0.5, -heel + sole)))
    heel_x = -0.4
    if rng.random() < 0.5:
        block = [(heel_x - 0.08, -heel + sole), (heel_x + 0.02, -heel + sole + 0.03), (heel_x - 0.03, 0.0)]
        shape.body([*block, (heel_x - 0.09, 0.0)])
    else:
        shape.line([(heel_x, -heel + sole + 0.02), (heel_x - 0.03, 0.0)])
    toe_start, toe_end = _uniform(rng, 0.12, 0.22), _uniform(rng, 0.38, 0.44)
    shape.line(_arch(toe_start, toe_end, -sole, _uniform(rng, 0.14, 0.2)))
    ankle = (-0.46 + _uniform(rng, -0.02, 0.04), -heel - _uniform(rng, 0.22, 0.32))
    front = (_uniform(rng, -0.28, -0.18), ankle[1] + _uniform(rng, 0.0, 0.06))
    shape.line([(-0.49, -heel + 0.02), ankle, front])
    if rng.random() < 0.7:
        shape.line([front, (_uniform(rng, -0.12, 0.0), -0.07)])


def _sneaker(rng, level):
    """A classic sneaker, a runner (a treaded sole when detailed) or a slip-on; a sole line, mostly, and up to
    three of: laces, stripes, a toe cap, a heel tab, an elastic."""
    shape = _Shape()
    style = rng.choice(["classic", "classic", "runner", "slipon"])
    back = _uniform(rng, 0.4, 0.52)  # the height at the heel
    toe = _uniform(rng, 0.2, 0.28)  # the height at the toe
    sole = _uniform(rng, 0.08, 0.11) if style != "runner" else _uniform(rng, 0.11, 0.15)
    laces_end_x = _uniform(rng, 0.12, 0.25)
    heel = [(-0.48, 0.0), _bezier((-0.48, 0.0), (-0.56, -back * 0.5), (-0.46, -back), 6)]
    if style == "slipon":
        upper = [_bezier((-0.46, -back), (-0.2, -back + 0.12), (laces_end_x, -toe - 0.03), 8)]
    else:
        tongue_height = back + _uniform(rng, -0.02, 0.08)
        tongue = (_uniform(rng, -0.22, -0.12), -tongue_height)
        upper = [(-0.3, -back + _uniform(rng, 0.06, 0.12)), (tongue[0] - 0.04, -tongue_height + 0.02), tongue]
        upper.append((laces_end_x, -toe))
    front = _bezier((laces_end_x, -toe), (0.52, -toe * _uniform(rng, 0.7, 1.0)), (0.53, -0.03), 8)
    bottom = [(0.48, 0.0)]
    if style == "runner" and level > 0:
        bottom = [(x, 0.0 if i % 2 == 0 else 0.03) for i, x in enumerate(np.linspace(0.45, -0.45, 7))]
    shape.body(_joined(heel, upper, front, bottom))
    options = ["stripe", "toecap", "elastic"] if style == "slipon" else ["laces", "stripe", "toecap", "tab"]
    chosen = _pick(rng, options, [0, int(rng.integers(1, 3)), int(rng.integers(2, 4))][level])
    if level > 0 or rng.random() >= 0.5:  # the simplest drawings leave the sole line out half of the time
        shape.detail([(-0.5, -sole), (0.5, -sole)])
    for extra in chosen:
        if extra == "laces":
            _laces(shape, np.array(tongue), np.array([laces_end_x, -toe]), rng)
        elif extra == "stripe":
            if rng.random() < 0.5:  # a swoosh
                shape.detail(_bezier((-0.32, -sole - 0.1), (-0.05, -sole), (0.15, -toe + 0.02)))
            else:
                shape.detail([(-0.25, -sole - 0.02), (-0.1, -back + 0.12)])
                shape.detail([(-0.1, -sole - 0.02), (0.05, -toe - 0.02)])
        elif extra == "toecap":
            shape.detail(_bezier((0.3, -sole), (0.3, -toe + 0.02), (0.45, -toe + 0.02)))
        elif extra == "tab":
            shape.detail([(-0.48, -back * 0.55), (-0.4, -back * 0.6)])
        else:
            shape.detail(_bezier((-0.1, -back + 0.08), (0.0, -sole - 0.05), (0.1, -toe)))
    return shape


def _laces(shape, tongue, end, rng):
    """Two or three short strokes across the line from the tongue to where the laces end."""
    along = (end - tongue) / np.linalg.norm(end - tongue)
    across = np.array([along[1], -along[0]])
    if across[1] > 0:
        across = -across
    for share in np.linspace(0.25, 0.8, int(rng.integers(2, 4))):
        point = tongue + (end - tongue) * share
        shape.detail([point - across * 0.03 - along * 0.04, point + across * 0.05 + along * 0.04])


def _ankle_boot(rng, level):
    """A flat, heeled or Chelsea ankle boot; up to three of: a sole line, a zip, laces, a pull tab, a cuff,
    elastic sides."""
    shape = _Shape()
    style = rng.choice(["flat", "flat", "heel", "chelsea"])
    shaft = _uniform(rng, 0.7, 0.95)  # the shaft's height
    front_x = _uniform(rng, -0.2, -0.05)  # the shaft's front
    ankle_y = -_uniform(rng, 0.3, 0.45)
    toe = _uniform(rng, 0.17, 0.26)  # the height at the toe
    front_top = -shaft + _uniform(rng, -0.03, 0.08)
    back_x = -0.48
    upper = _joined(
        (back_x, -shaft),
        (front_x, front_top),
        (front_x + 0.02, ankle_y),
        _bezier((front_x + 0.02, ankle_y), (front_x + 0.06, -toe - 0.02), (0.22, -toe), 6),
        _bezier((0.22, -toe), (0.53, -toe * 0.85), (0.52, -0.03), 8),
        (0.47, 0.0),
    )
    if style == "heel":
        arch = _uniform(rng, 0.07, 0.12)
        heel_x = _uniform(rng, -0.25, -0.18)
        instep = _bezier((0.12, 0.0), (0.0, -arch), (heel_x + 0.02, -arch), 5)
        underside = _joined((0.12, 0.0), instep, (heel_x, 0.0), (back_x + 0.02, 0.0))
    else:
        underside = _joined((back_x + 0.02, 0.0))
    rear = _bezier((back_x + 0.02, 0.0), (back_x - 0.05, -0.15), (back_x, -0.35), 5)
    shape.body(_joined(upper, underside, rear))
    sole = _uniform(rng, 0.05, 0.08)
    options = ["sole", "zip", "laces", "tab", "cuff"]
    if style == "chelsea":
        options = ["sole", "elastic", "elastic", "tab"]
    count = [0, int(rng.integers(1, 3)), int(rng.integers(2, 4))][level]
    for extra in dict.fromkeys(_pick(rng, options, count)):
        if extra == "sole":
            shape.detail([(back_x, -sole), (0.5 if style != "heel" else 0.3, -sole)])
        elif extra == "zip":
            x = (back_x + front_x) / 2 + _uniform(rng, -0.03, 0.03)
            shape.detail([(x, -shaft + 0.06), (x, ankle_y + 0.12)])
        elif extra == "laces":
            for y in np.linspace(-shaft + 0.12, ankle_y + 0.02, int(rng.integers(2, 4))):
                shape.detail([(front_x - 0.1, y + 0.04), (front_x + 0.02, y)])
        elif extra == "tab":
            shape.detail(_bezier((back_x + 0.02, -shaft), (back_x + 0.06, -shaft - 0.18), (back_x + 0.12, -shaft), 6))
        elif extra == "cuff":
            y = -shaft + _uniform(rng, 0.1, 0.14)
            shape.detail([(back_x, y), (front_x, y + (front_top + shaft))])
        else:
            middle_x = (back_x + front_x) / 2
            shape.detail(_bezier((middle_x - 0.1, -shaft), (middle_x, ankle_y + 0.3), (middle_x + 0.1, -shaft), 7))
    return shape


def _bag(rng, level):
    """A tote, a purse with a flap, a shoulder bag, a briefcase or a half-moon bag, with handles or a strap."""
    shape = _Shape()
    style = rng.choice(["tote", "tote", "purse", "shoulder", "brief", "round"])
    if style in ("tote", "purse"):
        _tote_or_purse(shape, style, rng, level)
    elif style == "shoulder":
        w = _uniform(rng, 0.28, 0.42)  # half the width
        height = _uniform(rng, 0.35, 0.55)
        shape.body(_rect(-w, 0, w, height))
        strap = _uniform(rng, 0.55, 0.9)
        if rng.random() < 0.5:
            shape.line(_arc(0, 0.0, w - 0.03, strap, 180, 360, 13))
        else:
            shape.line([(-w + 0.04, 0.0), (0, -strap), (w - 0.04, 0.0)])
        if level > 0:
            flap_y = height * _uniform(rng, 0.4, 0.6)
            shape.detail(_joined((-w, 0.03), _bezier((-w, flap_y), (0, flap_y + 0.1), (w, flap_y)), (w, 0.03)))
            if rng.random() < 0.6:
                shape.dot((0, flap_y + 0.05))
    elif style == "brief":
        w = _uniform(rng, 0.4, 0.5)
        height = _uniform(rng, 0.5, 0.68)
        shape.body(_rect(-w, 0, w, height))
        handle_x, handle_y = _uniform(rng, 0.13, 0.2), -_uniform(rng, 0.13, 0.2)
        shape.line([(-handle_x, 0), (-handle_x, handle_y), (handle_x, handle_y), (handle_x, 0)])
        if level > 0:
            y = height * _uniform(rng, 0.25, 0.35)
            shape.detail([(-w, y), (w, y)])
            if level > 1:
                shape.dot((-w * 0.5, y))
                shape.dot((w * 0.5, y))
    else:
        w = _uniform(rng, 0.35, 0.48)
        height = _uniform(rng, 0.4, 0.6)
        shape.body(_joined((-w, 0), (w, 0), _arc(0, 0, w, height, 0, 180, 14)))
        shape.line(_arc(0, 0.0, _uniform(rng, 0.2, 0.32), _uniform(rng, 0.3, 0.45), 180, 360, 11))
        if level > 0:
            shape.detail([(-w * 0.95, height * 0.2), (w * 0.95, height * 0.2)])
    return shape


def _tote_or_purse(shape, style, rng, level):
    """A bag wider at the bottom with a round handle (a tote sometimes two); a purse has a flap and a clasp,
    a tote up to two of: a pocket, a top band, a badge."""
    top_x = _uniform(rng, 0.28, 0.42)
    bottom_x = top_x + (_uniform(rng, -0.02, 0.1) if style == "tote" else _uniform(rng, 0.05, 0.15))
    height = _uniform(rng, 0.45, 0.75)
    shape.body([(-top_x, 0), (top_x, 0), (bottom_x, height), (-bottom_x, height)])
    handle_x = _uniform(rng, 0.15, min(0.3, top_x - 0.03))
    handle_height = _uniform(rng, 0.25, 0.45)
    shape.line(_arc(0, 0.0, handle_x, handle_height, 180, 360, 11))
    if style == "tote" and rng.random() < 0.4:
        shape.line(_arc(0.03, 0.0, handle_x + 0.05, handle_height * 0.85, 180, 360, 11))
    if style == "purse":
        if level > 0 or rng.random() < 0.5:
            flap_y = height * _uniform(rng, 0.35, 0.55)
            shape.detail([(-top_x, 0.02), (0, flap_y), (top_x, 0.02)])
            shape.dot((0, flap_y))
        return
    for extra in _pick(rng, ["pocket", "top", "badge"], [0, 1, 2][level]):
        if extra == "pocket":
            shape.detail(_rect(-top_x * 0.5, height * 0.4, top_x * 0.5, height * 0.8), True)
        elif extra == "top":
            shape.detail([(-top_x - 0.01, height * 0.18), (top_x + 0.01, height * 0.18)])
        else:
            shape.dot((0, height * 0.5))


_MAKERS = (
    partial(_top_garment, "tee"),
    _trouser,
    partial(_top_garment, "pullover"),
    _dress,
    partial(_top_garment, "coat"),
    _sandal,
    partial(_top_garment, "shirt"),
    _sneaker,
    _bag,
    _ankle_boot,
)
"""One shape maker per Fashion-MNIST class, in label order: `maker(rng, level)` returns a `_Shape`."""


# --- The hand: pose, wobble, rounded corners, gaps and overshoots -----------------------------------------------------


def _drawing(label, style, widest_pen, rng):
    """A shape of class `label` as the hand draws it, in canvas pixels, shared by every pen.

    Returns:
        `(strokes, fills)`: `(kind, points)` pairs traced with the pen, and the outline of each body,
        coloured in when the style is "filled".
    """
    slop = rng.beta(1.6, 1.6)  # 0: careful .. 1: sloppy
    if style == "outline":
        level = int(rng.choice([0, 1, 2], p=[0.3, 0.4, 0.3]))
    else:
        level = int(rng.choice([0, 1, 2]))
    strokes = _normalised(_MAKERS[label](rng, level).strokes)
    strokes = _misplaced_details(strokes, slop, rng)
    strokes = _warped(strokes, slop, rng)
    if label in _MIRRORED and rng.random() < 0.5:
        strokes = [(kind, points * np.array([-1.0, 1.0]), closed) for kind, points, closed in strokes]
    smallest = 0.55 if (level == 2 and style == "outline") or label in (1, 5, 7) else 0.4  # room for details
    strokes = _turned_and_sized(strokes, smallest, rng)
    strokes, fills = _traced(strokes, slop, rng)
    return _placed(strokes, fills, widest_pen, rng)


def _normalised(strokes):
    """Centred on the middle of the bounding box, its longest side 1."""
    points = np.vstack([points for _, points, _ in strokes])
    low, high = points.min(0), points.max(0)
    middle, span = (low + high) / 2, max(high - low)
    return [(kind, (points - middle) / span, closed) for kind, points, closed in strokes]


def _misplaced_details(strokes, slop, rng):
    """Inner details and dots land a little off, more so for a sloppy hand."""
    moved = []
    for kind, points, closed in strokes:
        if kind in ("detail", "dot"):
            points = points + rng.normal(0, 0.008 + 0.012 * slop, 2)
        moved.append((kind, points, closed))
    return moved


def _warped(strokes, slop, rng):
    """A smooth warp of the whole shape: aspect, shear, one side wider than the other, bends."""
    aspect = math.exp(rng.normal(0, 0.07))
    shear = rng.normal(0, 0.03)
    asymmetry = rng.normal(0, 0.04 + 0.03 * slop)
    bend_x, bend_y = rng.normal(0, 0.012 + 0.015 * slop, 2)
    phase_x, phase_y = _uniform(rng, 0, 6.3), _uniform(rng, 0, 6.3)
    warped = []
    for kind, points, closed in strokes:
        x, y = points[:, 0], points[:, 1]
        x2 = x * aspect + shear * y
        x2 = np.where(x2 > 0, x2 * (1 + asymmetry), x2)
        x2 = x2 + bend_x * np.sin(np.pi * y * 1.3 + phase_x)
        y2 = y / aspect + bend_y * np.sin(np.pi * x * 1.3 + phase_y)
        warped.append((kind, np.c_[x2, y2], closed))
    return warped


def _turned_and_sized(strokes, smallest, rng):
    """Tilted by up to 15 degrees and scaled to canvas pixels: the longest side `smallest` to 0.92 of the canvas."""
    theta = math.radians(float(np.clip(rng.normal(0, 7), -15, 15)))
    rotation = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    side = (smallest + (0.92 - smallest) * rng.beta(1.5, 1.1)) * CANVAS
    return [(kind, (points @ rotation.T) * side, closed) for kind, points, closed in strokes]


def _traced(strokes, slop, rng):
    """The strokes as a mouse draws them: rounded corners, wobble, outlines in pieces, ends short or over.

    Returns:
        `(strokes, fills)` as `_drawing` does.
    """
    corner = _uniform(rng, 0, 4 + 10 * slop)
    amplitude = 0.3 + 1.5 * slop
    end_spread = 1.5 + 7 * slop
    traced, fills = [], []
    for kind, points, closed in strokes:
        if kind == "dot":
            traced.append((kind, points + rng.normal(0, 1.0, 2)))
            continue
        pieces = [
            _wobbled(piece, rng, amplitude, _bow(piece, slop, rng)) for piece in _pieces(points, closed, corner, rng)
        ]
        if kind == "body":
            fills.append(np.vstack(pieces))
        for piece in pieces:
            piece = _trimmed_or_extended(piece, rng.normal(0, end_spread), rng.normal(0, end_spread))
            step = int(rng.integers(1, 4))  # the mouse reports points at uneven spacing
            traced.append((kind, piece[np.r_[np.arange(0, len(piece) - 1, step), len(piece) - 1]]))
    return traced, fills


def _pieces(points, closed, corner, rng):
    """A stroke resampled every 2 pixels with rounded corners; a closed one starts anywhere and may be drawn in
    up to three pieces, each ending where the next starts so that the fill stays whole."""
    if closed:
        points = np.roll(points, -int(rng.integers(len(points))), axis=0)
    line = _resampled(_rounded(points, closed, corner), closed, 2.0)
    if not closed:
        return [line]
    count = int(rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15]))
    if count == 1 or len(line) <= 20:
        return [line]
    cuts = np.sort(rng.choice(np.arange(5, len(line) - 5), size=count - 1, replace=False))
    pieces = np.split(line, cuts)
    return [np.vstack([piece, after[:1]]) for piece, after in pairwise(pieces)] + [pieces[-1]]


def _rounded(points, closed, radius):
    """Each corner cut by a small curve, up to `radius` pixels from it (an open stroke keeps its ends)."""
    n = len(points)
    if n < 3 or radius <= 0:
        return points
    rounded = []
    for i in range(n):
        if not closed and i in (0, n - 1):
            rounded.append(points[i])
            continue
        before, corner, after = points[i - 1], points[i], points[(i + 1) % n]
        to_before, to_after = np.linalg.norm(corner - before), np.linalg.norm(after - corner)
        if to_before < 1e-6 or to_after < 1e-6:
            rounded.append(corner)
            continue
        r = min(radius, 0.45 * to_before, 0.45 * to_after)
        start = corner + (before - corner) / to_before * r
        stop = corner + (after - corner) / to_after * r
        rounded.extend(_bezier(start, corner, stop, 5))
    return np.array(rounded)


def _resampled(points, closed, step):
    """Evenly spaced points about `step` pixels apart along the polyline (closed: back to the start)."""
    if closed:
        points = np.vstack([points, points[:1]])
    along = np.r_[0, np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))]
    length = along[-1]
    if length < 1e-6:
        return points[:1].copy()
    at = np.linspace(0, length, max(2, int(length / step) + 1))
    return np.c_[np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])]


def _bow(piece, slop, rng):
    """How far, in pixels, a piece bulges sideways in its middle: more for long pieces and a sloppy hand."""
    length = np.sum(np.linalg.norm(np.diff(piece, axis=0), axis=1))
    return float(np.clip(rng.normal(0, 0.012 * length), -6, 6)) * (0.4 + slop)


def _wobbled(points, rng, amplitude, bow):
    """Shifted sideways by three slow waves, a bow and a little jitter (a piece of under three points is kept)."""
    if len(points) < 3:
        return points
    direction = np.gradient(points, axis=0)
    direction /= np.maximum(np.linalg.norm(direction, axis=1, keepdims=True), 1e-9)
    normal = np.c_[-direction[:, 1], direction[:, 0]]
    along = np.r_[0, np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))]
    length = max(along[-1], 1e-6)
    offset = np.zeros(len(points))
    for _ in range(3):
        wavelength = _uniform(rng, 45, 170)
        height = amplitude * rng.normal()
        offset += height * np.sin(2 * np.pi * along / wavelength + _uniform(rng, 0, 2 * np.pi)) / math.sqrt(3)
    offset += bow * np.sin(np.pi * along / length)
    offset += rng.normal(0, 0.15, len(points))
    return points + normal * offset[:, None]


def _trimmed_or_extended(points, start, end):
    """The stroke overshooting its ends by `start` and `end` pixels, or stopping short where they are negative."""
    points = _end_moved(points, end)
    return _end_moved(points[::-1], start)[::-1]


def _end_moved(points, by):
    """The last point moved on along the stroke's direction (`by` > 0) or back along it; under 0.3 pixels: kept."""
    if len(points) < 2 or abs(by) < 0.3:
        return points
    if by > 0:
        heading = points[-1] - points[-min(4, len(points))]
        heading /= max(np.linalg.norm(heading), 1e-9)
        return np.vstack([points, points[-1] + heading * by])
    lengths = np.linalg.norm(np.diff(points, axis=0), axis=1)
    cut, k = 0.0, len(points) - 1
    while k > 1 and cut + lengths[k - 1] < -by:
        cut += lengths[k - 1]
        k -= 1
    return points[: k + 1]


def _placed(strokes, fills, widest_pen, rng):
    """Shrunk to fit the canvas if need be (with room for the widest pen) and moved to a random spot, pulled
    halfway towards the middle: students tend to draw near it."""
    points = np.vstack([points for _, points in strokes] + fills)
    low, high = points.min(0), points.max(0)
    margin = widest_pen / 2 + 3
    scale = min(1.0, (CANVAS - 2 * margin) / max(high - low))
    middle, half = (low + high) / 2, (high - low) * scale / 2
    first, last = margin + half, CANVAS - margin - half  # where the middle may go, on each axis
    spot = np.array([_uniform(rng, first[0], last[0]), _uniform(rng, first[1], last[1])])
    spot = 0.5 * spot + 0.5 * np.clip(np.full(2, CANVAS / 2), first, last)
    strokes = [(kind, (points - middle) * scale + spot) for kind, points in strokes]
    return strokes, [(points - middle) * scale + spot for points in fills]


def _render(strokes, fills, style, pen):
    """Black ink on a white RGB canvas: the fills (when filled), then every stroke with a round brush `pen` wide.

    Pillow's wide line has square joins and ends; a disc on every point rounds them, like the canvas's brush.
    """
    image = Image.new("L", (CANVAS, CANVAS), 255)
    draw = ImageDraw.Draw(image)
    if style == "filled":
        for outline in fills:
            draw.polygon(outline.ravel().tolist(), fill=0)
    r = pen / 2
    for kind, points in strokes:
        if style == "filled" and kind in ("detail", "dot"):
            continue
        if len(points) > 1:
            draw.line(points.ravel().tolist(), fill=0, width=pen)
        for x, y in points.tolist():
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.repeat(np.asarray(image)[..., np.newaxis], 3, axis=-1)


# --- The drawings ----------------------------------------------------------------------------------------------------


def canvases(label: int, style: str, pens: tuple[int, ...], rng: np.random.Generator) -> list[np.ndarray]:
    """One shape of class `label` ("filled" or "outline"), drawn with each pen of `pens`.

    Args:
        label: the Fashion-MNIST class, 0 to 9.
        style: one of `STYLES`.
        pens: the brush widths, in pixels.
        rng: every random choice of the shape and the hand comes from it.

    Returns:
        One RGB uint8 (280, 280, 3) canvas per pen, pure black ink on white.

    Raises:
        ValueError: for an unknown label or style.
    """
    if not 0 <= label < len(_MAKERS):
        raise ValueError(f"label must be 0 to {len(_MAKERS) - 1}, not {label}")
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    strokes, fills = _drawing(label, style, max(pens), rng)
    return [_render(strokes, fills, style, pen) for pen in pens]
