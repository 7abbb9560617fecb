"""Word alignments from subword attention: grouping, summing, locating words in the texts."""

from __future__ import annotations

import pytest

from translator_app.core.types.alignment import (
    DocumentAlignment,
    WordAlignment,
    document_alignment,
    group_pieces,
    locate_words,
    word_alignment,
)


def test_pieces_group_into_words_with_punctuation_apart():
    pieces = ["▁Ein", "▁Mann", "▁fährt", "▁(", "sch", "n", "ell", ")", "▁Fahrrad", "."]
    assert group_pieces(pieces) == [
        ("Ein", [0]),
        ("Mann", [1]),
        ("fährt", [2]),
        ("(", [3]),
        ("schnell", [4, 5, 6]),
        (")", [7]),
        ("Fahrrad", [8]),
        (".", [9]),
    ]


def test_byte_fallback_pieces_spell_their_characters():
    pieces = ["▁Ein", "▁", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "▁", "ñ", "and", "<0xC3>", "<0xBA>"]
    assert group_pieces(pieces) == [("Ein", [0]), ("😀", [1, 2, 3, 4, 5]), ("ñandú", [6, 7, 8, 9, 10])]


def test_word_weights_sum_source_pieces_and_average_target_pieces():
    source = ["▁Ein", "▁Fahr", "rad"]  # 2 words
    target = ["▁A", "▁bi", "cycle"]  # 2 words
    attention = [[0.8, 0.1, 0.1], [0.0, 0.6, 0.4], [0.2, 0.2, 0.6]]
    a = word_alignment(source, target, attention)
    assert a.source_words == ["Ein", "Fahrrad"] and a.target_words == ["A", "bicycle"]
    assert a.weights[0] == pytest.approx([0.8, 0.2])
    assert a.weights[1] == pytest.approx([0.1, 0.9])  # mean of (0, 1.0) and (0.2, 0.8)
    assert a.source_for(1) == 1 and a.target_for(0) == 0
    assert a.source_for(5) is None and a.target_for(-1) is None


def test_words_are_located_in_order_and_odd_words_do_not_shift_the_rest():
    text = "Der Mann. Der Hund!"
    spans = locate_words(text, [["Der", "Mann", "."], ["Der", "Ｈund", "!"]])
    assert spans == [[(0, 3), (4, 8), (8, 9)], [(10, 13), None, (18, 19)]]


def test_document_alignment_finds_the_word_under_a_position():
    a = WordAlignment(["Ein", "Hund", "."], ["A", "dog", "."], [[0.9, 0.1, 0], [0.1, 0.9, 0], [0, 0, 1]])
    doc = DocumentAlignment("Ein Hund.", "A dog.", [a])
    assert doc.source_word_at(5) == (0, 1)
    assert doc.target_word_at(2) == (0, 1)
    assert doc.source_word_at(3) is None  # the space between words
    assert doc.has_attention
    assert not DocumentAlignment("x", "y", [None]).has_attention


def test_a_translators_attention_becomes_word_alignments(tiny_attention_model_dir):
    from translator_app.core.types.options import DecodeOptions
    from translator_app.core.translator import Translator

    translator = Translator.load(tiny_attention_model_dir, device="cpu")
    source = "Ein Mann fährt Fahrrad. Zwei Hunde spielen im Schnee."
    result = translator.translate(source, DecodeOptions(beam_width=3, n_best=2, max_length=30))
    for rank in range(len(result.alternatives)):
        doc = document_alignment(result, rank)
        assert doc.target == result.alternatives[rank].text
        assert len(doc.sentences) == 2
        assert doc.sentences[0].source_words == ["Ein", "Mann", "fährt", "Fahrrad", "."]
        for alignment, spans in zip(doc.sentences, doc.source_spans):
            assert all(span is not None for span in spans)  # every German word is found
            for row in alignment.weights:
                assert len(row) == len(alignment.source_words)
                assert 0.0 <= sum(row) <= 1.0 + 1e-4  # the end-of-sentence column is not a word
        for alignment, spans in zip(doc.sentences, doc.target_spans):
            assert [doc.target[s[0] : s[1]] for s in spans if s] == [w for w, s in zip(alignment.target_words, spans) if s]
