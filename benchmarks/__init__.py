"""Benchmark problem sets: HumanEval, MultiPL-E and the Python-to-N-languages translator."""

from benchmarks.languages import LANGUAGES
from benchmarks.problem import Problem

__all__ = ["LANGUAGES", "Problem"]
