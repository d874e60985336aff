"""The line model copy-fitting predicts the next scale from: words rewrapped at another size."""

from __future__ import annotations

from leafpress.fitmodel import Paragraph, predicted_height, ratio_for_lines


def _paragraph(words: int, lines: int, width: float = 100.0) -> Paragraph:
    # Words 9 wide with a space of 1: ten to a line of 100.
    return Paragraph(lines, tuple((9.0, 1.0) for _ in range(words)), width, 12.0 * lines)


def test_at_its_own_size_a_paragraph_keeps_the_lines_it_was_laid_out_in():
    # Justified or hyphenated text may take a line more or less than greedy wrapping says:
    # the model predicts changes from the lines the pass found, not its own count.
    for lines in (2, 3, 4):
        assert _paragraph(25, lines).lines_at(1.0) == lines
        assert predicted_height([_paragraph(25, lines)], 1.0) == 0


def test_larger_type_wraps_onto_more_lines_each_taller():
    paragraph = _paragraph(25, 3)  # 10 + 10 + 5 words
    assert paragraph.lines_at(1.1) == 3  # nine a line at 110 %: 9 + 9 + 7
    assert paragraph.lines_at(1.3) == 4  # seven a line: 7 + 7 + 7 + 4
    assert paragraph.height_at(1.3) == 12.0 * 4 * 1.3
    assert paragraph.lines_at(0.8) == 3  # twelve a line at 80 %: 12 + 12 + 1
    assert paragraph.lines_at(0.7) == 2  # fourteen at 70 %: 14 + 11


def test_the_largest_ratio_for_a_number_of_lines():
    headline = _paragraph(12, 2)  # ten words on the first line, two on the second
    ratio = ratio_for_lines([headline], 1, 0.5)
    # Twelve words on one line need 12 × 10 - 1 = 119 of width 100, counted 2 % wider.
    assert 0.8 < ratio < 100 / 119 / 1.02 + 0.001
    assert headline.lines_at(ratio) == 1
    assert ratio_for_lines([headline], 1, 0.95) == 0.95  # not even at the smallest allowed
