"""Translate HumanEval-style Python problems into the MultiPL-E languages, as MultiPL-E's builder does.

- ``parse.py``: a Python problem -> ``ir.FunctionIR`` (types, tests, raw docstring, doctests).
- ``generic.py``: the builder's generic translator, once: terms (``terms.py``, ``terms.csv``),
  the doctest transform, the docstring layout, the test loop, the stub's wrong value,
  ``TypeSyntax``; ``Translator`` is the base class of every language.
- ``lang_<name>.py``: one independent module per language (registered in
  ``benchmarks/languages.py``) that only spells: ``TypeSyntax`` for its types, ``value`` (or
  the shape hooks ``string``/``none``/``list_``/``dict_`` ...), ``argument``/``expected``,
  ``call``/``name``, ``prompt`` around the docstring, ``test_prefix``/``test_suffix``,
  ``equality``/``near``, ``stub``; ``check`` refuses what the language can't express.
- ``spelling.py``: helpers several languages share (C string escapes, line comments).
- ``pipeline.py``: problems -> one language's problems and drops, cached.

A change to a language's output is a change to its module only; the translation snapshot
(``tests/translation_snapshot.py``) shows which problems it changed.
"""
