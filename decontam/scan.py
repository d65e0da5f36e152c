"""Scan one shard against the benchmark index: the work one process (or Spark task) does.

Per batch of documents (all vectorised over the batch): normalise and shingle; drop
boilerplate n-grams (whitelisted: licence headers, n-grams common to many problems) and mark
n-grams that occur in some benchmark item; cut each document into windows of ``window`` n-grams
(stride ``window/2``); sign only the windows with at least ``window_min_hits`` such n-grams
(a window with none cannot match anything) and query the LSH Ensemble for items that contain
the window; verify every (document, item) candidate by exact n-gram containment of the item in
the whole document, and record the match with its place in the shard. Whole items (problems too
short to check field by field) skip the windows and MinHash: the document n-grams found in them
are counted per (document, item) exactly, and the pairs at ``threshold`` are verified the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from decontam.index import BenchmarkIndex
from decontam.normalize import shingle_hashes, to_h32, token_hashes, tokenize
from decontam.shards import BadShard, Doc, batches


@dataclass
class Match:
    item: int
    shard: str
    row: int
    doc_id: str | None
    offset: int
    """character offset in the document where the longest matching run starts"""
    containment: float
    longest_run: int
    """tokens in the longest run of consecutive document n-grams that are in the item"""
    jaccard: float
    snippet: str


@dataclass
class ShardResult:
    shard: str
    documents: int = 0
    bytes: int = 0
    seconds: float = 0.0
    windows: int = 0
    windows_queried: int = 0
    """windows signed (enough n-grams in some item)"""
    windows_lsh: int = 0
    """signed windows that share an LSH band fingerprint with an item and were queried"""
    candidates: int = 0
    matches: list[Match] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ShardResult:
        data = dict(data)
        data["matches"] = [Match(**m) for m in data.get("matches", [])]
        return cls(**data)


@dataclass
class _Batch:
    docs: list[Doc]
    encoded: list[bytes]
    doc_byte_start: np.ndarray
    tok_start: np.ndarray
    seq: np.ndarray
    """global shingle index of each in-document shingle, documents in order"""
    seq_doc: np.ndarray
    seq_h64: np.ndarray
    doc_seq_start: np.ndarray
    """first position in ``seq`` of each document (len docs + 1)"""


def _prepare(docs: list[Doc], n: int) -> _Batch:
    encoded = [doc.text.encode("utf-8") for doc in docs]
    joined = b"\0".join(encoded)
    buf = np.frombuffer(joined, dtype=np.uint8)
    lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
    doc_byte_start = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    starts, ends = tokenize(buf)
    h64 = shingle_hashes(token_hashes(buf, starts, ends), n)
    tok_doc = np.searchsorted(doc_byte_start, starts, side="right") - 1
    if len(h64):
        valid = tok_doc[: len(h64)] == tok_doc[n - 1 :]
        seq = np.flatnonzero(valid)
    else:
        seq = np.zeros(0, dtype=np.int64)
    seq_doc = tok_doc[seq]
    doc_seq_start = np.searchsorted(seq_doc, np.arange(len(docs) + 1), side="left")
    return _Batch(docs, encoded, doc_byte_start, starts, seq, seq_doc, h64[seq], doc_seq_start)


def _windows(batch: _Batch, half: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blocks of ``half`` n-grams per document, and windows = a block and the next one.

    Returns (block_starts into seq, window first blocks, window block counts (1 or 2)).
    """
    count = len(batch.seq)
    if count == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    local = np.arange(count) - batch.doc_seq_start[batch.seq_doc]
    new_block = (local % half) == 0
    block_starts = np.flatnonzero(new_block)
    block_doc = batch.seq_doc[block_starts]
    same_next = np.zeros(len(block_starts), dtype=bool)
    same_next[:-1] = block_doc[1:] == block_doc[:-1]
    same_prev = np.zeros(len(block_starts), dtype=bool)
    same_prev[1:] = same_next[:-1]
    pair = same_next
    single = ~same_next & ~same_prev
    first = np.flatnonzero(pair | single)
    width = np.where(pair[first], 2, 1)
    return block_starts, first, width


def _drop(batch: _Batch, keep: np.ndarray) -> None:
    """Remove n-grams (boilerplate) from the batch's document sequences."""
    batch.seq, batch.seq_doc, batch.seq_h64 = batch.seq[keep], batch.seq_doc[keep], batch.seq_h64[keep]
    batch.doc_seq_start = np.searchsorted(batch.seq_doc, np.arange(len(batch.docs) + 1), side="left")


def scan_batch(batch_docs: list[Doc], index: BenchmarkIndex, shard: str,
               result: ShardResult) -> None:
    params = index.params
    if index.lsh is None and not len(index.whole_hashes):
        return
    batch = _prepare(batch_docs, params.ngram)
    if len(batch.seq) == 0:
        return
    in_item, boiler, in_whole = index.classify(batch.seq_h64)
    if boiler.any():
        _drop(batch, ~boiler)
        in_item, in_whole = in_item[~boiler], in_whole[~boiler]
    if in_whole.any():
        _scan_wholes(batch, in_whole, index, shard, result)
    if index.lsh is None:
        return
    half = params.window // 2
    block_starts, first, width = _windows(batch, half)
    result.windows += len(first)
    if len(first) == 0:
        return
    hits = in_item.astype(np.int64)
    block_hits = np.add.reduceat(hits, block_starts)
    block_ends = np.append(block_starts[1:], len(batch.seq))
    window_hits = block_hits[first] + np.where(width == 2, block_hits[np.minimum(first + 1, len(block_hits) - 1)], 0)
    window_size = block_ends[first + width - 1] - block_starts[first]
    chosen = np.flatnonzero(window_hits >= np.minimum(params.window_min_hits, window_size))
    if len(chosen) == 0:
        return
    result.windows_queried += len(chosen)
    # sign the blocks the chosen windows need, all at once
    need = np.unique(np.concatenate([first[chosen], (first + width - 1)[chosen]]))
    lengths = block_ends[need] - block_starts[need]
    rows = np.repeat(block_starts[need] - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths) + np.arange(lengths.sum())
    h32 = to_h32(batch.seq_h64[rows])
    group_starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    block_sigs = index.perms.sign_groups(h32, group_starts)
    slot = {int(b): i for i, b in enumerate(need.tolist())}

    lo_rows = block_starts[first[chosen]]
    hi_rows = block_ends[(first + width - 1)[chosen]]
    b0 = np.array([slot[int(b)] for b in first[chosen].tolist()], dtype=np.intp)
    b1 = np.array([slot[int(b)] for b in (first + width - 1)[chosen].tolist()], dtype=np.intp)
    signatures = np.minimum(block_sigs[b0], block_sigs[b1])
    live = np.flatnonzero(index.maybe_candidates(signatures))
    result.windows_lsh += len(live)
    pairs: set[tuple[int, int]] = set()
    for w in live.tolist():
        lo, hi = int(lo_rows[w]), int(hi_rows[w])
        size = len(np.unique(batch.seq_h64[lo:hi]))
        doc = int(batch.seq_doc[lo])
        for key in index.lsh.query(index.perms.minhash(signatures[w]), size):
            pairs.add((doc, int(key)))
    result.candidates += len(pairs)
    for doc, item in sorted(pairs):
        match = _verify(batch, doc, item, index, shard)
        if match is not None:
            result.matches.append(match)


def _scan_wholes(batch: _Batch, in_whole: np.ndarray, index: BenchmarkIndex, shard: str,
                 result: ShardResult) -> None:
    hits = np.flatnonzero(in_whole)
    docs, items = index.whole_hits(batch.seq_h64[hits], batch.seq_doc[hits])
    result.candidates += len(docs)
    for doc, item in zip(docs.tolist(), items.tolist(), strict=True):
        match = _verify(batch, doc, item, index, shard)
        if match is not None:
            result.matches.append(match)


def _verify(batch: _Batch, doc: int, item: int, index: BenchmarkIndex, shard: str) -> Match | None:
    """Exact containment of the item's n-grams in the document's, with where it is."""
    params = index.params
    item_hashes = index.item_hashes[item]
    lo, hi = int(batch.doc_seq_start[doc]), int(batch.doc_seq_start[doc + 1])
    doc_h = batch.seq_h64[lo:hi]
    containment = float(np.isin(item_hashes, doc_h).mean())
    if containment < params.threshold:
        return None
    in_item = np.isin(doc_h, item_hashes)
    # longest run of consecutive document n-grams that are item n-grams
    padded = np.concatenate(([0], in_item.view(np.int8), [0]))
    edges = np.diff(padded)
    run_starts, run_ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    longest = int(np.argmax(run_ends - run_starts))
    run_start, run_len = int(run_starts[longest]), int(run_ends[longest] - run_starts[longest])
    # exact Jaccard with the document span as long as the item, centred on that run
    span_len = len(item_hashes)
    span_start = max(0, min(run_start + run_len // 2 - span_len // 2, len(doc_h) - span_len))
    span = np.unique(doc_h[span_start : span_start + span_len])
    inter = len(np.intersect1d(span, item_hashes, assume_unique=True))
    jaccard = inter / (len(span) + len(item_hashes) - inter)
    token = int(batch.seq[lo + run_start])
    byte_offset = int(batch.tok_start[token] - batch.doc_byte_start[doc])
    encoded = batch.encoded[doc]
    offset = len(encoded[:byte_offset].decode("utf-8", errors="ignore"))
    record = batch.docs[doc]
    return Match(item=item, shard=shard, row=record.row, doc_id=record.doc_id, offset=offset,
                 containment=round(containment, 4), longest_run=run_len + params.ngram - 1,
                 jaccard=round(jaccard, 4),
                 snippet=record.text[offset : offset + params.snippet_chars])


def scan_shard(shard: str, index: BenchmarkIndex,
               progress: Callable[[int], None] | None = None) -> ShardResult:
    """Scan a whole shard; a shard that cannot be read gives a result with ``error`` set."""
    params = index.params
    result = ShardResult(shard=shard)
    began = time.perf_counter()
    try:
        for docs, nbytes in batches(shard, params.text_column, params.id_column):
            scan_batch(docs, index, shard, result)
            result.documents += len(docs)
            result.bytes += nbytes
            if progress is not None:
                progress(nbytes)
    except BadShard as exc:
        result.error = str(exc)
        result.matches = []
    result.seconds = round(time.perf_counter() - began, 3)
    return result
