"""Stutters: phrases said twice back to back that the source does not repeat (core.repetition)."""

from translator_app.core.repetition import adjacent_repeat, stutter, words


def test_words_drop_punctuation_and_keep_numbers_whole():
    assert words("The critics, however, however, said 3,5 km.") == ["the", "critics", "however", "however", "said", "3,5", "km"]


def test_a_phrase_said_twice_in_a_row_is_a_stutter():
    assert (
        stutter("Die Kritiker sagten jedoch am Mittwoch nein.", "The critics said no on Wednesday on Wednesday.")
        == "on wednesday"
    )
    assert stutter("Die Kritiker jedoch …", "The critics, however, however, …") == "however"


def test_repeats_apart_or_in_the_source_are_not():
    assert stutter("Der Hund sieht den Hund.", "The dog sees the dog.") is None
    assert stutter("Das ist sehr, sehr gut.", "That is very, very good.") is None
    assert adjacent_repeat(["a", "b", "c", "d", "e", "a", "b", "c", "d", "e"]) is None  # five words: longer than counted
