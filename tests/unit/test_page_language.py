"""The section in the page's language: words, CLDR plural and number forms (checked through
Babel, not against strings written here), direction, labels, collation and surname rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from babel.numbers import format_decimal

from render.labels import page_words, shipped_languages, shipped_words
from render.section import render_section
from sync.errors import ConfigError
from sync.model import Signatory
from sync.names import SURNAME_RULES, collation_backend, language_sort_key
from sync.publish.listing import PageStyle, published_section

REQUIRED = ("en", "es", "fr", "de", "pt", "it", "nl", "pl", "tr", "ar", "zh", "ru")
COUNTS = (0, 1, 2, 5, 21, 12_345)


def people(n: int, kind: str = "individual") -> list[Signatory]:
    return [Signatory(f"s-{i:06d}", "published", kind, f"Person{i} Surname{i}") for i in range(n)]  # type: ignore[arg-type]


def test_every_required_language_is_shipped_with_a_form_for_each_cldr_category() -> None:
    assert set(REQUIRED) <= set(shipped_languages())
    for lang, table in shipped_words().items():
        categories = set(Locale.parse(lang).plural_form.tags) | {"other"}
        forms = table["count"]
        assert categories <= set(forms), (lang, categories - set(forms))
        assert set(forms) <= categories, (lang, "forms CLDR never selects", set(forms) - categories)
        for text in [*forms.values(), table["organizations"], table["individuals"]]:
            assert "{count}" in text, (lang, text)


NBSP = "\u00a0"


@pytest.mark.parametrize("lang", sorted(shipped_words()))
@pytest.mark.parametrize("n", COUNTS)
def test_counts_use_cldr_plural_and_number_forms(lang: str, n: int) -> None:
    locale = Locale.parse(lang)
    tag = str(locale).replace("_", "-")
    style = PageStyle(page_words(tag))
    orgs = min(n, 3)
    section = published_section(people(n - orgs) + people(orgs, "organization"), style)
    html = render_section(section, "html", style.template)
    md = render_section(section, "markdown", style.template)

    forms = shipped_words()[lang]["count"]
    expected_total = forms[locale.plural_form(n)].format(count=format_decimal(n, locale=locale))
    # in HTML a no-break space (Polish, Russian thousands) is written &nbsp;, as browsers do
    assert f'<p class="signatories-count">{expected_total.replace(NBSP, "&nbsp;")}</p>' in html
    assert md.startswith(expected_total + "\n")
    for key, size in (("organizations", orgs), ("individuals", n - orgs)):
        heading = shipped_words()[lang][key].format(count=format_decimal(size, locale=locale))
        assert f"<h3>{heading.replace(NBSP, '&nbsp;')}</h3>" in html
        assert f"### {heading}" in md
    assert f'lang="{tag}" dir="{locale.text_direction}"' in html
    assert html.count("<li>") == n


def test_spanish_counts_read_as_a_spanish_reader_expects() -> None:
    words = page_words("es")
    assert words.text("count", 1) == "1 firmante"
    assert words.text("count", 12_345) == "12.345 firmantes"


def test_right_to_left_languages_get_dir_rtl() -> None:
    for tag in ("ar", "he", "fa", "ur"):
        style = PageStyle(page_words(tag))
        html = render_section(published_section(people(2), style), "html")
        assert f'<div class="signatories" lang="{tag}" dir="rtl">' in html


def test_a_language_without_shipped_words_uses_cldr_forms_and_english_words() -> None:
    words = page_words("fi")
    assert words.missing_translation
    assert words.text("count", 12_345) == f"{format_decimal(12_345, locale='fi')} signatories"
    # English words standing in take English plural rules (Filipino's CLDR "one" covers 12,345)
    assert Locale.parse("fil").plural_form(12_345) == "one"
    assert page_words("fil").text("count", 12_345).endswith(" signatories")
    # the page's own words take the language's rules
    fil = page_words("fil", {"count": {"one": "{count} lumagda (one)", "other": "{count} lumagda"}})
    assert fil.text("count", 12_345) == f"{format_decimal(12_345, locale='fil')} lumagda (one)"
    assert not page_words("es-MX").missing_translation  # the base language's table
    assert page_words("pt-BR").shipped == "pt"
    assert page_words("zh-Hant").shipped == "zh_Hant"


@pytest.mark.parametrize("tag", ["xx", "not a tag", "en-ZZZZ-1", ""])
def test_an_unknown_language_is_a_clear_error(tag: str) -> None:
    with pytest.raises(ConfigError, match=r"is not a language CLDR knows: give a BCP 47 tag"):
        page_words(tag or " ")


def test_labels_are_escaped_like_names() -> None:
    style = PageStyle(page_words("en", {"organizations": "<script>x</script> & co ({count})"}))
    section = published_section(people(1, "organization"), style)
    html = render_section(section, "html")
    assert "<h3>&lt;script&gt;x&lt;/script&gt; &amp; co (1)</h3>" in html
    assert "<script>" not in html


def test_labels_override_any_word_with_the_count_placeholder() -> None:
    labels = {
        "organizations": "Initial signatories (organizations)",
        "individuals": "Initial signatories (individuals): {count}",
        "count": {"one": "One name so far", "other": "{count} names"},
    }
    style = PageStyle(page_words("en", labels))
    section = published_section(people(1500) + people(2, "organization"), style)
    assert section.labels == {
        "count": "1,502 names",
        "organizations": "Initial signatories (organizations)",
        "individuals": "Initial signatories (individuals): 1,500",
    }
    one = published_section(people(1), style)
    assert one.labels["count"] == "One name so far"


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({"organisations": "x"}, "unknown label 'organisations' (did you mean 'organizations'?)"),
        ({"count": "{n} signers"}, "unknown placeholder {n}: the only one is {count}"),
        ({"count": "{count signers"}, "write {count} for the number"),
        ({"count": {"one": "a"}}, "'other' is required"),
        ({"count": {"single": "a", "other": "b"}}, "plural forms are named zero, one, two"),
        ({"organizations": {"other": "b"}}, "takes one text, not a table"),
        ({"individuals": 3}, "must be a string, not 3"),
    ],
)
def test_bad_labels_name_the_key_and_the_fix(labels: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        page_words("en", labels)  # type: ignore[arg-type]
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- sorting ------------------------------------------------------------------------------


def order(names: list[str], language: str, kind: str = "individual") -> list[str]:
    return sorted(names, key=lambda n: language_sort_key(n, kind, "", language))


needs_icu = pytest.mark.skipif(collation_backend() != "icu", reason="ICU tailorings need PyICU")


def test_spanish_two_surnames_sort_by_the_first_surname() -> None:
    names = ["Juan Pérez García", "María Quispe Mamani", "Lucía Morales Vega", "José Ortega y Gasset"]
    assert order(names, "es") == [
        "Lucía Morales Vega",
        "José Ortega y Gasset",
        "Juan Pérez García",
        "María Quispe Mamani",
    ]
    # the same people on an English page: by the last word
    assert order(names, "")[0] == "Juan Pérez García"
    # equal first surnames: the second decides, then the given names
    assert order(["Ana López Zúñiga", "Zoe López Abad", "Bea López Abad"], "es") == [
        "Bea López Abad",
        "Zoe López Abad",
        "Ana López Zúñiga",
    ]
    # a compound given name with one surname: "Juan Carlos Pérez" under Pérez, not Carlos
    assert order(["Juan Carlos Pérez", "Ana Díaz López", "María José Benítez"], "es") == [
        "María José Benítez",
        "Ana Díaz López",
        "Juan Carlos Pérez",
    ]
    # four words: two given names, two surnames
    assert order(["María José López García", "Ana Martín Abad"], "es") == [
        "María José López García",
        "Ana Martín Abad",
    ]
    # particles stay with their surname: "de la Fuente" sorts under F
    assert order(["Ana de la Fuente Ruiz", "Eva Gómez Ruiz"], "es") == [
        "Ana de la Fuente Ruiz",
        "Eva Gómez Ruiz",
    ]


@needs_icu
def test_spanish_collation_puts_enye_after_n() -> None:
    names = ["Ana Ñúñez Vega", "Ana Nuzzo Vega", "Ana Oliva Vega"]
    assert order(names, "es") == ["Ana Nuzzo Vega", "Ana Ñúñez Vega", "Ana Oliva Vega"]
    assert order(names, "en") == ["Ana Ñúñez Vega", "Ana Nuzzo Vega", "Ana Oliva Vega"]


@needs_icu
def test_swedish_and_turkish_tailorings() -> None:
    sv = ["Åsa Öberg", "Anna Zorn", "Eva Ärling", "Bo Andersson", "Per Åkesson"]
    assert [n.split()[1][0] for n in order(sv, "sv")] == ["A", "Z", "Å", "Ä", "Ö"]
    assert [n.split()[1][0] for n in order(sv, "de")] == ["Å", "A", "Ä", "Ö", "Z"]  # Åk < An
    tr = ["Ali Çelik", "Ayşe Cem", "Can Demir", "Efe Işık", "Ece İnce", "Ela Ilgaz"]
    assert order(tr, "tr") == ["Ayşe Cem", "Ali Çelik", "Can Demir", "Ela Ilgaz", "Efe Işık", "Ece İnce"]


def test_portuguese_by_the_last_surname() -> None:
    assert SURNAME_RULES["pt"] == "last-surname"
    names = ["Luiz Inácio Lula da Silva", "Maria Antónia Costa", "João Almeida Braga"]
    assert order(names, "pt") == ["João Almeida Braga", "Maria Antónia Costa", "Luiz Inácio Lula da Silva"]
    # a generational suffix is not the surname
    assert order(["José da Silva Filho", "Ana Souza Neto", "Rui Telles"], "pt-BR") == [
        "José da Silva Filho",
        "Ana Souza Neto",
        "Rui Telles",
    ]


def test_hungarian_and_east_asian_names_family_name_first() -> None:
    assert order(["Nagy Imre", "Kovács Zoltán", "Bartók Béla"], "hu") == [
        "Bartók Béla",
        "Kovács Zoltán",
        "Nagy Imre",
    ]
    assert order(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"], "vi")[0] == "Lê Văn Cường"
    assert order(["Yamada Taro", "Abe Shinzo"], "ja") == ["Abe Shinzo", "Yamada Taro"]


def test_icelandic_by_given_name() -> None:
    names = ["Björk Guðmundsdóttir", "Arnaldur Indriðason", "Vigdís Finnbogadóttir"]
    assert order(names, "is") == ["Arnaldur Indriðason", "Björk Guðmundsdóttir", "Vigdís Finnbogadóttir"]
    assert order(names, "en")[0] == "Vigdís Finnbogadóttir"


def test_sort_as_overrides_the_rule_and_organizations_are_never_split() -> None:
    key = language_sort_key("María José López", "individual", "López, María José", "es")
    assert key < language_sort_key("Juan Martínez Ruiz", "individual", "", "es")
    assert order(["Zeta Alfa Sociedad", "Alfa Zeta Red"], "es", "organization")[0] == "Alfa Zeta Red"


def test_the_spanish_page_sorts_and_counts_in_spanish() -> None:
    sigs = [
        Signatory(f"s-{i}", "published", "individual", n)
        for i, n in enumerate(["Juan Pérez García", "María Quispe Mamani", "Lucía Morales Vega"])
    ]
    style = PageStyle(page_words("es"))
    html = render_section(published_section(sigs, style), "html")
    assert [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", html)] == [
        "Lucía Morales Vega",
        "Juan Pérez García",
        "María Quispe Mamani",
    ]
    assert '<p class="signatories-count">3 firmantes</p>' in html
    assert "<h3>Personas (3)</h3>" in html


def test_entry_formats(tmp_path: Path) -> None:
    sigs = [Signatory("s-1", "published", "individual", "Ada Lovelace", "Analytical *Engine*")]
    out = {}
    for fmt in ("Name (Affiliation)", "Name, Affiliation", "Name — Affiliation"):
        style = PageStyle(page_words(None), fmt)
        section = published_section(sigs, style)
        out[fmt] = (
            render_section(section, "html", style.template),
            render_section(section, "markdown", style.template),
        )

    def item(html: str) -> str:  # the list item's text, whatever wraps the name (bdi, span)
        return re.sub(r"<[^>]+>", "", re.findall(r"<li>(.*?)</li>", html)[0])

    assert item(out["Name (Affiliation)"][0]) == "Ada Lovelace (Analytical *Engine*)"
    assert item(out["Name, Affiliation"][0]) == "Ada Lovelace, Analytical *Engine*"
    assert item(out["Name — Affiliation"][0]) == "Ada Lovelace — Analytical *Engine*"
    assert out["Name (Affiliation)"][0].count("<li>") == 1
    assert "- Ada Lovelace (Analytical \\*Engine\\*)\n" in out["Name (Affiliation)"][1]
    assert "- Ada Lovelace, Analytical \\*Engine\\*\n" in out["Name, Affiliation"][1]
    assert "- Ada Lovelace — Analytical \\*Engine\\*\n" in out["Name — Affiliation"][1]


def test_without_icu_the_surname_rules_still_apply_with_the_untailored_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sync.names.sorting as sorting

    monkeypatch.setattr(sorting, "collation_backend", lambda: "pyuca")
    sorting._language_collator.cache_clear()
    sorting._lcoll.cache_clear()
    try:
        assert sorting._language_collator("es") is None
        names = ["Juan Pérez García", "María Quispe Mamani", "Lucía Morales Vega"]
        assert order(names, "es") == ["Lucía Morales Vega", "Juan Pérez García", "María Quispe Mamani"]
    finally:
        sorting._language_collator.cache_clear()
        sorting._lcoll.cache_clear()
