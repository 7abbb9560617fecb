"""Word alignments from attention: which German word the model looked at for each English word.

Models attend over subwords; people read words. This module sums a sentence's attention from
subword pieces up to whole words and finds where each word sits in the two texts, so the app can
draw a heatmap and link a hovered word to its most-attended counterpart. Plain data, no torch and
no Qt, so results cross threads and are tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

WORD_START = "\u2581"  # SentencePiece's marker for "a space came before this piece"
_BYTE_PIECE = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")

Span = tuple[int, int]  # [start, end) character offsets into a text


def group_pieces(pieces: list[str]) -> list[tuple[str, list[int]]]:
    """Subword pieces to words: ``(surface, piece indices)``; punctuation is a word of its own.

    A piece that starts with ``▁`` starts a word; byte-fallback pieces (``<0xC3>``) are decoded
    back into the characters they spell.
    """
    words: list[tuple[str, list[int]]] = []
    current: list[int] = []
    current_bytes = bytearray()
    current_kind: str | None = None
    pending: list[int] = []  # a lone "▁" piece belongs to the word after it

    def flush() -> None:
        nonlocal current, current_bytes, current_kind
        if current:
            words.append((current_bytes.decode("utf-8", errors="replace"), current))
        current, current_bytes, current_kind = [], bytearray(), None

    for index, piece in enumerate(pieces):
        match = _BYTE_PIECE.match(piece)
        starts_word = piece.startswith(WORD_START)
        data = bytes([int(match.group(1), 16)]) if match else piece.replace(WORD_START, "").encode("utf-8")
        if not data:
            flush()
            pending.append(index)
            continue
        text = data.decode("utf-8", errors="ignore")
        kind = "punct" if text and not any(c.isalnum() for c in text) else "word"
        if match and current_kind is not None:
            kind = current_kind  # continuation bytes of a character already begun
        if starts_word or pending or current_kind is None or kind != current_kind:
            flush()
            current_kind = kind
        current.extend(pending + [index])
        pending = []
        current_bytes.extend(data)
    flush()
    return words


@dataclass
class WordAlignment:
    """One sentence: attention summed over each source word's pieces, averaged over each output word's."""

    source_words: list[str]
    target_words: list[str]
    weights: list[list[float]]  # [target word][source word]

    def source_for(self, target_index: int) -> int | None:
        """The source word the model attended to most while writing this output word."""
        row = self.weights[target_index] if 0 <= target_index < len(self.weights) else []
        return max(range(len(row)), key=row.__getitem__) if row else None

    def target_for(self, source_index: int) -> int | None:
        """The output word that attended to this source word the most."""
        if not self.weights or not 0 <= source_index < len(self.source_words):
            return None
        return max(range(len(self.weights)), key=lambda t: self.weights[t][source_index])


def word_alignment(source_pieces: list[str], target_pieces: list[str], attention: list[list[float]]) -> WordAlignment:
    """``attention`` is [output piece][source piece], as ``SentenceHypothesis.attention`` holds it."""
    sources, targets = group_pieces(source_pieces), group_pieces(target_pieces)
    weights = []
    for _, target_indices in targets:
        rows = [attention[t] for t in target_indices if t < len(attention)]
        weights.append(
            [sum(row[s] for row in rows for s in indices if s < len(row)) / max(len(rows), 1) for _, indices in sources]
        )
    return WordAlignment([w for w, _ in sources], [w for w, _ in targets], weights)


def locate_words(text: str, sentences: list[list[str]]) -> list[list[Span | None]]:
    """Where each word of each sentence is in ``text``, searching forward from the previous word.

    A word the text does not spell the same way (normalised characters) gets ``None`` and the search
    goes on from where it was, so one odd word never shifts the rest.
    """
    position, spans = 0, []
    for words in sentences:
        found: list[Span | None] = []
        for word in words:
            start = text.find(word, position) if word.strip() else -1
            if start < 0:
                found.append(None)
                continue
            found.append((start, start + len(word)))
            position = start + len(word)
        spans.append(found)
    return spans


@dataclass
class DocumentAlignment:
    """The alignments of every sentence of one translation, with each word's place in both texts."""

    source: str
    target: str
    sentences: list[WordAlignment | None]  # None: the sentence has no attention (e.g. it was cut)
    source_spans: list[list[Span | None]] = field(default_factory=list)
    target_spans: list[list[Span | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.source_spans:
            self.source_spans = locate_words(self.source, [s.source_words if s else [] for s in self.sentences])
        if not self.target_spans:
            self.target_spans = locate_words(self.target, [s.target_words if s else [] for s in self.sentences])

    def source_word_at(self, position: int) -> tuple[int, int] | None:
        """(sentence, word) of the source word covering this character offset."""
        return _word_at(self.source_spans, position)

    def target_word_at(self, position: int) -> tuple[int, int] | None:
        return _word_at(self.target_spans, position)

    @property
    def has_attention(self) -> bool:
        return any(s is not None for s in self.sentences)


def _word_at(spans: list[list[Span | None]], position: int) -> tuple[int, int] | None:
    for sentence, words in enumerate(spans):
        for word, span in enumerate(words):
            if span is not None and span[0] <= position < span[1]:
                return sentence, word
    return None


def document_alignment(translation, rank: int = 0) -> DocumentAlignment:
    """The alignment of ``translation``'s alternative number ``rank`` (0 = the one shown).

    Each whole-text alternative is built from every sentence's hypothesis of that rank (or its last
    one), exactly as ``Translator`` assembles them.
    """
    sentences: list[WordAlignment | None] = []
    for sentence in translation.sentences:
        hyps = sentence.hypotheses
        chosen = hyps[min(rank, len(hyps) - 1)] if hyps else None
        if chosen is None or chosen.attention is None:
            sentences.append(None)
            continue
        sentences.append(word_alignment(sentence.source_tokens, chosen.tokens, chosen.attention))
    target = translation.alternatives[rank].text if rank < len(translation.alternatives) else translation.text
    return DocumentAlignment(translation.source, target, sentences)
