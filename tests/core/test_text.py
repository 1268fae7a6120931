"""Cleaning text a person typed (`core/model/text.py`), checked against the rule it states.

The expected results are worked out here from the XML 1.0 character rule and Unicode's list of
noncharacters, not from the module's own pattern, so a pattern that drifts fails here.
"""

from __future__ import annotations

import json

from vbp_workshop.core.model.text import clean_json_text, clean_text, clean_value, has_forbidden, name_key


def forbidden(cp: int) -> bool:
    """What the module promises to remove: C0 controls but tab and newline (CR too), DEL and the
    C1 controls, surrogates, U+FDD0..U+FDEF, and the last two code points of every plane."""
    return ((cp < 0x20 and cp not in (0x09, 0x0A)) or 0x7F <= cp <= 0x9F or 0xD800 <= cp <= 0xDFFF
            or 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE)


EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def test_every_code_point_is_kept_or_removed_as_the_rule_says() -> None:
    kept = "".join(c for c in EVERY_CHARACTER if not forbidden(ord(c)))
    assert clean_text(EVERY_CHARACTER) == kept
    assert not has_forbidden(kept)


def test_each_forbidden_character_is_found_and_its_neighbours_are_not() -> None:
    bad = [cp for cp in range(0x110000) if forbidden(cp)]
    assert len(bad) == 30 + 33 + 2048 + 32 + 2 * 17  # C0 (not tab, LF), DEL+C1, surrogates, nonchars
    assert [cp for cp in bad if not has_forbidden(f"a{chr(cp)}b")] == []
    for cp in (0x09, 0x0A, 0x20, 0x7E, 0xA0, 0xD7FF, 0xE000, 0xFDCF, 0xFDF0, 0xFFFD, 0x1FFFD, 0x10FFFD):
        assert not has_forbidden(chr(cp)), hex(cp)
        assert clean_text(f"a{chr(cp)}b") == f"a{chr(cp)}b", hex(cp)


def test_tabs_and_newlines_stay_unless_one_line_is_asked_for() -> None:
    typed = "  First line\r\n\tsecond\x00 line  \n"
    assert clean_text(typed) == "  First line\n\tsecond line  \n"
    assert clean_text(typed, single_line=True) == "First line second line"
    assert clean_text("\u3000Tokyo\u3000\u3000Trust ", single_line=True) == "Tokyo Trust"  # ideographic spaces


def test_names_match_regardless_of_case_width_and_spacing_but_not_of_letters() -> None:
    assert name_key("  ＮＨＳ   North\tTrust ") == "nhs north trust"  # fullwidth letters, runs of space
    assert name_key("STRASSE") == name_key("Straße") == "strasse"
    assert name_key("Acme\x00 Ltd") == "acme ltd"
    assert name_key("Łódź Pharma") == "łódź pharma" != name_key("Lodz Pharma")
    assert name_key("東京メディカル") == "東京メディカル"


def test_json_documents_are_cleaned_value_by_value_and_keep_their_letters() -> None:
    doc = '{"a\\u000b": ["x\\u0000y", 1, 2.5, true, null, {"k": "\\u0141\\u00f3d\\u017a\\u0085"}]}'
    assert clean_json_text(doc) == '{"a": ["xy", 1, 2.5, true, null, {"k": "Łódź"}]}'
    assert json.loads(clean_json_text('"caf\\u00e9"')) == "café" and clean_json_text('"café"') == '"café"'


def test_text_that_is_not_json_is_cleaned_as_text() -> None:
    assert clean_json_text("not json\x07, a note\x1f") == "not json, a note"
    assert clean_json_text("{broken\x00") == "{broken"


def test_a_parsed_answer_keeps_its_numbers_and_has_its_keys_cleaned() -> None:
    assert clean_value({"0": 5, "1\x00": [1, "b\x0b", None], 2: "\ud800x"}) == {"0": 5, "1": [1, "b", None], "2": "x"}
    assert clean_value(3.5) == 3.5 and clean_value(None) is None and clean_value(True) is True
