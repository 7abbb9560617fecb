"""translator_app imports its model architectures by name (``importlib.import_module`` in
``translator_app.core.models``), and the GUI lazily: collect every submodule so that every
architecture a user model may name is present in the bundle."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("translator_app")
