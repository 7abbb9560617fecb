"""What goes into the PyInstaller bundle: data files, exclusions, icons.

Plain Python with no PyInstaller import, so that ``translator_app.spec`` and the fast packaging
test read the same lists.  Paths in the bundle are relative to its root (``sys._MEIPASS``, which is
where ``translator_app.core.paths.project_root()`` looks when frozen).
"""

from __future__ import annotations

import fnmatch
import os
import re
import struct
from pathlib import Path

from translator_app.core.model_store import MODEL_FILES as _MODEL_FILES

APP_NAME = "translator-app"
BUNDLE_ID = "io.github.translator-app"
ROOT = Path(__file__).resolve().parents[1]

# A model folder's files (the vocabulary shortlist and the replay sample a fine-tune mixes in among
# them), as the model store copies them; anything else beside it (training runs, checkpoints, editor
# files) is not shipped.
MODEL_FILES = _MODEL_FILES
# Set at build time to bundle the model folders of another directory instead of <repo>/models
# (the slow test bundles a tiny model this way while the real one is still training).
MODELS_ENV = "TRANSLATOR_APP_BUNDLE_MODELS"

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
# resources/ is bundled whole except what only the repository needs.
RESOURCE_SKIP = ("screenshots",)


def version(root: Path = ROOT) -> str:
    text = (root / "translator_app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    return match.group(1) if match else "0.0.0"


def models_source(root: Path = ROOT) -> Path:
    return Path(os.environ.get(MODELS_ENV) or root / "models")


def model_datas(models_dir: Path) -> list[tuple[str, str]]:
    """(source file, folder in the bundle) for every model folder (one holding config.json)."""
    datas = []
    if models_dir.is_dir():
        for folder in sorted(p for p in models_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if (folder / "config.json").is_file():
                datas += [(str(folder / f), f"models/{folder.name}") for f in MODEL_FILES if (folder / f).is_file()]
    return datas


def resource_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    resources = root / "resources"
    datas = []
    for path in sorted(resources.rglob("*")):
        rel = path.relative_to(resources)
        if path.is_file() and rel.parts[0] not in RESOURCE_SKIP and not path.name.startswith("."):
            datas.append((str(path), str(Path("resources") / rel.parent)))
    return datas


def app_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    return resource_datas(root) + model_datas(models_source(root))


def icon_pngs(root: Path = ROOT) -> dict[int, Path]:
    return {size: root / "resources" / "icons" / f"{APP_NAME}-{size}.png" for size in ICON_SIZES}


# Modules the app never imports.  Most are not reachable anyway; listing them keeps an optional
# import somewhere in a dependency from dragging them in.
EXCLUDES = [
    # other GUI toolkits, notebooks, plotting
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "IPython",
    "ipykernel",
    "ipywidgets",
    "jupyter_client",
    "notebook",
    "matplotlib",
    "PyQt5",
    "PyQt6",
    "PySide2",
    # torch extras a CPU inference/fine-tuning app does not use: tensorboard logging, the Triton
    # GPU compiler (torch's test helpers: see torch_testing_excludes below)
    "tensorboard",
    "torch.utils.tensorboard",
    "triton",
    # pulled in by optional imports of torch's dependencies and of spaCy's CLI, never imported by
    # the app (translate, train, evaluate, GUI checked frozen): SciPy and NetworkX (torch.compile's
    # graph partitioner only), cloud storage for spaCy project files (smart_open -> boto3), YAML,
    # SQLite, fsspec, setuptools (torch.utils.cpp_extension only), TLS/crypto
    "scipy",
    "networkx",
    "boto3",
    "botocore",
    "s3transfer",
    "smart_open",
    "google.cloud",
    "azure",
    "dateutil",
    "yaml",
    "sqlite3",
    "fsspec",
    "setuptools",
    "pkg_resources",
    "cryptography",
    "OpenSSL",
    "pandas",
    "pyarrow",
    "PIL",
    "onnx",
    "onnxruntime",
    "onnxscript",
    "h5py",
    "psutil",
    # test suites and test runners
    "pytest",
    "_pytest",
    "hypothesis",
    "expecttest",
    "spacy.tests",
    "thinc.tests",
    "numpy.tests",
    "numpy.f2py.tests",
    "sentencepiece.test",
    "pytestqt",
    # Qt modules not used (the GUI uses QtCore, QtGui, QtWidgets; SVG icons through Qt's plugin).
    # QtNetwork: an offline app (PySide6/__init__ imports it only on Windows, guarded).
    *(
        f"PySide6.{m}"
        for m in (
            "QtNetwork",
            "QtNetworkAuth",
            "QtWebEngineCore",
            "QtWebEngineWidgets",
            "QtWebEngineQuick",
            "QtWebChannel",
            "QtWebSockets",
            "QtWebView",
            "QtHttpServer",
            "Qt3DCore",
            "Qt3DRender",
            "Qt3DInput",
            "Qt3DLogic",
            "Qt3DExtras",
            "Qt3DAnimation",
            "QtQml",
            "QtQmlFeatures",
            "QtQuick",
            "QtQuick3D",
            "QtQuickControls2",
            "QtQuickTest",
            "QtQuickWidgets",
            "QtLabsStyleKit",
            "QtMultimedia",
            "QtMultimediaWidgets",
            "QtSpatialAudio",
            "QtTextToSpeech",
            "QtCharts",
            "QtDataVisualization",
            "QtGraphs",
            "QtGraphsWidgets",
            "QtPdf",
            "QtPdfWidgets",
            "QtDesigner",
            "QtUiTools",
            "QtHelp",
            "QtSql",
            "QtTest",
            "QtLocation",
            "QtPositioning",
            "QtBluetooth",
            "QtNfc",
            "QtSensors",
            "QtSerialPort",
            "QtSerialBus",
            "QtRemoteObjects",
            "QtScxml",
            "QtStateMachine",
            "QtXml",
            "QtAxContainer",
        )
    ),
]

# Files the hooks collect that the app never opens, as glob patterns over paths in the bundle.
# KEEP_PATTERNS win over DROP_PATTERNS.
KEEP_PATTERNS = [
    # `import torch` checks that this helper exists (torch/__init__.py, _manager_path)
    "torch/bin/torch_shm_manager*",
    # Babel: core.spans reads German and writes US English, and a locale inherits from root only
    "babel/locale-data/root.dat",
    "babel/locale-data/de.dat",
    "babel/locale-data/en.dat",
    "babel/locale-data/en_US.dat",
]
DROP_PATTERNS = [
    # torch: C++ test programs and protoc; headers and CMake files for building extensions;
    # test/demo libraries that torch loads only from its own test suite
    "torch/bin/*",
    "torch/test/*",
    "torch/include/*",
    "torch/share/*",
    "torch/lib/*torchbind_test.*",
    "torch/lib/*jitbackend_test.*",
    "torch/lib/*backend_with_compiler.*",
    "torch/lib/*aoti_custom_ops.*",
    # CUDA/ROCm libraries, should a CUDA build of torch be installed where the bundle is built: the
    # bundle is CPU-only (build on a CPU torch; see packaging/README.md)
    "nvidia/*",
    "torch/lib/libcu*",
    "torch/lib/libnv*",
    "torch/lib/libc10_cuda*",
    "torch/lib/libtorch_cuda*",
    "torch/lib/libcaffe2_nvrtc*",
    "torch/lib/libnccl*",
    "triton/*",
    # Qt: no QTranslator is installed (the UI is English only), so no Qt translation is ever loaded
    "PySide6/Qt/translations/*",
    # Qt plugins for embedded/kiosk set-ups (input from evdev/tslib, EGL full-screen devices)
    # and the platform plugins that go with them (EGL full screen, framebuffer, VNC, Vulkan display);
    # kept: xcb, wayland, offscreen, minimal
    "PySide6/Qt/plugins/generic/*",
    "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/plugins/platforms/libqeglfs.*",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.*",
    "PySide6/Qt/plugins/platforms/libqminimalegl.*",
    "PySide6/Qt/plugins/platforms/libqvnc.*",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.*",
    "*libQt6EglFSDeviceIntegration.*",
    "*libQt6EglFsKmsSupport.*",
    "*libQt6VncServer*",
    # Babel's other 1,000 locales (35 MB): see KEEP_PATTERNS
    "babel/locale-data/*",
    # any package's test data
    "*/tests/*",
    "*/test/*",
]


# torch's test helpers (torch.testing._internal: 11 MB of sources, importing pytest, hypothesis and
# expecttest) are left out, except the few modules torch itself imports at run time
# (torch.utils.checkpoint -> logging_tensor, torch.distributed -> fake_pg; checked with translate,
# train and the GUI).
TORCH_TESTING_KEEP = {
    "torch.testing._internal",
    "torch.testing._internal.common_dtype",
    "torch.testing._internal.logging_tensor",
    "torch.testing._internal.distributed",
    "torch.testing._internal.distributed.fake_pg",
}


def torch_testing_excludes() -> list[str]:
    """Every torch.testing._internal module or package except TORCH_TESTING_KEEP (found on disk,
    without importing torch)."""
    import importlib.util

    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return []
    base = Path(list(spec.submodule_search_locations)[0]) / "testing" / "_internal"
    excludes = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base)
        if "__pycache__" in rel.parts or path.name == "__init__.py":
            continue
        if path.is_dir() and (path / "__init__.py").is_file() or path.suffix == ".py":
            name = ".".join(("torch", "testing", "_internal", *rel.with_suffix("").parts))
            # a kept module's parent package must stay; anything else inside an excluded package goes with it
            kept = name in TORCH_TESTING_KEEP or any(k.startswith(name + ".") for k in TORCH_TESTING_KEEP)
            if not kept and not any(name.startswith(e + ".") for e in excludes):
                excludes.append(name)
    return excludes


def dropped(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    if any(fnmatch.fnmatchcase(dest, pattern) for pattern in KEEP_PATTERNS):
        return False
    return any(fnmatch.fnmatchcase(dest, pattern) for pattern in DROP_PATTERNS)


# --- icons for Windows (.ico) and macOS (.icns), made from the PNGs: no Pillow needed -------------


def write_ico(pngs: dict[int, Path], out: Path) -> Path:
    """An .ico holding the PNGs of 16..256 px as PNG-compressed images (Windows Vista and later)."""
    images = [(size, pngs[size].read_bytes()) for size in sorted(pngs) if size <= 256 and pngs[size].is_file()]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        dim = 0 if size == 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    out.write_bytes(header + entries + blobs)
    return out


_ICNS_TYPES = {
    16: [b"icp4"],
    32: [b"icp5", b"ic11"],
    64: [b"icp6", b"ic12"],
    128: [b"ic07"],
    256: [b"ic08", b"ic13"],
    512: [b"ic09", b"ic14"],
}


def write_icns(pngs: dict[int, Path], out: Path) -> Path:
    """An .icns holding the PNGs (macOS 10.7 and later read PNG data for every entry type used)."""
    body = b""
    for size, types in _ICNS_TYPES.items():
        if pngs.get(size) and pngs[size].is_file():
            data = pngs[size].read_bytes()
            for kind in types:
                body += kind + struct.pack(">I", 8 + len(data)) + data
    out.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)
    return out
