"""The corpora the shipped models were trained on, and the credit each licence asks for.

Written once here; the About dialog, the README and every model card
read it, so that wherever a model trained on a corpus ships, the corpus is credited as asked.
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAINS = ("everyday", "news", "parliament", "captions", "wikipedia", "web", "numbers")  # in the order the app lists them


@dataclass(frozen=True)
class Corpus:
    name: str
    domain: str
    source: str
    licence: str
    credit: str


CORPORA = (
    Corpus(
        "Tatoeba",
        "everyday",
        "Tatoeba sentence pairs (tatoeba.org), as exported by ManyThings (deu.txt)",
        "CC-BY 2.0 FR",
        "Sentences from Tatoeba (tatoeba.org), licensed CC-BY 2.0 FR.",
    ),
    Corpus(
        "WMT newstest",
        "news",
        "WMT news test sets 2008–2012 and 2015–2018, German–English",
        "WMT shared-task data, free for research",
        "News test sets of the WMT shared tasks (statmt.org/wmt).",
    ),
    Corpus(
        "Europarl",
        "parliament",
        "a sample of the Europarl corpus (Koehn 2005), from NLTK's ComTrans",
        "no copyright restrictions known to its authors",
        "Europarl parallel corpus (Koehn 2005).",
    ),
    Corpus(
        "Multi30k",
        "captions",
        "Multi30k task 1 (Elliott et al. 2016), German–English image captions",
        "Flickr30k terms, for research",
        "Multi30k (Elliott et al. 2016), built on Flickr30k captions.",
    ),
    Corpus(
        "WMT general",
        "web",
        "WMT23 and WMT24 general-domain test sets (German–English, both directions) and newssyscomb2009",
        "WMT shared-task data, free for research",
        "General-domain test sets of the WMT shared tasks 2023 and 2024 (statmt.org/wmt).",
    ),
    Corpus(
        "MLQE-PE Wikipedia",
        "wikipedia",
        "Wikipedia sentences post-edited into German, from MLQE-PE (Fomicheva et al. 2022)",
        "CC0 1.0",
        "MLQE-PE post-editing data (Fomicheva et al. 2022), CC0 1.0.",
    ),
    Corpus(
        "WMT'15 training sample",
        "web",
        "a sample of WMT'15 training data (Europarl, Common Crawl, News Commentary), as in OpenNMT-py's toy data set",
        "WMT shared-task data, free for research",
        "Training data of the WMT 2015 shared task (statmt.org/wmt15): Europarl, Common Crawl, News Commentary.",
    ),
)
# "numbers" are sentences generated here (scripts/number_pairs.py): nothing to credit.


def credits_for(domains: list[str]) -> list[Corpus]:
    """The corpora behind a model trained on these domains."""
    return [c for c in CORPORA if c.domain in domains]
