"""Affine matrices (a b c d e f, as PDF's `cm` takes them) and the flips that duplex needs."""

from __future__ import annotations

Matrix = tuple[float, float, float, float, float, float]


def compose(first: Matrix, then: Matrix) -> Matrix:
    """The matrix that applies `first`, then `then` (PDF row-vector order)."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def long_edge_flip(box: tuple[float, float, float, float]) -> Matrix:
    """Turning a sheet over about its long edge: where a point of one side is on the other."""
    x0, y0, x1, y1 = box
    if y1 - y0 >= x1 - x0:  # portrait: the long edge is vertical
        return (-1, 0, 0, 1, x0 + x1, 0)
    return (1, 0, 0, -1, 0, y0 + y1)
