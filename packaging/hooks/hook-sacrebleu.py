"""sacreBLEU imports its tokenizers by name (``import_module(f".tokenizers.{name}", "sacrebleu")`` in
``sacrebleu.metrics.bleu``), so PyInstaller does not see them: BLEU's default ``13a``, ``none``
(tokenized BLEU), ``intl``, ``char``, ``zh`` … are hidden imports.  Left out: the MeCab tokenizers
(Japanese/Korean, need MeCab and its dictionaries) and ``flores``/``spm`` (downloads a model)."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("sacrebleu.tokenizers", filter=lambda name: not name.endswith(("_mecab", "tokenizer_spm")))
