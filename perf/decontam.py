"""Decontamination throughput per core, against datasketch used the plain way and in bulk.

    python perf/decontam.py [--size-mb 200] [--baseline-mb 8] [--workdir DIR]

Builds a code corpus of ``--size-mb`` MB (random runs of lines from the Python standard
library's own files, with a few HumanEval problems planted) as parquet shards, then, in one
process (one core), in one run:

* polypass: ``decontam.scan.scan_shard`` end to end (read, normalise, shingle, sign, query,
  verify) over the whole corpus;
* datasketch plain: same reading and tokens, a ``MinHash`` per document with ``update`` per
  shingle, then an LSH Ensemble query per document;
* datasketch bulk: the same with ``MinHash.bulk`` per batch of documents.

Both baselines use ``hashfunc=decontam.normalize.ShingleHash`` (a memoised pure-Python version
of our shingle hash), under which their signatures are identical to ours; the script checks
that on the baseline sample. They skip verification, so they do strictly less work. They run
on the first ``--baseline-mb`` MB only (the plain way is too slow for 200 MB) and are reported
as MB/s. For reference it also times datasketch's default SHA-1 ``hashfunc`` in bulk (other
signatures) and our signer applied to every whole document.
"""

from __future__ import annotations

import argparse
import random
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from datasketch import MinHash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import humaneval  # noqa: E402
from decontam.index import WHOLE, build_index  # noqa: E402
from decontam.normalize import ShingleHash, shingle_texts, text_shingles, text_tokens, to_h32  # noqa: E402
from decontam.params import Params  # noqa: E402
from decontam.scan import scan_shard  # noqa: E402
from decontam.shards import batches  # noqa: E402

SHARD_MB = 50


def stdlib_lines(limit: int = 1500) -> list[list[str]]:
    files = []
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py"))[:limit]:
        try:
            files.append(path.read_text(encoding="utf-8").splitlines(keepends=True))
        except (UnicodeDecodeError, OSError):
            continue
    return [f for f in files if len(f) > 20]


def make_corpus(folder: Path, size_mb: float, seed: int = 0) -> tuple[list[Path], set[str]]:
    """Parquet shards of generated documents; every 500th has a HumanEval problem inside."""
    rng = random.Random(seed)
    files = stdlib_lines()
    problems = humaneval.load()
    shards: list[Path] = []
    docs: list[str] = []
    planted: set[str] = set()
    shard_bytes = total = 0
    count = 0
    while total < size_mb * 1e6:
        lines = rng.choice(files)
        start = rng.randrange(len(lines))
        text = "".join(lines[start : start + rng.randint(40, 600)])
        if count % 500 == 0:
            problem = problems[(count // 500) % len(problems)]
            text += "\n" + problem.prompt + (problem.canonical_solution or "") + "\n"
            planted.add(problem.name)
        docs.append(text)
        count += 1
        shard_bytes += len(text)
        total += len(text)
        if shard_bytes >= SHARD_MB * 1e6:
            shards.append(_write(folder, len(shards), docs))
            docs, shard_bytes = [], 0
    if docs:
        shards.append(_write(folder, len(shards), docs))
    return shards, planted


def _write(folder: Path, number: int, docs: list[str]) -> Path:
    path = folder / f"corpus-{number:05d}.parquet"
    pq.write_table(pa.table({"content": docs, "id": [f"{number}-{i}" for i in range(len(docs))]}), path)
    return path


def sample_docs(shard: Path, limit_mb: float) -> list[str]:
    out, size = [], 0
    for docs, nbytes in batches(str(shard), "content", None):
        out.extend(d.text for d in docs)
        size += nbytes
        if size >= limit_mb * 1e6:
            break
    return out


def baseline(docs_source: Path, limit_mb: float, index, mode: str) -> tuple[float, list[np.ndarray]]:
    """MB/s of read + tokens + datasketch signatures + one LSH query per document."""
    params = index.params
    hashfunc = ShingleHash(params.ngram)
    kwargs = {"num_perm": params.num_perm, "seed": params.seed}
    if mode != "bulk-sha1":
        kwargs["hashfunc"] = hashfunc
    sigs: list[np.ndarray] = []
    size = 0
    began = time.perf_counter()
    for docs, nbytes in batches(str(docs_source), "content", None):
        shingle_lists = [shingle_texts(text_tokens(d.text), params.ngram) for d in docs]
        if mode == "plain":
            minhashes = []
            for shingles in shingle_lists:
                minhash = MinHash(**kwargs)
                for shingle in shingles:
                    minhash.update(shingle)
                minhashes.append(minhash)
        else:
            minhashes = MinHash.bulk(shingle_lists, **kwargs)
        for shingles, minhash in zip(shingle_lists, minhashes, strict=True):
            if shingles:
                list(index.lsh.query(minhash, len(set(shingles))))
            sigs.append(minhash.hashvalues)
        size += nbytes
        if size >= limit_mb * 1e6:
            break
    return size / 1e6 / (time.perf_counter() - began), sigs


def our_whole_doc_signing(docs: list[str], index) -> tuple[float, list[np.ndarray]]:
    size = sum(len(d.encode()) for d in docs)
    began = time.perf_counter()
    sigs = [index.perms.sign(to_h32(text_shingles(d, index.params.ngram))) for d in docs]
    return size / 1e6 / (time.perf_counter() - began), sigs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=200.0)
    parser.add_argument("--baseline-mb", type=float, default=8.0)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)

    params = Params(text_column="content")
    index = build_index(humaneval.load(), params)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        began = time.perf_counter()
        shards, planted = make_corpus(Path(tmp), args.size_mb)
        corpus_mb = sum(p.stat().st_size for p in shards) / 1e6
        print(f"corpus: {len(shards)} parquet shards, {corpus_mb:.0f} MB on disk, "
              f"made in {time.perf_counter() - began:.0f}s")

        scan_shard(str(shards[0]), index)  # warm-up: power tables, imports
        began = time.perf_counter()
        text_bytes, found = 0, set()
        for shard in shards:
            result = scan_shard(str(shard), index)
            text_bytes += result.bytes
            found.update(index.items[m.item].name for m in result.matches)
        ours = text_bytes / 1e6 / (time.perf_counter() - began)
        checkable = {i.name for i in index.items if i.whitelisted is None
                     and i.field in ("prompt", "canonical_solution", WHOLE)} & planted
        print(f"polypass end to end: {text_bytes / 1e6:.0f} MB of text at {ours:.2f} MB/s/core; "
              f"{len(found & planted)} of {len(planted)} planted problems found "
              f"({len(checkable)} checkable: prompt, solution or whole not trivial), {len(found - planted)} others flagged")

        plain, plain_sigs = baseline(shards[0], args.baseline_mb, index, "plain")
        bulk, bulk_sigs = baseline(shards[0], args.baseline_mb, index, "bulk")
        sha1, _ = baseline(shards[0], args.baseline_mb, index, "bulk-sha1")
        docs = sample_docs(shards[0], args.baseline_mb)[: len(bulk_sigs)]
        whole, our_sigs = our_whole_doc_signing(docs, index)
        same = all(np.array_equal(a, b) and np.array_equal(a, c)
                   for a, b, c in zip(our_sigs, plain_sigs, bulk_sigs, strict=False))
        print(f"signatures identical to datasketch (plain and bulk, {len(our_sigs)} documents): {same}")
        print(f"datasketch plain (MinHash per document, update per shingle): {plain:.3f} MB/s/core")
        print(f"datasketch bulk (MinHash.bulk):                             {bulk:.3f} MB/s/core")
        print(f"datasketch bulk, default sha1 hashfunc (other signatures):  {sha1:.3f} MB/s/core")
        print(f"polypass signer on every whole document (no skipping):      {whole:.3f} MB/s/core")
        print(f"ratio end to end vs bulk:  {ours / bulk:.1f}x (goal >= 5x)")
        print(f"ratio end to end vs plain: {ours / plain:.1f}x (goal >= 30x)")
        print(f"ratio end to end vs bulk with sha1: {ours / sha1:.1f}x")
        print(f"ratio whole-document signing vs bulk: {whole / bulk:.1f}x")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
