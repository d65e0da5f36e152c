"""The benchmark side: one item per problem field, boilerplate whitelisted, MinHash-indexed.

Items are small and few (HumanEval: 164 problems x 3 fields), so the index keeps, besides the
datasketch LSH Ensemble over item signatures, each item's exact n-gram set (for verification)
and the union of all of them (to skip document windows that share nothing with any item).

A field with fewer than ``min_item_shingles`` n-grams is whitelisted as trivial: alone it is a
natural one-liner (``return len(string)``). So that no problem goes unchecked, a problem whose
prompt is trivial also gets a ``whole`` item: its prompt joined with the trivial fields that
follow it, as the program runs them (HumanEval_23 ``strlen``: prompt + solution + tests;
HumanEval_53 ``add``: prompt + solution, its tests being checked alone). Whole items are short,
so they are not MinHash-indexed: every document n-gram is looked up in them exactly, and a
document holding at least ``threshold`` of a whole item's n-grams is verified like any match.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHashLSHEnsemble

from benchmarks.problem import Problem
from decontam.normalize import fmix64, text_shingles, to_h32
from decontam.params import Params
from decontam.signature import Permutations

FIELDS: tuple[str, ...] = ("prompt", "canonical_solution", "tests")
#: the item of a problem whose prompt is too short to check alone (see the module docstring)
WHOLE = "whole"

#: Opening lines of the licence headers that sit on top of countless files; their n-grams are
#: never evidence of a leak. (Facts: the standard wording of these licences.)
LICENSE_HEADERS: tuple[str, ...] = (
    "Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use this file "
    "except in compliance with the License. You may obtain a copy of the License at "
    "http://www.apache.org/licenses/LICENSE-2.0 Unless required by applicable law or agreed to "
    "in writing, software distributed under the License is distributed on an \"AS IS\" BASIS, "
    "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.",
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software and associated documentation files (the \"Software\"), to deal in the Software "
    "without restriction, including without limitation the rights to use, copy, modify, merge, "
    "publish, distribute, sublicense, and/or sell copies of the Software",
    "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, "
    "INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR "
    "PURPOSE AND NONINFRINGEMENT.",
    "This program is free software: you can redistribute it and/or modify it under the terms of "
    "the GNU General Public License as published by the Free Software Foundation, either version "
    "3 of the License, or (at your option) any later version.",
    "Redistribution and use in source and binary forms, with or without modification, are "
    "permitted provided that the following conditions are met:",
)


@dataclass(frozen=True)
class Item:
    """One field of one problem."""

    benchmark: str
    language: str
    name: str
    field: str
    shingles: int
    """distinct n-grams left after removing boilerplate"""
    whitelisted: str | None = None
    """why this item is not checked (``trivial``), or None"""
    joins: tuple[str, ...] = ()
    """the fields a ``whole`` item joins"""

    @property
    def problem_key(self) -> tuple[str, str, str]:
        return (self.benchmark, self.language, self.name)


@dataclass
class BenchmarkIndex:
    params: Params
    perms: Permutations
    items: list[Item]
    item_hashes: list[np.ndarray]
    """sorted distinct 64-bit n-gram hashes per item (empty for whitelisted items)"""
    union: np.ndarray
    """sorted distinct hashes of all checked items"""
    boilerplate: np.ndarray
    """sorted whitelisted n-gram hashes (licence headers, n-grams common to many problems)"""
    bloom_bits: int
    bloom: np.ndarray
    lsh: MinHashLSHEnsemble | None
    problems: list[tuple[str, str, str]]
    boilerplate_shingles: int
    digest: str
    band_keys: dict[int, np.ndarray]
    """r -> sorted fingerprints of every (band, values) of indexed items, for each band width
    r the LSH Ensemble uses: a window none of whose bands is here cannot be an LSH candidate"""
    whole_hashes: np.ndarray
    """sorted n-gram hashes of the whole items, one entry per (hash, whole item)"""
    whole_owner: np.ndarray
    """the whole item (index into ``items``) of each entry of ``whole_hashes``"""

    def maybe_candidates(self, signatures: np.ndarray) -> np.ndarray:
        """Mask of window signatures that can share an LSH band with some item (a superset)."""
        mask = np.zeros(len(signatures), dtype=bool)
        for r, keys in self.band_keys.items():
            prints = band_fingerprints(signatures, r)
            pos = np.searchsorted(keys, prints)
            pos[pos == len(keys)] = 0
            mask |= (keys[pos] == prints).any(axis=1)
        return mask

    def classify(self, h64: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Masks (in some indexed item, boilerplate, in some whole item) of n-gram hashes, exactly.

        One bloom bitmap over all three sets answers most hashes; only its hits are looked up.
        """
        mask = self.bloom[(h64 & np.uint64((1 << self.bloom_bits) - 1)).astype(np.intp)]
        idx = np.flatnonzero(mask)
        in_item = np.zeros(len(h64), dtype=bool)
        boiler = np.zeros(len(h64), dtype=bool)
        in_whole = np.zeros(len(h64), dtype=bool)
        if len(idx):
            values = h64[idx]
            for table, out in ((self.union, in_item), (self.boilerplate, boiler), (self.whole_hashes, in_whole)):
                if len(table):
                    pos = np.searchsorted(table, values)
                    pos[pos == len(table)] = 0
                    out[idx] = table[pos] == values
        return in_item, boiler, in_whole

    def whole_hits(self, h64: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document, whole item) pairs holding at least ``threshold`` of the item's n-grams.

        ``h64`` are n-grams known to be in some whole item and ``docs`` their documents.
        """
        lo = np.searchsorted(self.whole_hashes, h64, side="left")
        counts = np.searchsorted(self.whole_hashes, h64, side="right") - lo
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
        owner = self.whole_owner[starts + np.arange(total)].astype(np.int64)
        pair = np.repeat(docs.astype(np.int64), counts) * len(self.items) + owner
        grams = np.repeat(h64, counts)
        order = np.lexsort((grams, pair))
        pair, grams = pair[order], grams[order]
        first = np.ones(len(pair), dtype=bool)
        first[1:] = (pair[1:] != pair[:-1]) | (grams[1:] != grams[:-1])
        pairs, found = np.unique(pair[first], return_counts=True)
        owners = pairs % len(self.items)
        sizes = np.array([self.items[int(i)].shingles for i in owners], dtype=np.float64)
        keep = found >= self.params.threshold * sizes
        return pairs[keep] // len(self.items), owners[keep]


def band_fingerprints(signatures: np.ndarray, r: int) -> np.ndarray:
    """64-bit fingerprint of each band of ``r`` values (and its position), per signature.

    Equal bands give equal fingerprints, so matching on fingerprints never loses an LSH hit.
    """
    count = signatures.shape[1] // r
    bands = signatures[:, : count * r].reshape(len(signatures), count, r).astype(np.uint64)
    acc = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    acc = np.broadcast_to(acc, (len(signatures), count)).copy()
    for k in range(r):
        acc *= np.uint64(0xC2B2AE3D27D4EB4F)
        acc += bands[:, :, k]
    return fmix64(acc)


def problem_fields(problem: Problem) -> Iterable[tuple[str, str]]:
    for field in FIELDS:
        text = getattr(problem, field)
        if text:
            yield field, text


def build_index(problems: Sequence[Problem], params: Params) -> BenchmarkIndex:
    """Shingle every field, drop boilerplate n-grams, sign and index what is left."""
    perms = Permutations.create(params.num_perm, params.seed)
    license_grams = set()
    for header in LICENSE_HEADERS:
        license_grams.update(text_shingles(header, params.ngram).tolist())

    raw: list[tuple[Problem, str, np.ndarray]] = []
    per_group_df: dict[tuple[str, str], Counter[int]] = {}
    group_sizes: Counter[tuple[str, str]] = Counter()
    for problem in problems:
        group = (problem.benchmark, problem.language)
        group_sizes[group] += 1
        seen: set[int] = set()
        for field, text in problem_fields(problem):
            hashes = np.unique(text_shingles(text, params.ngram))
            raw.append((problem, field, hashes))
            seen.update(hashes.tolist())
        per_group_df.setdefault(group, Counter()).update(seen)

    boilerplate: dict[tuple[str, str], np.ndarray] = {}
    total_boilerplate = 0
    for group, df in per_group_df.items():
        cutoff = max(3, math.ceil(params.boilerplate_df * group_sizes[group]))
        common = {h for h, count in df.items() if count >= cutoff} | license_grams
        boilerplate[group] = np.array(sorted(common), dtype=np.uint64)
        total_boilerplate += len(common)

    items: list[Item] = []
    item_hashes: list[np.ndarray] = []
    trivial_fields: dict[tuple[str, str, str], set[str]] = {}
    for problem, field, hashes in raw:
        group = (problem.benchmark, problem.language)
        kept = hashes[~np.isin(hashes, boilerplate[group])]
        trivial = len(kept) < params.min_item_shingles
        items.append(Item(problem.benchmark, problem.language, problem.name, field, len(kept),
                          "trivial" if trivial else None))
        item_hashes.append(np.zeros(0, dtype=np.uint64) if trivial else kept)
        if trivial:
            trivial_fields.setdefault(_key(problem), set()).add(field)

    wholes: list[int] = []
    for problem in problems:
        joins = _whole_fields(problem, trivial_fields.get(_key(problem), set()))
        if not joins:
            continue
        text = "\n".join(getattr(problem, field) for field in joins)
        hashes = np.unique(text_shingles(text, params.ngram))
        kept = hashes[~np.isin(hashes, boilerplate[(problem.benchmark, problem.language)])]
        items.append(Item(problem.benchmark, problem.language, problem.name, WHOLE, len(kept),
                          None if len(kept) else "trivial", joins))
        item_hashes.append(kept)
        if len(kept):
            wholes.append(len(items) - 1)
    if wholes:
        whole_all = np.concatenate([item_hashes[i] for i in wholes])
        owner_all = np.concatenate([np.full(len(item_hashes[i]), i, dtype=np.int32) for i in wholes])
        order = np.argsort(whole_all, kind="stable")
        whole_hashes, whole_owner = whole_all[order], owner_all[order]
    else:
        whole_hashes, whole_owner = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32)

    checked = [i for i, item in enumerate(items) if item.whitelisted is None and item.field != WHOLE]
    union = (np.unique(np.concatenate([item_hashes[i] for i in checked]))
             if checked else np.zeros(0, dtype=np.uint64))
    # dropped from documents before windowing; never an n-gram some other group's item needs
    all_boilerplate = np.setdiff1d(
        np.unique(np.concatenate([*boilerplate.values(), np.zeros(0, dtype=np.uint64)])),
        np.union1d(union, whole_hashes))
    known = np.concatenate([union, all_boilerplate, whole_hashes])
    bloom_bits = int(min(26, max(16, math.ceil(math.log2(max(1, len(known)) * 32)))))
    bloom = np.zeros(1 << bloom_bits, dtype=bool)
    bloom[(known & np.uint64((1 << bloom_bits) - 1)).astype(np.intp)] = True

    lsh = None
    band_keys: dict[int, np.ndarray] = {}
    if checked:
        sizes = {items[i].shingles for i in checked}
        lsh = MinHashLSHEnsemble(threshold=params.lsh_threshold, num_perm=params.num_perm,
                                 num_part=min(params.num_part, len(sizes)))
        signatures = np.stack([perms.sign(to_h32(item_hashes[i])) for i in checked])
        lsh.index([(i, perms.minhash(sig), items[i].shingles)
                   for i, sig in zip(checked, signatures, strict=True)])
        for r in sorted({int(r) for part in lsh.indexes for r in part}):
            band_keys[r] = np.unique(band_fingerprints(signatures, r))

    digest = hashlib.sha256(params.digest().encode())
    for item, hashes in zip(items, item_hashes, strict=True):
        digest.update(f"{item}".encode())
        digest.update(hashes.tobytes())
    seen_problems: dict[tuple[str, str, str], None] = {}
    for problem in problems:
        seen_problems[_key(problem)] = None
    return BenchmarkIndex(params, perms, items, item_hashes, union, all_boilerplate, bloom_bits,
                          bloom, lsh,
                          list(seen_problems), total_boilerplate, digest.hexdigest(), band_keys,
                          whole_hashes, whole_owner)


def _key(problem: Problem) -> tuple[str, str, str]:
    return (problem.benchmark, problem.language, problem.name)


def _whole_fields(problem: Problem, trivial: set[str]) -> tuple[str, ...]:
    """The fields a problem's whole item joins: a trivial prompt and the trivial fields after it."""
    present = [field for field, _ in problem_fields(problem)]
    if "prompt" not in trivial or not present or present[0] != "prompt":
        return ()
    joins = []
    for field in present:
        if field not in trivial:
            break
        joins.append(field)
    return tuple(joins)
