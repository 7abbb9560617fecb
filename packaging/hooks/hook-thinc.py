"""thinc (spaCy's ML layer) without its test suite.

Replaces pyinstaller-hooks-contrib's ``hook-thinc``, which collects ``thinc.tests`` too (and with it
pytest and hypothesis).  thinc's compiled modules import other thinc modules invisibly, hence all
non-test submodules.  ``thinc.backends._custom_kernels`` reads its ``.cu`` sources at import time,
so those two files are needed even on a CPU-only build.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda name: ".tests" not in name and not name.endswith(".conftest"))
datas = collect_data_files("thinc", includes=["backends/*.cu"])
excludedimports = ["thinc.tests"]
