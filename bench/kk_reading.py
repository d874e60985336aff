"""What reading hand-typed Kazakh Latin back into Cyrillic costs: the one-off load, then per word.

    python bench/kk_reading.py              # the held-out lists' words, in Latin, 5 rounds
    python bench/kk_reading.py --rounds 1

The load is the first hand-typed Latin word's: the Hunspell word lists read and indexed
(leafpress/kklexicon.py), paid once per process and only when such a word is hyphenated. The
per-word time is hand_written_breaks() on every word of the held-out lists, spelled in Latin,
after the load (CPU time, best and median of the rounds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_kk_unseen_hyphenation import HELD_OUT, latin, syllabified  # noqa: E402

from leafpress import kklexicon  # noqa: E402
from leafpress.hyphenation import _carried, hand_written_breaks  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    words = ["".join(latin(syllables)) for path in HELD_OUT for syllables in syllabified(path)]

    started = time.process_time()
    kklexicon._index()
    load = time.process_time() - started

    times = []
    for _ in range(rounds):
        # Each round reads afresh: the Cyrillic breaks of a reading are cached per process.
        _carried.cache_clear()
        started = time.process_time()
        for word in words:
            hand_written_breaks(word)
        times.append((time.process_time() - started) / len(words) * 1000)
    print(f"load (once): {load:.2f} s CPU")
    print(
        f"per word: {min(times):.2f} ms best, {statistics.median(times):.2f} ms median "
        f"({len(words)} words, {rounds} rounds)"
    )


if __name__ == "__main__":
    main()
