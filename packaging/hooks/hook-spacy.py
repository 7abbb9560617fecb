"""spaCy for translator-app: the core library plus the German and English language data only.

Replaces pyinstaller-hooks-contrib's ``hook-spacy`` (hooks in ``packaging/hooks`` take precedence),
which collects every submodule (all ~75 languages and ``spacy.tests``) and every data file
(``.pyx``/``.pxd``/``.pyi`` sources included).

Why submodules must be listed at all: most of spaCy is compiled Cython, and PyInstaller cannot see
the imports made from inside an extension module, so all of ``spacy`` except ``spacy.tests`` and the
other languages is collected.  ``spacy.blank("de")`` imports ``spacy.lang.de`` by name
(``importlib.import_module``), so the wanted languages are hidden imports.  Languages that spaCy's
own Python code imports statically (a few under ``spacy.lang``) are still found by the normal
analysis.  Data: ``default_config.cfg`` (read by ``spacy.language`` at import) and the CLI
templates (``spacy.cli.init_config`` reads the ``.yml`` at import, and ``import spacy`` imports
``spacy.cli``).
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

LANGUAGES = ("de", "en")


def _wanted(name: str) -> bool:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    if len(parts) > 2 and parts[1] == "lang":
        # spacy.lang.<code>[...] is a language package; spacy.lang.char_classes etc. are shared.
        code = parts[2]
        is_language = code.isalpha() and len(code) <= 3
        return code in LANGUAGES or not is_language
    return True


hiddenimports = collect_submodules("spacy", filter=_wanted)
for _lang in LANGUAGES:
    hiddenimports += collect_submodules(f"spacy.lang.{_lang}")

datas = collect_data_files("spacy", includes=["*.cfg", "cli/templates/*"])

# spaCy's .pyx modules import these C-level packages; their imports are invisible to the analysis.
hiddenimports += [
    "cymem.cymem",
    "preshed.maps",
    "preshed.counter",
    "preshed.bloom",
    "murmurhash.mrmr",
    "blis.py",
    "blis.cy",
    "srsly.msgpack._packer",
    "srsly.msgpack._unpacker",
    "srsly.ujson.ujson",
]

hiddenimports = sorted(set(hiddenimports))
excludedimports = ["spacy.tests"]
