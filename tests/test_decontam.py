"""Decontamination: signatures equal datasketch's, normalisation, whitelisting, and a planted
contamination corpus (the Python standard library's own files as training data) scanned end to
end through `polypass decontam`, with bad shards, resume, HF datasets and load_flagged.

Runtime here: about 40 s (2 cores), most of it the planted-corpus scans.
"""

from __future__ import annotations

import gzip
import json
import random
import sysconfig
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datasketch import MinHash

from benchmarks import humaneval
from benchmarks.problem import Problem
from decontam.index import WHOLE, build_index
from decontam.normalize import ShingleHash, shingle_texts, text_shingles, text_tokens, to_h32
from decontam.params import Params
from decontam.report import ReportError, load_flagged, read_report
from decontam.scan import scan_shard
from decontam.signature import Permutations
from harness.cli import main

STDLIB = Path(sysconfig.get_paths()["stdlib"])
#: HumanEval's problems whose prompt is too short to check alone (all of strlen is)
SHORTEST = ("HumanEval_23_strlen", "HumanEval_53_add", "HumanEval_55_fib")
#: the same functions as anyone writes them: must not be taken for a leak
ONE_LINERS = """
def strlen(string: str) -> int:
    return len(string)


def add(x: int, y: int) -> int:
    return x + y


def fib(n: int):
    if n == 0:
        return 0
    if n == 1:
        return 1
    return fib(n - 1) + fib(n - 2)
"""


def stdlib_texts(count: int, min_size: int = 3000, max_size: int = 40000) -> list[str]:
    texts = []
    for path in sorted(STDLIB.rglob("*.py")):
        if "test" in path.parts or "tests" in path.parts or "idlelib" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if min_size <= len(text) <= max_size:
            texts.append(text)
        if len(texts) == count:
            break
    assert len(texts) == count, f"the Python standard library at {STDLIB} has too few .py files"
    return texts


# --- signatures -----------------------------------------------------------------------------


@pytest.mark.parametrize(("num_perm", "seed", "n"), [(128, 1, 6), (64, 7, 3)])
def test_signatures_identical_to_datasketch(num_perm: int, seed: int, n: int) -> None:
    hashfunc = ShingleHash(n)
    perms = Permutations.create(num_perm, seed)
    docs = [*stdlib_texts(5), "", "too short", "naïve café — ünïcode identifiers  ok fine yes"]
    shingle_lists = [shingle_texts(text_tokens(doc), n) for doc in docs]
    bulk = MinHash.bulk(shingle_lists, num_perm=num_perm, seed=seed, hashfunc=hashfunc)
    for doc, shingles, from_bulk in zip(docs, shingle_lists, bulk, strict=True):
        h64 = text_shingles(doc, n)
        assert [hashfunc.h64(s) for s in shingles] == h64.tolist()
        plain = MinHash(num_perm=num_perm, seed=seed, hashfunc=hashfunc)
        for shingle in shingles:
            plain.update(shingle)
        ours = perms.sign(to_h32(h64))
        assert np.array_equal(ours, plain.hashvalues)
        assert np.array_equal(ours, from_bulk.hashvalues)
        assert ours.dtype == plain.hashvalues.dtype


def test_block_signatures_are_signatures_of_the_blocks() -> None:
    perms = Permutations.create(128, 1)
    h32 = to_h32(text_shingles(stdlib_texts(1)[0], 6))
    starts = np.array([0, 10, 37, 100])
    groups = perms.sign_groups(h32[:150], starts)
    bounds = [*starts.tolist(), 150]
    for i in range(len(starts)):
        assert np.array_equal(groups[i], perms.sign(h32[bounds[i] : bounds[i + 1]]))


# --- normalisation and whitelisting --------------------------------------------------------


def test_normalisation_ignores_whitespace_comment_markers_and_quotes() -> None:
    python = 'def f(x):\n    """Return the sum of x and one."""\n    return x + 1\n'
    js = "// Return the sum of x and one.\nfunction f(x){\n\treturn x+1;\n}"
    assert text_tokens(python) == [b"def", b"f", b"x", b"Return", b"the", b"sum", b"of", b"x",
                                   b"and", b"one", b"return", b"x", b"1"]
    assert text_tokens("-- Return   the sum\n;; of x and one") == text_tokens("# Return the sum of x and one")
    assert text_tokens("/* Return the sum */") == text_tokens("''' Return the sum '''")
    assert set(text_tokens(js)) >= {b"Return", b"sum", b"one", b"x"}
    assert text_tokens("Foo foo") == [b"Foo", b"foo"]  # case is kept
    assert text_tokens("café_au_lait=1") == ["café_au_lait".encode(), b"1"]
    assert np.array_equal(text_shingles("a  b\tc\n\nd", 2), text_shingles("a b c d", 2))


def test_boilerplate_and_trivial_items_are_whitelisted() -> None:
    index = build_index(humaneval.load(), Params())
    items = {(i.name, i.field): i for i in index.items}
    # a one-line body is trivial; HumanEval's shared test scaffolding is boilerplate
    assert items[("HumanEval_23_strlen", "canonical_solution")].whitelisted == "trivial"
    check = text_shingles("METADATA = {'author': 'jt', 'dataset': 'test'}\n\n\ndef check(candidate):", 6)
    assert not np.isin(check, index.union).any()
    assert items[("HumanEval_0_has_close_elements", "prompt")].whitelisted is None
    assert index.boilerplate_shingles > 0


def test_problems_with_a_trivial_prompt_are_checked_whole() -> None:
    index = build_index(humaneval.load(), Params())
    fields: dict[str, dict[str, object]] = {}
    for item in index.items:
        fields.setdefault(item.name, {})[item.field] = item
    trivial_prompt = {name for name, f in fields.items() if f["prompt"].whitelisted}
    assert {name for name, f in fields.items() if WHOLE in f} == trivial_prompt == set(SHORTEST)
    strlen = fields["HumanEval_23_strlen"]
    assert all(strlen[f].whitelisted == "trivial" for f in ("prompt", "canonical_solution", "tests"))
    assert strlen[WHOLE].whitelisted is None and strlen[WHOLE].joins == ("prompt", "canonical_solution", "tests")
    # add's tests are checked alone, so its whole item is the problem with its answer
    assert fields["HumanEval_53_add"][WHOLE].joins == ("prompt", "canonical_solution")
    assert fields["HumanEval_53_add"]["tests"].whitelisted is None
    # every problem has something checked
    assert all(any(item.whitelisted is None for item in f.values()) for f in fields.values())


# --- the planted corpus ------------------------------------------------------------------------


def _indent_with_tabs_and_comments(text: str) -> str:
    """Whitespace and comment changes: tabs, docstring as # comments, extra comment lines."""
    out = []
    for line in text.replace('"""', "").splitlines():
        stripped = line.lstrip(" ")
        indent = "\t" * ((len(line) - len(stripped)) // 4)
        out.append(indent + stripped.replace(", ", ","))
        if stripped.startswith("def "):
            out.append(indent + "\t# NOTE: keep this in sync with the caller")
    return "\n\n".join(out)


def _near_duplicate(problem: Problem) -> str:
    """A standalone rewrite: renamed function, one docstring example line dropped."""
    new_name = problem.entry_point + "_impl"
    lines = (problem.prompt + (problem.canonical_solution or "")).splitlines()
    dropped = next((i for i, line in enumerate(lines) if line.strip().startswith(">>>")), None)
    if dropped is not None:
        del lines[dropped : dropped + 2]
    body = "\n".join(lines).replace(problem.entry_point, new_name)
    return f"import sys\n\n{body}\n\nif __name__ == '__main__':\n    print({new_name})\n"


def _paste(host: str, text: str, rng: random.Random) -> str:
    lines = host.splitlines(keepends=True)
    at = rng.randrange(len(lines))
    return "".join(lines[:at]) + "\n" + text + "\n\n" + "".join(lines[at:])


class Planted:
    def __init__(self, folder: Path) -> None:
        rng = random.Random(1234)
        problems = list(humaneval.load())
        shortest = [p for p in problems if p.name in SHORTEST]
        order = [i for i, p in enumerate(problems) if p.name not in SHORTEST]
        rng.shuffle(order)
        self.verbatim = [problems[i] for i in order[:20]] + shortest
        self.changed = [problems[i] for i in order[20:35]]
        self.near = [problems[i] for i in order[35:50]]
        self.clean = [problems[i] for i in order[50:]]
        hosts = stdlib_texts(240)
        docs = list(hosts)
        for k, problem in enumerate(self.verbatim):
            text = problem.prompt + problem.canonical_solution + "\n\n" + problem.tests
            docs[k * 3] = _paste(docs[k * 3], text, rng)
        for k, problem in enumerate(self.changed):
            text = _indent_with_tabs_and_comments(problem.prompt + problem.canonical_solution)
            docs[k * 3 + 1] = _paste(docs[k * 3 + 1], text, rng)
        docs.extend(_near_duplicate(p) for p in self.near)
        docs.append(_paste(hosts[-1], ONE_LINERS, rng))
        self.one_liners = len(docs) - 1
        # one document that is nothing but a licence header and HumanEval's test scaffolding
        docs.append("# Licensed under the Apache License, Version 2.0 (the \"License\"); you may not "
                    "use this file except in compliance with the License.\n"
                    "METADATA = {'author': 'jt', 'dataset': 'test'}\n\ndef check(candidate):\n"
                    "    assert candidate(1) == 1\n")
        self.docs = docs
        self.folder = folder
        self.bytes = sum(len(d.encode()) for d in docs)
        thirds = [docs[0::3], docs[1::3], docs[2::3]]
        ids = [[f"{s}-{i}" for i in range(len(part))] for s, part in enumerate(thirds)]
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "a.jsonl").open("w", encoding="utf-8") as handle:
            for doc_id, doc in zip(ids[0], thirds[0], strict=True):
                handle.write(json.dumps({"id": doc_id, "content": doc}) + "\n")
        with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
            for doc_id, doc in zip(ids[1], thirds[1], strict=True):
                handle.write(json.dumps({"id": doc_id, "content": doc}) + "\n")
        pq.write_table(pa.table({"id": ids[2], "content": thirds[2]}), folder / "c.parquet")

    @staticmethod
    def key(problem: Problem) -> tuple[str, str, str]:
        return (problem.benchmark, problem.language, problem.name)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return Planted(tmp_path_factory.mktemp("planted") / "shards")


@pytest.fixture(scope="module")
def planted_report(planted: Planted, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("report") / "contamination.json"
    code = main(["decontam", "--benchmarks", "humaneval", "--shards", str(planted.folder),
                 "--id-column", "id", "--out", str(out), "--workers", "2"])
    assert code == 0
    return out, read_report(out)


def test_planted_corpus_finds_every_verbatim_paste(planted: Planted, planted_report) -> None:
    out, report = planted_report
    flagged = load_flagged(out)
    assert report["shards"]["total"] == 3 and report["shards"]["skipped_bad"] == 0
    assert report["shards"]["documents"] == len(planted.docs)
    assert report["shards"]["bytes"] == planted.bytes
    missed = [p.name for p in planted.verbatim if planted.key(p) not in flagged]
    assert not missed, f"verbatim pastes not found: {missed}"  # the shortest problems included
    one_liners = f"{planted.one_liners % 3}-{planted.one_liners // 3}"
    matched = {(m["id"], p["name"], field) for p in report["problems"] for field, e in p["fields"].items()
               for m in e["matches"]}
    assert not {m for m in matched if m[0] == one_liners}, "natural one-liners taken for a leak"
    for name in SHORTEST:  # found as a whole, in the document it was pasted into
        assert any(n == name and field == WHOLE for _, n, field in matched), name

    changed = sum(planted.key(p) in flagged for p in planted.changed) / len(planted.changed)
    near = sum(planted.key(p) in flagged for p in planted.near) / len(planted.near)
    # HumanEval has twins (56/61 correct_bracketing, shared helpers and test generators): a
    # clean problem whose flagged field really is inside a planted problem's text is a true
    # match, not a false positive
    planted_text = [p.prompt + p.canonical_solution + p.tests
                    for p in planted.verbatim + planted.changed + planted.near]
    planted_grams = [set(text_shingles(t, 6).tolist()) for t in planted_text]
    by_name = {p["name"]: p for p in report["problems"]}
    twins, false_pos = [], []
    for problem in planted.clean:
        if planted.key(problem) not in flagged:
            continue
        fields = [f for f, e in by_name[problem.name]["fields"].items()
                  if e["whitelisted"] is None and e["containment"] >= 0.5]
        texts = [getattr(problem, f) for f in fields]
        twin = any(len(set(text_shingles(t, 6).tolist()) & grams) >= 0.5 * len(set(text_shingles(t, 6).tolist()))
                   for t in texts for grams in planted_grams)
        (twins if twin else false_pos).append(problem.name)
    print(f"\nrecall: verbatim {len(planted.verbatim)}/{len(planted.verbatim)}, whitespace+comment changes {changed:.0%}, "
          f"standalone near-duplicates {near:.0%}; clean problems flagged: {len(twins)} twins of "
          f"planted ones {twins}, {len(false_pos)} false positives of {len(planted.clean)}")
    # measured: 100%, 100%, 3 twins, 0 false positives (Params() defaults)
    assert changed >= 0.9
    assert near >= 0.8
    assert not false_pos, false_pos


def test_report_records_where_and_how(planted: Planted, planted_report) -> None:
    _, report = planted_report
    params = report["params"]
    for key in ("ngram", "num_perm", "seed", "lsh_threshold", "threshold", "normalisation",
                "hash_function", "window", "min_item_shingles", "boilerplate_df"):
        assert key in params
    by_name = {p["name"]: p for p in report["problems"]}
    assert len(by_name) == 164
    problem = planted.verbatim[0]
    entry = by_name[problem.name]
    assert entry["flagged"]
    prompt = entry["fields"]["prompt"]
    assert prompt["containment"] == 1.0 and prompt["best_jaccard"] == 1.0
    assert prompt["longest_run"] >= len(text_tokens(problem.prompt)) - 1
    match = prompt["matches"][0]
    assert match["shard"].endswith(("a.jsonl", "b.jsonl.gz", "c.parquet"))
    assert match["id"] is not None
    doc = next(d for d in planted.docs if problem.prompt in d)
    # the offset points into the document at the pasted text
    assert doc[match["offset"] : match["offset"] + 40] == match["snippet"][:40]
    assert problem.entry_point in match["snippet"] or problem.entry_point in doc[match["offset"]:][:2000]
    assert set(entry["fields"]) == {"prompt", "canonical_solution", "tests"}
    # the licence + scaffolding document matches nothing
    assert report["summary"]["flagged"] == len(load_flagged(planted_report[0]))


def test_resume_reads_no_finished_shard(planted: Planted, tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "a.jsonl").write_bytes((planted.folder / "a.jsonl").read_bytes())
    out = tmp_path / "contamination.json"
    args = ["decontam", "--shards", str(shards / "a.jsonl"), "--out", str(out), "--workers", "1"]
    assert main(args) == 0
    first = read_report(out)
    # the shard is now unreadable: a resumed run must not read it again
    (shards / "a.jsonl").write_bytes(b"\xff\xfe not json\n")
    assert main(args) == 0
    second = read_report(out)
    assert second["problems"] == first["problems"]
    assert main([*args, "--no-resume"]) == 2


# --- bad shards ------------------------------------------------------------------------------


def _bad_shards(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "good.jsonl"
    problem = humaneval.load()[0]
    good.write_text(json.dumps({"content": "x = 1\n" + problem.prompt + problem.canonical_solution}) + "\n")
    corrupt = folder / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1" + b"\x00garbage" * 50)
    missing = folder / "missing.parquet"
    pq.write_table(pa.table({"text": ["def f(): pass"]}), missing)
    latin1 = folder / "latin1.jsonl"
    latin1.write_bytes(b'{"content": "ok"}\n{"content": "caf\xe9"}\n')
    return {"good": good, "corrupt": corrupt, "missing": missing, "latin1": latin1}


@pytest.mark.parametrize(("which", "needle"), [("corrupt", "corrupt.parquet: not a readable parquet"),
                                               ("missing", "missing.parquet: no column 'content'"),
                                               ("latin1", "latin1.jsonl:2: not UTF-8")])
def test_bad_shard_is_a_clear_error(tmp_path: Path, capsys, which: str, needle: str) -> None:
    shards = _bad_shards(tmp_path)
    code = main(["decontam", "--shards", str(shards["good"]), str(shards[which]),
                 "--out", str(tmp_path / "c.json"), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "c.json").exists()


def test_skip_bad_shards_counts_them(tmp_path: Path) -> None:
    _bad_shards(tmp_path / "s")
    out = tmp_path / "c.json"
    assert main(["decontam", "--shards", str(tmp_path / "s"), "--out", str(out),
                 "--skip-bad-shards", "--workers", "2"]) == 0
    report = read_report(out)
    assert report["shards"]["total"] == 4
    assert report["shards"]["scanned"] == 1 and report["shards"]["skipped_bad"] == 3
    assert sorted(Path(b["shard"]).name for b in report["shards"]["bad"]) == [
        "corrupt.parquet", "latin1.jsonl", "missing.parquet"]
    assert ("humaneval", "py", "HumanEval_0_has_close_elements") in load_flagged(out)


def test_usage_errors(tmp_path: Path, capsys) -> None:
    assert main(["decontam", "--shards", str(tmp_path / "nope-*.jsonl"), "--out", str(tmp_path / "c.json")]) == 2
    assert "matches no file" in capsys.readouterr().err
    assert main(["decontam", "--benchmarks", "nosuch", "--shards", str(tmp_path)]) == 2
    assert main(["decontam", "--shards", str(tmp_path), "--window", "7"]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(ReportError, match="not a polypass contamination report"):
        load_flagged(bad)


# --- HF datasets: a saved folder and streaming ----------------------------------------------------


def test_hf_saved_folder_and_streaming(tmp_path: Path) -> None:
    import datasets

    problem = humaneval.load()[5]
    texts = [*stdlib_texts(6), "import os\n" + problem.prompt + problem.canonical_solution]
    saved = tmp_path / "saved"
    datasets.Dataset.from_dict({"content": texts}).save_to_disk(str(saved))
    out = tmp_path / "saved.json"
    assert main(["decontam", "--shards", str(saved), "--out", str(out), "--workers", "1"]) == 0
    assert load_flagged(out) == {("humaneval", "py", problem.name)}

    streamed = tmp_path / "stream"
    streamed.mkdir()
    pq.write_table(pa.table({"content": texts[:4]}), streamed / "part-0.parquet")
    pq.write_table(pa.table({"content": texts[4:]}), streamed / "part-1.parquet")
    out = tmp_path / "stream.json"
    assert main(["decontam", "--shards", f"hf:{streamed}", "--out", str(out), "--workers", "1"]) == 0
    report = read_report(out)
    assert report["shards"]["total"] == 2 and report["shards"]["documents"] == len(texts)
    assert all(s["shard"].startswith("hf:") for s in [m for p in report["problems"]
               for f in p["fields"].values() for m in f["matches"]])
    assert load_flagged(out) == {("humaneval", "py", problem.name)}


# --- MultiPL-E: comment markers differ -------------------------------------------------------


def test_multipl_e_prompt_in_other_comment_syntax_is_found(tmp_path: Path) -> None:
    from benchmarks import registry

    problems = registry.load("multipl-e", ["js", "lua"])
    assert problems, "the multipl-e loader gave no js/lua problems"
    index = build_index(problems, Params())
    js = next(p for p in problems if p.language == "js" and p.name.startswith("HumanEval_0_"))
    # the same prompt with /* */ instead of // and re-indented: still the same tokens
    restyled = "/*\n" + js.prompt.replace("//", "  ") + "*/\n"
    shard = tmp_path / "js.jsonl"
    host = stdlib_texts(1)[0]
    shard.write_text(json.dumps({"content": host + "\n" + restyled + "  return false;\n}\n"}) + "\n")
    result = scan_shard(str(shard), index)
    names = {(index.items[m.item].language, index.items[m.item].name) for m in result.matches}
    assert ("js", js.name) in names
