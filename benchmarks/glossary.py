"""What a glossary does to translations: are the user's terms there, and is the rest as good?

    python benchmarks/glossary.py [--model general-lstm-de-en general-transformer-de-en] [--limit N]

On the glossary corpus (tests/data/glossary: German sentences with inflected glossary terms,
reference English using the glossary's terms), each model translates every sentence without and
with the glossary. Reported per model:

- term rate: the share of sentences whose output holds every expected English term (either number);
  right number: the share holding each term in the reference's number ("tabs" where it says "tabs");
- sacreBLEU (cased, detokenized) and chrF of the whole output, both ways;
- masked sacreBLEU: the same with every form of every glossary English term cut from outputs and
  references alike, so it scores the rest of the sentence. A wrong rendering of a term without
  the glossary ("rider" for "Reiter") still counts there as a wrong word, which favours the glossary
  a little; the whole-sentence BLEU has no such bias in either direction.

Prints a table and writes benchmarks/results/glossary.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "tests" / "data" / "glossary"
DEFAULT_MODELS = ["general-lstm-de-en", "general-transformer-de-en"]


@dataclass(frozen=True)
class CorpusLine:
    source: str
    reference: str
    terms: tuple[str, ...]  # the English terms the reference uses, as it uses them ("tabs")


def read_corpus(limit: int | None = None) -> list[CorpusLine]:
    lines = []
    for row in (CORPUS_DIR / "corpus.tsv").read_text(encoding="utf-8").splitlines():
        source, reference, terms = row.split("\t")
        lines.append(CorpusLine(source, reference, tuple(terms.split("|"))))
    return lines[:limit] if limit else lines


def _forms(glossary) -> dict[str, set[str]]:
    """Each English term and plural -> both forms of its entry (either number counts as the term)."""
    forms: dict[str, set[str]] = {}
    for entry in glossary.entries:
        both = {entry.target.lower(), entry.plural.lower()}
        for form in both:
            forms.setdefault(form, set()).update(both)
    return forms


def _has(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def term_rates(outputs: list[str], corpus: list[CorpusLine], glossary) -> tuple[float, float]:
    """(share with every term in either number, share with every term in the reference's number)."""
    forms = _forms(glossary)
    either = sum(all(any(_has(out, f) for f in forms[t.lower()]) for t in line.terms) for out, line in zip(outputs, corpus))
    exact = sum(all(_has(out, t) for t in line.terms) for out, line in zip(outputs, corpus))
    return either / len(corpus), exact / len(corpus)


def mask_terms_out(text: str, glossary) -> str:
    """``text`` without any form of any glossary English term (longest first), spaces tidied."""
    for form in sorted(_forms(glossary), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def measure(name: str, corpus: list[CorpusLine], glossary) -> dict:
    from translator_app.core.metrics import chrf_score, sacrebleu_score
    from translator_app.core.translator import Translator

    translator = Translator.load(name)
    options = translator.default_options()
    sources, references = [c.source for c in corpus], [c.reference for c in corpus]
    row: dict = {"model": name, "sentences": len(corpus)}
    outputs = {}
    for label, opts in (("without", options), ("with", replace(options, glossary=glossary))):
        start = time.perf_counter()
        outputs[label] = [s.hypotheses[0].text if s.hypotheses else "" for s in translator.translate_sentences(sources, opts)]
        row[f"{label}_seconds"] = round(time.perf_counter() - start, 2)
        either, exact = term_rates(outputs[label], corpus, glossary)
        row[f"{label}_term_rate"] = round(either, 4)
        row[f"{label}_right_number"] = round(exact, 4)
        row[f"{label}_bleu"] = round(sacrebleu_score(outputs[label], references)[0], 2)
        row[f"{label}_chrf"] = round(chrf_score(outputs[label], references), 2)
        masked_refs = [mask_terms_out(r, glossary) for r in references]
        masked_outs = [mask_terms_out(o, glossary) for o in outputs[label]]
        row[f"{label}_masked_bleu"] = round(sacrebleu_score(masked_outs, masked_refs)[0], 2)
    row["examples"] = [
        {"source": s, "without": a, "with": b} for s, a, b in list(zip(sources, outputs["without"], outputs["with"]))[:8]
    ]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "glossary.json")
    args = parser.parse_args()
    from translator_app.core.glossary import load_glossary

    glossary = load_glossary(CORPUS_DIR / "glossary.tsv")
    corpus = read_corpus(args.limit)
    rows = [measure(name, corpus, glossary) for name in args.model]
    header = f"{'model':28} {'glossary':8} {'terms':>6} {'number':>6} {'BLEU':>6} {'chrF':>6} {'masked BLEU':>11} {'s':>6}"
    print(f"{len(corpus)} sentences, {len(glossary)} glossary entries")
    print(header)
    for row in rows:
        for label in ("without", "with"):
            print(
                f"{row['model']:28} {label:8} {100 * row[f'{label}_term_rate']:5.1f}% {100 * row[f'{label}_right_number']:5.1f}% "
                f"{row[f'{label}_bleu']:6.2f} {row[f'{label}_chrf']:6.2f} {row[f'{label}_masked_bleu']:11.2f} "
                f"{row[f'{label}_seconds']:6.1f}"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": platform.platform(), "corpus": str(CORPUS_DIR.relative_to(ROOT)), "models": rows}
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
