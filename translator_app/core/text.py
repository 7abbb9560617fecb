"""Text pipeline: sentence splitting, subword vocabulary, and BLEU-style tokenization.

spaCy's blank pipelines are rule-based (no model download), so they are safe to use offline.
The subword vocabulary is a SentencePiece model with byte fallback: any character the model never
saw is spelled out as UTF-8 bytes, so decoding can never produce an ``<unk>``.
"""

from __future__ import annotations

import functools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import sentencepiece as spm

from translator_app.core.abbreviations import ends_sentence, find_abbreviations
from translator_app.core.sentence_ends import number_ends_sentence
from translator_app.core.types.errors import InvalidInput

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
SPECIAL_IDS = (PAD_ID, UNK_ID, BOS_ID, EOS_ID)

# Control characters other than tab and newline carry no meaning for translation and confuse
# both spaCy and SentencePiece; they are dropped before anything else sees the text.
# A zero-width joiner stays only between two emoji, where it makes one symbol of them (a family,
# a rainbow flag: core.protect keeps such a sequence whole).
_EMOJI_CHAR = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]"
_CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
    + f"|\u200d(?!{_EMOJI_CHAR})|(?<![\ufe0f\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff])\u200d"
)


def clean_text(text: str) -> str:
    """Remove control and bidi-override characters and collapse runs of spaces."""
    text = _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r"[ \t\u00a0]+", " ", text)


def _import_spacy():
    """spaCy, imported lazily (it adds ~1 s to start-up) and without torch: its thinc imports torch
    when it can (1-1.6 s, ~220 MB) though a rule-based sentencizer never uses it. While spaCy is
    imported, ``import torch`` fails for thinc alone, unless something has loaded torch already."""
    import sys

    if "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # thinc: "no torch here"
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@functools.lru_cache(maxsize=4)
def _blank_pipeline(lang: str):
    spacy = _import_spacy()
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return nlp


def split_sentences(text: str, lang: str = "de") -> list[str]:
    """Split one line of text into sentences with spaCy's rule-based sentencizer."""
    text = text.strip()
    if not text:
        return []
    nlp = _blank_pipeline(lang)
    doc = nlp.make_doc(text)
    if lang == "de":  # boundaries set before the sentencizer runs are kept by it (overwrite=False)
        for token, following in zip(doc, doc[1:]):
            if number_ends_sentence(token.text, following.text):
                following.is_sent_start = True
        for found in find_abbreviations(text):  # "z. B. Möbel" is one sentence, "inkl. MwSt. Am" two
            for token in doc[1:]:
                if found.start < token.idx < found.end:
                    token.is_sent_start = False
                elif token.idx >= found.end:
                    token.is_sent_start = ends_sentence(found, text)
                    break
    doc = nlp.get_pipe("sentencizer")(doc)
    return [s.text.strip() for s in doc.sents if s.text.strip()]


@dataclass(frozen=True)
class Segment:
    """A sentence to translate, or the whitespace between sentences that must be kept as is."""

    text: str
    translatable: bool


def segment_document(text: str, lang: str = "de") -> list[Segment]:
    """Cut a document into sentences and the separators between them (spaces, line breaks).

    Joining the translated sentences with the original separators keeps the paragraph layout.
    """
    segments: list[Segment] = []
    for line_or_break in re.split(r"(\n+)", clean_text(text)):
        if not line_or_break:
            continue
        if line_or_break.startswith("\n"):
            segments.append(Segment(line_or_break, False))
            continue
        sentences = split_sentences(line_or_break, lang)
        for i, sentence in enumerate(sentences):
            if i:
                segments.append(Segment(" ", False))
            segments.append(Segment(sentence, True))
    return segments


def tokenize_for_bleu(text: str, lang: str = "en") -> str:
    """Lowercased spaCy tokens joined by spaces: the tutorials' way of scoring BLEU."""
    doc = _blank_pipeline(lang).tokenizer(text.lower())
    return " ".join(t.text for t in doc if not t.is_space)


class SubwordVocab:
    """A joint German+English SentencePiece vocabulary (pad=0, unk=1, bos=2, eos=3)."""

    def __init__(self, model_proto: bytes):
        self.model_proto = model_proto
        self._sp = spm.SentencePieceProcessor()
        self._sp.LoadFromSerializedProto(model_proto)
        if (self._sp.pad_id(), self._sp.unk_id(), self._sp.bos_id(), self._sp.eos_id()) != SPECIAL_IDS:
            raise InvalidInput("SentencePiece model does not use the ids pad=0, unk=1, bos=2, eos=3")

    @classmethod
    def from_file(cls, path: Path) -> "SubwordVocab":
        return cls(Path(path).read_bytes())

    def save(self, path: Path) -> None:
        Path(path).write_bytes(self.model_proto)

    @classmethod
    def train(
        cls, sentences: Iterable[str], vocab_size: int = 8000, character_coverage: float = 1.0, placeholders: bool = False
    ) -> "SubwordVocab":
        """Learn a unigram vocabulary with byte fallback from raw sentences of both languages.

        ``sentences`` may be any iterable (a corpus streamed from disk): it is written to
        SentencePiece's input file a line at a time and read once. ``placeholders`` adds the
        protected-span placeholders (``core.protect``) as unbreakable pieces.
        """
        from translator_app.core.protect import PLACEHOLDERS

        symbols = list(PLACEHOLDERS) if placeholders else []
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.txt"
            with corpus.open("w", encoding="utf-8") as out:  # a line at a time: never the corpus as one string
                for sentence in sentences:
                    if sentence.strip():
                        out.write(clean_text(sentence).strip() + "\n")
            try:
                return cls._train(corpus, vocab_size, character_coverage, symbols)
            except RuntimeError as exc:
                # small data cannot fill a large vocabulary: take the largest size it can, as SentencePiece says
                found = re.search(r"Vocabulary size too high \((\d+)\)\. Please set it to a value <= (\d+)", str(exc))
                if not found:
                    raise InvalidInput(
                        f"could not learn a subword vocabulary from the training text ({str(exc).strip()[-200:]})"
                    ) from None
                return cls._train(corpus, int(found.group(2)), character_coverage, symbols)

    @classmethod
    def _train(cls, corpus: Path, vocab_size: int, character_coverage: float, symbols: list[str]) -> "SubwordVocab":
        prefix = corpus.parent / "spm"
        spm.SentencePieceTrainer.Train(
            input=str(corpus),
            model_prefix=str(prefix),
            vocab_size=vocab_size,
            model_type="unigram",
            character_coverage=character_coverage,
            byte_fallback=True,
            pad_id=PAD_ID,
            unk_id=UNK_ID,
            bos_id=BOS_ID,
            eos_id=EOS_ID,
            normalization_rule_name="nmt_nfkc",
            input_sentence_size=2_000_000,
            shuffle_input_sentence=True,
            num_threads=2,
            minloglevel=2,
            user_defined_symbols=symbols,
        )
        return cls(prefix.with_suffix(".model").read_bytes())

    def __len__(self) -> int:
        return self._sp.get_piece_size()

    @functools.cached_property
    def has_placeholders(self) -> bool:
        """Whether this vocabulary was trained with protected-span placeholders (``core.protect``)."""
        from translator_app.core.protect import PLACEHOLDERS

        return all(self._sp.piece_to_id(p) != UNK_ID and not self._sp.is_byte(self._sp.piece_to_id(p)) for p in PLACEHOLDERS)

    @functools.cached_property
    def placeholder_ids(self) -> tuple[int, ...]:
        """The placeholders' ids, in placeholder order (none without them): search never makes one up."""
        from translator_app.core.protect import PLACEHOLDERS

        return tuple(self._sp.piece_to_id(p) for p in PLACEHOLDERS) if self.has_placeholders else ()

    def encode(self, text: str) -> list[int]:
        return self._sp.encode(clean_text(text).strip(), out_type=int)

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]:
        return self._sp.encode([clean_text(t).strip() for t in texts], out_type=int)

    def sample_batch(self, texts: Sequence[str], alpha: float, seed: int) -> list[list[int]]:
        """Random segmentations drawn from the unigram lattice (subword regularization, Kudo 2018).

        Training on a new segmentation every epoch makes the model robust to how words are split;
        decoding keeps the single best split. The seed makes an epoch's draw repeatable on resume.
        """
        spm.set_random_generator_seed(seed)
        return self._sp.encode(
            [clean_text(t).strip() for t in texts], out_type=int, enable_sampling=True, alpha=alpha, nbest_size=-1, num_threads=1
        )

    def decode(self, ids: Sequence[int]) -> str:
        return self._sp.decode([int(i) for i in ids if int(i) not in SPECIAL_IDS])

    def pieces(self, ids: Sequence[int]) -> list[str]:
        return [self._sp.id_to_piece(int(i)) for i in ids]
