"""Counting nouns and the frequent words of open answers (core/model/words.py)."""

from __future__ import annotations

from vbp_workshop.core.model.words import STOPWORDS, frequent_words, plural, words


def test_one_response_is_singular_and_every_other_count_plural() -> None:
    assert plural(1, "response") == "1 response"
    assert plural(0, "response") == "0 responses"
    assert plural(2, "response") == "2 responses"
    assert plural(1.0, "answer") == "1 answer"
    assert plural(2.5, "point") == "2.5 points"
    assert plural(1, "person", "people") == "1 person" and plural(3, "person", "people") == "3 people"


def test_stop_words_numbers_and_short_words_are_left_out() -> None:
    assert words("The trust between GPs and the hospital, in 2026!") == ["trust", "gps", "hospital"]
    assert words("We don't share data") == ["share", "data"]  # "don't" is a stop word
    assert {"the", "and", "of", "we", "would"} <= STOPWORDS


def test_words_of_other_languages_and_curly_apostrophes_are_kept_whole() -> None:
    assert words("Zusammenarbeit über Grenzen") == ["zusammenarbeit", "über", "grenzen"]
    assert words("patients’ voice") == ["patients", "voice"]


def test_frequent_words_are_counted_across_answers_most_first() -> None:
    got = frequent_words(["Fewer heart attacks", "Heart health for all", "heart data, shared data"])
    assert got[:2] == [("heart", 3), ("data", 2)]
    assert all(w not in STOPWORDS for w, _ in got)
    assert frequent_words(["a b c", "the of"]) == []
    assert len(frequent_words([f"word{i}x unique{i}" for i in range(50)], top=5)) == 5
