"""``translator-app --self-test``: does the default model load and translate here? (The bundle's smoke test.)"""

from __future__ import annotations

from translator_app.cli.terminal import safe
from translator_app.core.types.options import DecodeOptions


def run() -> int:
    from translator_app.core.translator import Translator

    translator = Translator.load(None, device="cpu")
    result = translator.translate("Ein Mann fährt mit dem Fahrrad die Straße entlang.", DecodeOptions(beam_width=5).validated())
    text = result.text
    ok = bool(text.strip()) and "<unk>" not in text and "⁇" not in text and text.isascii()
    print(safe(f"model: {translator.name} ({translator.architecture}) on {translator.device_description()}"))
    print(f"translation: {text}")
    print("self-test: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1
