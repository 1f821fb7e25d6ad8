"""Clean one signatory name: display form, affiliation, kind, holds/rejects and matching keys.

The rules, in short (the tests in tests/unit/test_names_rules.py and the corpus in
tests/unit/test_names_corpus.py hold the examples behind them):
- the raw text is kept; everything else is derived from it, so a rule can be fixed and rerun;
- display: NFC, invisible/bidi controls removed (ZWJ/ZWNJ kept), mojibake fixed only when ftfy
  says the text is bad, whitespace collapsed, case fixed only for single-case input;
- an affiliation typed into the name field is split off only when the tail reads like one;
- a reading is published, held for an editor (``hold``) or rejected (``reject``) with reasons;
- matching keys (``key``, ``nospace_key``, ``ascii_key``) are never displayed.

Everything here is a pure function of its arguments; results are cached by raw text because
the same names come back on every run.

Modules, in the order a name passes through them: ``lexicon`` (character classes, word lists,
data files), ``cleaning`` (clean_text and the matching keys), ``casing``, ``affiliation``
(split and surname-first order), ``checks`` (reject/hold reasons), ``watchlist``, ``reading``
(the ``read_name`` entry point) and ``sorting``.
"""

from sync.names.cleaning import affiliation_key, clean_text, name_keys, skeleton
from sync.names.reading import NameReading, read_name, read_names
from sync.names.sorting import SURNAME_RULES, collation_backend, language_sort_key, sort_key, split_family
from sync.names.watchlist import Watchlist, load_watchlist, make_watchlist

__all__ = [
    "SURNAME_RULES",
    "NameReading",
    "Watchlist",
    "affiliation_key",
    "clean_text",
    "collation_backend",
    "language_sort_key",
    "load_watchlist",
    "make_watchlist",
    "name_keys",
    "read_name",
    "read_names",
    "skeleton",
    "sort_key",
    "split_family",
]
