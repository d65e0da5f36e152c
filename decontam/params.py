"""Every knob that changes a decontamination result; all of it is written into the report."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from decontam.normalize import HASH_FUNCTION, NORMALISATION
from decontam.signature import SCHEME


@dataclass(frozen=True)
class Params:
    ngram: int = 6
    """tokens per shingle"""
    num_perm: int = 128
    seed: int = 1
    window: int = 10
    """n-grams per document window queried against the index (stride window/2); an item of
    ``min_item_shingles`` pasted anywhere holds a whole window when window <= 2/3 of it"""
    lsh_threshold: float = 0.7
    """LSH Ensemble containment of a window in a benchmark item that makes a candidate"""
    num_part: int = 4
    """LSH Ensemble partitions (by item size)"""
    threshold: float = 0.5
    """verified containment of an item in a document that counts as a match and flags"""
    min_item_shingles: int = 16
    """items with fewer distinct (non-boilerplate) shingles are whitelisted as trivial; a problem
    whose prompt is trivial is also checked whole (see ``decontam.index``)"""
    boilerplate_df: float = 0.05
    """a shingle in at least this fraction of a benchmark/language's problems is boilerplate"""
    max_matches: int = 5
    """matching documents kept per item (best first)"""
    snippet_chars: int = 240
    text_column: str = "content"
    id_column: str | None = None

    def __post_init__(self) -> None:
        checks = [
            (self.ngram >= 1, "ngram must be >= 1"),
            (self.num_perm >= 8, "num_perm must be >= 8"),
            (self.window >= 2 and self.window % 2 == 0, "window must be an even number >= 2"),
            (0 < self.lsh_threshold <= 1, "lsh_threshold must be in (0, 1]"),
            (0 < self.threshold <= 1, "threshold must be in (0, 1]"),
            (self.num_part >= 1, "num_part must be >= 1"),
            (self.min_item_shingles >= 1, "min_item_shingles must be >= 1"),
            (0 < self.boilerplate_df <= 1, "boilerplate_df must be in (0, 1]"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    @property
    def window_min_hits(self) -> int:
        """Windows with fewer n-grams found in any benchmark item are not signed or queried.

        A window contained in an item at ``lsh_threshold`` has ``lsh_threshold * window`` of its
        n-grams in that item; half of that is a safe floor for LSH's own recall.
        """
        return max(1, int(self.lsh_threshold * self.window / 2))

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(
            scheme=f"datasketch MinHash {SCHEME}",
            normalisation=NORMALISATION,
            hash_function=HASH_FUNCTION,
            window_stride=self.window // 2,
            window_min_hits=self.window_min_hits,
        )
        return data

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()
