"""The Ray driver's pure logic: one image per language, cost-cut batches, nodes that finish together.

No Ray and no Docker here; tests/test_execute_ray.py runs the same code on a real cluster.
"""

from __future__ import annotations

import pytest

from sandboxes.images import ImageInfo
from sandboxes.node import NodeLanguage, NodeReport, agree_images
from sandboxes.program import Program
from sandboxes.workqueue import (
    LOOKAHEAD_S,
    MAX_BATCH_S,
    MAX_INFLIGHT_BATCHES,
    PRIOR_COST_S,
    CostModel,
    WorkQueue,
    batch_budget,
    simulate,
    wants_more,
)


def _offer(image_id: str, context: str = "ctx") -> NodeLanguage:
    return NodeLanguage(ImageInfo("cpp", f"polypass-sandbox-cpp:{image_id[-4:]}", image_id, "g++"), context)


def _contexts(_language: str, image_id: str) -> str:
    return "ctx"


def test_the_image_most_nodes_have_is_chosen_and_a_different_one_refused():
    reports = {
        "a": NodeReport("1", languages={"cpp": _offer("sha256:aaaa"), "py": _offer("sha256:p1")}),
        "b": NodeReport("1", languages={"cpp": _offer("sha256:aaaa"), "py": _offer("sha256:p1")}),
        "c": NodeReport("1", languages={"cpp": _offer("sha256:bbbb"), "py": _offer("sha256:p1")}),
    }
    agreement = agree_images(reports, _contexts)
    assert agreement.images["cpp"].id == "sha256:aaaa"
    assert agreement.accepted == {"a": {"cpp", "py"}, "b": {"cpp", "py"}, "c": {"py"}}
    assert agreement.messages == ["c: refused for cpp: its image polypass-sandbox-cpp:bbbb is bbbb, the run's is aaaa"]


def test_a_tie_goes_to_the_preferred_node_then_to_the_smaller_id():
    reports = {"a": NodeReport("1", languages={"cpp": _offer("sha256:bbbb")}),
               "b": NodeReport("1", languages={"cpp": _offer("sha256:aaaa")})}
    assert agree_images(reports, _contexts, preferred_node="a").images["cpp"].id == "sha256:bbbb"
    assert agree_images(reports, _contexts).images["cpp"].id == "sha256:aaaa"


def test_a_node_with_another_spec_or_worker_is_refused_and_a_missing_image_is_said():
    reports = {
        "a": NodeReport("1", languages={"cpp": _offer("sha256:aaaa", context="ctx")}),
        "b": NodeReport("1", languages={"cpp": _offer("sha256:aaaa", context="other")}),
        "c": NodeReport("1", languages={"cpp": NodeLanguage(None, problem="build failed: no space")}),
    }
    agreement = agree_images(reports, _contexts)
    assert agreement.accepted == {"a": {"cpp"}, "b": set(), "c": set()}
    assert any("b: refused for cpp: its lang.toml or worker differ" in m for m in agreement.messages)
    assert "c: no cpp image (build failed: no space)" in agreement.messages


def _items(language: str, n: int) -> list[Program]:
    return [Program(language, f"{language}{i}") for i in range(n)]


def test_batches_are_cut_by_cost_not_by_count_and_mix_languages():
    queue = WorkQueue(_items("py", 100) + _items("scala", 100), CostModel({"py": 0.05, "scala": 2.0}))
    batch = queue.take(4.0, {"py", "scala"})
    assert {item.language for item in batch} == {"py", "scala"}
    assert sum(2.0 if i.language == "scala" else 0.05 for i in batch) >= 4.0
    only_py = queue.take(1.0, {"py"})
    assert len(only_py) == 20 and {i.language for i in only_py} == {"py"}
    assert queue.take(0.0, {"scala"})  # at least one program, whatever the budget
    assert queue.take(1.0, {"go"}) == []


def test_unfinished_programs_go_back_to_the_front_in_order():
    queue = WorkQueue(_items("py", 10), CostModel({"py": 1.0}))
    first = queue.take(3.0, {"py"})
    assert [i.text for i in first] == ["py0", "py1", "py2"]
    queue.put_back(first)
    assert len(queue) == 10
    assert [i.text for i in queue.take(10.0, {"py"})] == [f"py{i}" for i in range(10)]


def test_batches_shrink_as_the_queue_drains_and_are_capped():
    assert batch_budget(10_000.0, total_slots=64, node_slots=32) == 32 * MAX_BATCH_S
    assert batch_budget(64.0, total_slots=64, node_slots=32) == pytest.approx(32 * 64 / (64 * 4))
    assert batch_budget(0.0, total_slots=64, node_slots=32) == 0.0


def test_a_node_holds_batches_until_it_has_enough_work_in_hand_but_not_more_than_its_share():
    plenty = 1e6
    assert wants_more(0, 0.0, 32, plenty, total_slots=64)
    assert wants_more(3, 32 * LOOKAHEAD_S - 1, 32, plenty, total_slots=64)
    assert not wants_more(3, 32 * LOOKAHEAD_S, 32, plenty, total_slots=64)
    assert not wants_more(MAX_INFLIGHT_BATCHES, 0.0, 32, plenty, total_slots=64)  # small batches at the end
    # 6 s outstanding on two nodes of one slot: the first to ask stops at its 3 s
    assert wants_more(1, 2.9, 1, 6.0, total_slots=2) and not wants_more(1, 3.0, 1, 6.0, total_slots=2)
    assert wants_more(0, 0.0, 1, 0.0, total_slots=2)  # one batch, always


def test_a_short_run_is_shared_even_when_the_prior_is_far_too_low():
    prior = {"py": 0.05, "js": 0.13, "lua": 0.05, "r": 0.19}
    run = simulate({language: 10 for language in prior}, {k: 5 * v for k, v in prior.items()}, [1, 1], prior=prior)
    assert min(run.programs) >= 15, run.programs


def test_the_cost_model_follows_measurements():
    costs = CostModel({"py": 0.05})
    for _ in range(50):
        costs.observe("py", 0.5)
    assert costs.cost("py") == pytest.approx(0.5, rel=0.01)
    assert costs.cost("unheard-of") > 0


def test_nodes_finish_together_whatever_the_language_costs():
    # A queue of cheap and very dear programs over nodes of different sizes, with a prior that
    # is wrong by 3x: each node's last program ends within a few dear programs of the others.
    counts = {"py": 3000, "scala": 200, "cpp": 600}
    true_cost = {"py": 0.05, "scala": 1.8, "cpp": 0.4}
    run = simulate(counts, true_cost, [8, 8, 4], prior={"py": 0.15, "scala": 0.6, "cpp": 1.2})
    assert sum(run.programs) == sum(counts.values())
    ideal = sum(n * true_cost[lang] for lang, n in counts.items()) / 20
    assert run.wall_s < ideal * 1.15
    assert max(run.finish_s) - min(run.finish_s) < 3 * 1.8 * 1.5
    assert run.programs[2] < run.programs[0]  # the small node took less


def test_one_node_of_the_simulation_is_the_plain_sum():
    run = simulate({"py": 400}, {"py": 0.1}, [4], jitter=0.0, latency_s=0.0)
    assert run.wall_s == pytest.approx(400 * 0.1 / 4, rel=0.05)
    assert set(PRIOR_COST_S) >= {"py", "cpp", "scala", "d", "pl"}


def test_the_driver_caches_a_batch_of_verdicts_in_one_go_and_never_an_infra_error(tmp_path):
    from sandboxes.cache import ResultCache
    from sandboxes.verdict import Outcome, Status

    cache = ResultCache(tmp_path / "cache.sqlite")
    passed = Outcome(Status.PASS, 0, 0.1, "ok", "")
    cache.put_many([("a", passed), ("b", Outcome(Status.INFRA_ERROR, None, 0.0, "", "", "engine gone"))])
    assert cache.get("a") == passed
    assert cache.get("b") is None
    cache.close()
