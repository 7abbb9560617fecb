import pytest

from translator_app.core.text import SubwordVocab, clean_text, segment_document, split_sentences, tokenize_for_bleu

from conftest import read_multi30k

SENTENCES = [
    "Ein Mann fährt mit dem Fahrrad über die Straße.",
    "Die Größe des Fußballs beträgt 22 cm, sagt Jürgen Müller!",
    "Zwei Hunde spielen im Schnee – um 15:30 Uhr, am 3. März 2024?",
    "Öl, Äpfel & Übergrößen: „Anführungszeichen“ (Klammern) 1.000,50 €.",
]


@pytest.fixture(scope="module")
def vocab():
    pairs = read_multi30k("train", 4000)
    return SubwordVocab.train([s for p in pairs for s in p], vocab_size=800)


def test_round_trip_keeps_umlauts_punctuation_and_numbers(vocab):
    for sentence in SENTENCES:
        assert vocab.decode(vocab.encode(sentence)) == sentence


def test_unknown_characters_fall_back_to_bytes_never_unk(vocab):
    text = "Ein Zebra 🦓 namens Żółć aus 東京"
    ids = vocab.encode(text)
    assert 1 not in ids  # unk
    assert vocab.decode(ids) == text


def test_rare_compound_is_split_into_subwords(vocab):
    pieces = vocab.pieces(vocab.encode("Donaudampfschifffahrtsgesellschaft"))
    assert len(pieces) > 2
    assert vocab.decode(vocab.encode("Donaudampfschifffahrtsgesellschaft")) == "Donaudampfschifffahrtsgesellschaft"


def test_vocab_serialises_and_reloads(vocab, tmp_path):
    vocab.save(tmp_path / "spm.model")
    again = SubwordVocab.from_file(tmp_path / "spm.model")
    assert len(again) == len(vocab)
    assert again.encode(SENTENCES[1]) == vocab.encode(SENTENCES[1])


def test_sentence_splitting():
    assert split_sentences("Ein Hund läuft. Eine Katze schläft! Wer kommt?") == [
        "Ein Hund läuft.",
        "Eine Katze schläft!",
        "Wer kommt?",
    ]
    assert split_sentences("   ") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Das war 1989. Die Mauer fiel.", ["Das war 1989.", "Die Mauer fiel."]),
        ("Er kam am 3. Oktober 2023. Schreib ihm!", ["Er kam am 3. Oktober 2023.", "Schreib ihm!"]),
        ("Es kostet 3,50. Das ist viel.", ["Es kostet 3,50.", "Das ist viel."]),
        ("Er wurde 30. Dann zog er weg.", ["Er wurde 30.", "Dann zog er weg."]),
        ("Am 3. Oktober ist Feiertag.", ["Am 3. Oktober ist Feiertag."]),
        ("Zum 100. Geburtstag kam er.", ["Zum 100. Geburtstag kam er."]),
        ("Im 19. Jahrhundert war das so.", ["Im 19. Jahrhundert war das so."]),
        ("Er kam 2023. danach nicht mehr.", ["Er kam 2023. danach nicht mehr."]),
    ],
)
def test_a_number_with_a_period_ends_a_sentence_only_where_no_ordinal_can_be(text, expected):
    """spaCy keeps "1989." as one German token (ordinals take a period), so it never split there."""
    assert split_sentences(text) == expected


def test_segments_keep_paragraph_breaks():
    segments = segment_document("Erster Satz. Zweiter Satz.\n\nNeuer Absatz.")
    assert [s.text for s in segments if s.translatable] == ["Erster Satz.", "Zweiter Satz.", "Neuer Absatz."]
    assert "".join(s.text for s in segments) == "Erster Satz. Zweiter Satz.\n\nNeuer Absatz."


def test_clean_text_drops_control_characters():
    assert clean_text("Ein\x00 Hund\x07\u202e läuft") == "Ein Hund läuft"


def test_bleu_tokenization_is_lowercased_spacy_tokens():
    assert tokenize_for_bleu("A man's bike, isn't it?") == "a man 's bike , is n't it ?"


@pytest.mark.fault(6, "small data with the default vocabulary size")
def test_small_data_gets_the_largest_vocabulary_it_can_fill():
    from conftest import read_multi30k
    from translator_app.core.text import SubwordVocab

    pairs = read_multi30k("val", 30)
    vocab = SubwordVocab.train((s for p in pairs for s in p), vocab_size=8000)  # too big for 30 pairs
    assert 64 <= len(vocab) < 8000 and vocab.decode(vocab.encode(pairs[0][0])) == pairs[0][0]
    tiny = SubwordVocab.train(["a b", "c d"], vocab_size=8000)  # bytes cover the rest
    assert tiny.decode(tiny.encode("Grüße")) == "Grüße"
