"""tools/build_notable.py's readers of its sources: the names they take from source text."""

from __future__ import annotations

import pytest

from tools.build_notable import factbook_names, lineup_names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("President Yoweri Kaguta MUSEVENI (since 26 January 1986)", ["Yoweri Kaguta Museveni"]),
        ("Co-prince Emmanuel MACRON (since 14 May 2017)", ["Emmanuel Macron"]),  # office in any case
        ("President-elect Ebrahim RAISI", ["Ebrahim Raisi"]),
        ("Interim President Capt Ibrahim TRAORE (since 6 October 2022)", ["Ibrahim Traore"]),
        ("General Abdourahamane TIANI", ["Abdourahamane Tiani"]),
    ],
)
def test_factbook_names_without_offices(text: str, names: list[str]) -> None:
    assert factbook_names(text) == names


def test_lineup_names_once_per_match_substitutes_included() -> None:
    text = (
        "  Qatar v Ecuador  0-2\n"
        "    Enner Valencia 16'(p) Enner Valencia 31'\n\n"
        "Qatar: Saad Al-Sheeb, Ró-Ró, Abdelkarim Hassan, \n"
        "   Hassan Al-Haydos (72' Mohammed Muntari), Karim Boudiaf\n"
        "Ecuador: Hernán Galíndez, Enner Valencia (77' José Cifuentes)\n"
    )
    assert lineup_names(text) == [
        "Saad Al-Sheeb",
        "Abdelkarim Hassan",
        "Hassan Al-Haydos",
        "Mohammed Muntari",
        "Karim Boudiaf",
        "Hernán Galíndez",
        "Enner Valencia",
        "José Cifuentes",
    ]
