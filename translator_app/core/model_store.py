"""Managing installed models: list, rename, delete, import, export, read the card (GUI and CLI alike).

Shipped models are only ever read; the user's own live in ``user_models_dir()``. Every change is
one rename, so a reader (the app, a second window, a kill mid-way) sees a whole model or none:
deleting renames the folder aside first (``remove_tree_atomically``); importing unpacks into a
hidden ``.partial`` folder beside the user models, validates it exactly as loading does
(``load_model_folder``: config, vocabulary, safetensors header shapes, nothing unpickled) and only
then renames it into place. A ``.zip`` is someone else's data: nothing in it is executed, and
entries that could write outside the folder (absolute paths, ``..``, links) or fill the disk
(too many files, too many bytes, one file over its bound: a 2 MB config, not 1 GB) refuse the whole
archive before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from pathlib import Path, PurePosixPath
from typing import Callable, TypeVar

from translator_app.core.atomic import (
    PARTIAL,
    remove_tree_atomically,
    replace_folder,
    temp_sibling,
    write_atomic_with,
    write_file_atomic,
)
from translator_app.core.catalog import ModelInfo, is_shipped, list_models, model_role
from translator_app.core.types.errors import AlreadyExists, AppError, ErrorKind, InvalidInput
from translator_app.core.types.modelformat import (
    CARD_FILE,
    CONFIG_FILE,
    FILE_BOUNDS,
    REPLAY_FILE,
    SHORTLIST_FILE,
    VOCAB_FILE,
    WEIGHTS_FILE,
    ModelFileError,
    read_card,
    read_config,
)
from translator_app.core.types.model_names import check_name_rules, normalized_name
from translator_app.core.paths import shipped_models_dir, user_models_dir

MODEL_FILES = (
    CONFIG_FILE,
    WEIGHTS_FILE,
    VOCAB_FILE,
    CARD_FILE,
    SHORTLIST_FILE,
    REPLAY_FILE,
)  # what a model folder is; nothing else is copied
MAX_ARCHIVE_ENTRIES = 8  # an exported model has at most 6 files and 1 folder entry
MAX_UNPACKED_BYTES = 2 * 1024**3  # far above any model this app trains (~20-200 MB); stops zip bombs
_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_MAC_FOLDER = "__MACOSX"  # resource forks macOS adds when zipping: checked, never extracted


def test_bleu(info: ModelInfo) -> dict[str, float]:
    """sacreBLEU per domain's test set as measured at publishing; a card from before the general test
    sets has only Multi30k's, which is the captions domain."""
    legacy = info.metrics.get("test_sacrebleu")
    return info.domain_scores or ({"captions": float(legacy)} if isinstance(legacy, (int, float)) else {})


class ModelStoreError(AppError):
    """A refused model operation; the message says what and why, in one line."""


class ModelStoreFailure(ModelStoreError):
    """A model operation the system stopped (a full disk, a read-only folder): not the user's input."""

    kind = ErrorKind.FAILURE


class ReadOnlyModelError(ModelStoreError):
    """The model is shipped with the app: it can be used and exported, never changed."""


class NameTakenError(ModelStoreError):
    """The name is already a model's (shipped or user): the caller can offer another name."""


class UnsafeArchiveError(ModelStoreError):
    """A zip that could write outside its folder or fill the disk; nothing of it was written."""


class ExportTargetError(ModelStoreError):
    """The export's destination would overwrite a file (without ``force``) or is not a ``.zip``."""


_T = TypeVar("_T")


def _plain_errors(func: Callable[..., _T]) -> Callable[..., _T]:
    """A full disk or a read-only folder becomes a ModelStoreFailure, so both shells show one line."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise ModelStoreFailure(f"{func.__name__.replace('_', ' ')} failed: {exc.strerror or exc}{where}") from None

    return wrapper


@dataclass(frozen=True)
class StoredModel:
    """One row of the model manager: the catalog's facts plus what only the manager shows."""

    info: ModelInfo
    date: str  # "2025-11-29": the training start from config.json, else the config's mtime
    role: str  # "default", "best quality" or "" (catalog.model_role)

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def read_only(self) -> bool:
        return self.info.shipped

    @property
    def has_card(self) -> bool:
        return (self.info.path / CARD_FILE).is_file()


def model_date(info: ModelInfo) -> str:
    """When the model was made: the training's "started" if recorded, since copying resets mtimes."""
    try:
        started = read_config(info.path).get("training", {}).get("started")
        if isinstance(started, str) and started.strip():
            return started.strip()[:10]
    except (ModelFileError, OSError, AttributeError):
        pass
    for candidate in (info.path / CONFIG_FILE, info.path):
        try:
            return datetime.fromtimestamp(candidate.stat().st_mtime).strftime("%Y-%m-%d")
        except OSError:
            continue
    return ""


def list_stored() -> list[StoredModel]:
    """Every shipped and user model, in the catalog's order, with date and role."""
    models = list_models()
    return [StoredModel(m, model_date(m), model_role(m, models)) for m in models]


def check_name(name: str) -> None:
    """A model name must be a safe folder name everywhere (core.types.model_names); raised as one ModelStoreError."""
    try:
        check_name_rules(name)
    except ValueError as exc:
        raise ModelStoreError(str(exc)) from None


def check_new_name(name: str) -> None:
    """A name must be a valid one and no model's yet, ignoring case: on Windows and macOS "Mein Modell"
    and "mein modell" would be one folder, so a model moved there must not meet its twin."""
    check_name(name)
    key = name.casefold()
    for root, what in ((shipped_models_dir(), "shipped model"), (user_models_dir(), "model")):
        if not root.is_dir():
            continue
        for folder in root.iterdir():
            if folder.name == name or normalized_name(folder.name).casefold() == key:
                where = "" if root == shipped_models_dir() else f" in {root}"
                same = "" if folder.name == name else f" (as {folder.name!r}: names that differ only in capitals are one)"
                raise NameTakenError(f"a {what} named {name!r} already exists{where}{same}; choose another name")


def validate_model_name(name: str) -> None:
    """A new model's name: a valid one (ValueError) and no model's yet, ignoring case as Windows and macOS
    do (FileExistsError): the model manager's ``check_new_name``, so a trained model can be renamed back."""
    try:
        check_new_name(name)
    except NameTakenError as exc:
        raise AlreadyExists(str(exc)) from None
    except ModelStoreError as exc:
        raise InvalidInput(str(exc)) from None


def locate(name: str) -> Path:
    """The folder of the model called ``name`` (shipped names win, as when loading)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):  # hidden names are temporaries
        raise ModelStoreError(f"{name!r} is not a model name")
    for root in (shipped_models_dir(), user_models_dir()):
        if (root / name).is_dir():
            return root / name
    installed = ", ".join(m.name for m in list_models()) or "none installed"
    raise ModelStoreError(f"no model named {name!r} (installed: {installed})")


def user_model(name: str) -> Path:
    """The folder of a user model that may be changed; a shipped one is refused by name."""
    folder = locate(name)
    if is_shipped(folder):
        raise ReadOnlyModelError(
            f"{name!r} is shipped with the app and is read-only; export it and import the copy under another name to change it"
        )
    return folder


@_plain_errors
def rename_model(old: str, new: str) -> Path:
    """Rename a user model: one folder rename, then its config's name follows."""
    folder = user_model(old)
    new = normalized_name(new)
    if new == old:
        return folder
    if new.casefold() == old.casefold():  # only the capitals change: no other model's name is at stake
        check_name(new)
    else:
        check_new_name(new)
    target = user_models_dir() / new
    os.rename(folder, target)
    with contextlib.suppress(ModelFileError, OSError):  # a damaged config stays as it was; the rename stands
        _name_copy(target, new)
    return target


@_plain_errors
def delete_model(name: str) -> Path:
    """Delete a user model as one step (renamed aside, then removed); returns where it was."""
    folder = user_model(name)
    remove_tree_atomically(folder)
    return folder


@_plain_errors
def model_card(name: str) -> tuple[Path, str]:
    """The model card (README.md) of any model: its path and text."""
    path = locate(name) / CARD_FILE
    if not path.is_file():
        raise ModelStoreError(f"{name!r} has no model card ({CARD_FILE})")
    try:
        return path, read_card(path.parent)
    except ModelFileError as exc:
        raise ModelStoreError(str(exc)) from None


def suggested_name(source: Path) -> str:
    """The name an import takes by default: the zip's folder (or the zip's name without ".zip"), or the folder's."""
    source = Path(source)
    if source.is_file() and zipfile.is_zipfile(source):
        try:
            with zipfile.ZipFile(source) as zf:
                files = [PurePosixPath(i.filename) for i in zf.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError):
            files = []
        tops = {p.parts[0] for p in files if len(p.parts) == 2 and p.parts[0] != _MAC_FOLDER}
        return normalized_name(tops.pop() if len(tops) == 1 else source.stem)
    return normalized_name(source.stem if source.suffix.lower() == ".zip" else source.name)


def check_source(source: Path) -> None:
    """Refuse, before anything is asked or written, what cannot be a model: saying why, in one line.

    A folder must hold a config.json; a .zip must be whole (a download cut short has no directory at
    its end, which ``zipfile`` calls "not a zip file") and hold a model's files. Everything else
    (weights, vocabulary) is checked by loading it, once the name is known.
    """
    source = Path(source).expanduser()
    if not source.exists():
        raise ModelStoreError(f"{source}: no such file or folder")
    if source.is_dir():
        if not (source / CONFIG_FILE).is_file():
            raise ModelStoreError(f"{source}: not a model folder (no {CONFIG_FILE} inside)")
        return
    if not zipfile.is_zipfile(source):
        if source.suffix.lower() == ".zip":
            raise ModelStoreError(
                f"{source}: damaged or incomplete .zip file (its table of contents is missing; was it cut short "
                "while downloading or copying?)"
            )
        raise ModelStoreError(f"{source}: neither a model folder nor a .zip file")
    try:
        with zipfile.ZipFile(source) as zf:
            _plan_archive(zf, source)
            broken = zf.testzip()  # reads every member once: a damaged one is found now, not after the name
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError) as exc:
        raise ModelStoreError(f"{source}: damaged or unsupported .zip file ({exc})") from None
    if broken is not None:
        raise ModelStoreError(f"{source}: damaged .zip file ({broken} does not match its checksum)")


@_plain_errors
def import_model(source: Path, name: str | None = None) -> Path:
    """Install a model folder or exported ``.zip`` as a user model, validated before it appears."""
    source = Path(source).expanduser()
    check_source(source)
    name = normalized_name(name) if name else suggested_name(source)
    check_new_name(name)
    target = user_models_dir() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_sibling(target, PARTIAL)
    tmp.mkdir()
    try:
        if source.is_dir():
            _copy_model_files(source, tmp)
        else:
            _extract_archive(source, tmp)
        _validate(tmp, source)
        _name_copy(tmp, name)
        if target.exists():  # taken while we validated (another window, a training run)
            raise NameTakenError(f"a model named {name!r} appeared meanwhile; choose another name")
        replace_folder(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


@_plain_errors
def export_model(name: str, destination: Path, force: bool = False) -> Path:
    """Write a model to a ``.zip`` (files under a folder named after it), atomically; returns the zip.

    An existing file is replaced only with ``force`` (the window asks first), and the name must end
    in ``.zip``: a typo such as ``notes.txt`` must not cost the user that file.
    """
    folder = locate(name)
    read_config(folder)  # a damaged model would export a zip no app can import
    destination = Path(destination).expanduser()
    if destination.is_dir():
        destination = destination / f"{name}.zip"
    if destination.suffix.lower() != ".zip":
        raise ExportTargetError(f"{destination}: an exported model is a .zip; give a name ending in .zip")
    if (destination.exists() or destination.is_symlink()) and not force:
        raise ExportTargetError(f"{destination}: already exists; not overwritten (use --force to replace it)")
    if destination.is_dir():
        raise ExportTargetError(f"{destination}: is a folder; give the name of a .zip file")
    destination.parent.mkdir(parents=True, exist_ok=True)

    def write_zip(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            for file_name in MODEL_FILES:
                path = folder / file_name
                if path.is_file() and not path.is_symlink():
                    zf.write(path, f"{name}/{file_name}")

    write_atomic_with(destination, write_zip)
    return destination


# ---- helpers ------------------------------------------------------------------------------------


def _name_copy(folder: Path, name: str) -> None:
    """Give a user's model its name everywhere the window shows one: config.json and the card's title.

    Its description and card lose any claim to be the app's default or best-quality model (a
    renamed or imported copy is neither) and say which model it copies (core.model_card).
    """
    from translator_app.core.model_card import copy_description, retitle_card
    from translator_app.core.modelfile import update_config_fields

    config = read_config(folder)
    old_name, old_description = str(config.get("name") or ""), str(config.get("description") or "")
    description = copy_description(old_description, old_name if old_name != name else "")
    if (old_name, old_description) != (name, description):
        update_config_fields(folder, name=name, description=description)
    if (folder / CARD_FILE).is_file():
        card = read_card(folder)
        renamed = retitle_card(card, old_name, name, old_description, description)
        if renamed != card:
            write_file_atomic(folder / CARD_FILE, renamed.encode("utf-8"))


def _copy_model_files(source: Path, tmp: Path) -> None:
    """Copy only the model's own files; a link could point anywhere, so it is refused."""
    copied = 0
    for file_name in MODEL_FILES:
        path = source / file_name
        if path.is_symlink():
            raise UnsafeArchiveError(f"{path}: is a symbolic link; copy the real file into the folder")
        if path.is_file():
            copied += path.stat().st_size
            if copied > MAX_UNPACKED_BYTES:
                raise UnsafeArchiveError(f"{source}: larger than {MAX_UNPACKED_BYTES // 1024**2} MB; not a model of this app")
            _check_member_size(file_name, path.stat().st_size, source)
            shutil.copyfile(path, tmp / file_name)


def _check_member_size(file_name: str, size: int, source: Path) -> None:
    """A model file over its bound (``FILE_BOUNDS``: a config of 2 MB, not 1 GB) refuses the import."""
    bound = FILE_BOUNDS[file_name]
    if size > bound.max_bytes:
        raise UnsafeArchiveError(
            f"{source}: its {file_name} is {size / 1024**2:,.1f} MB, more than the "
            f"{bound.max_bytes / 1024**2:g} MB a {bound.what} of this app can be; refused"
        )


def _member_path(info: zipfile.ZipInfo, archive: Path) -> PurePosixPath:
    """An entry's path, refused if it is absolute, climbs out with "..", or is a link or device."""
    raw = info.filename
    path = PurePosixPath(raw)
    if raw.startswith(("/", "\\")) or _DRIVE.match(raw) or "\\" in raw:
        raise UnsafeArchiveError(f"{archive}: entry {raw!r} has an absolute or Windows path; refused")
    if ".." in path.parts:
        raise UnsafeArchiveError(f"{archive}: entry {raw!r} points outside the folder ('..'); refused")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        raise UnsafeArchiveError(f"{archive}: entry {raw!r} is a symbolic link; refused")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchiveError(f"{archive}: entry {raw!r} is not a plain file; refused")
    if info.flag_bits & 0x1:
        raise UnsafeArchiveError(f"{archive}: entry {raw!r} is encrypted; export the model again without a password")
    return path


def _plan_archive(zf: zipfile.ZipFile, archive: Path) -> dict[str, zipfile.ZipInfo]:
    """Check every entry before writing anything; returns model file name -> entry to extract."""
    infos = zf.infolist()
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise UnsafeArchiveError(f"{archive}: holds {len(infos)} entries; an exported model has at most {MAX_ARCHIVE_ENTRIES}")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise UnsafeArchiveError(
            f"{archive}: would unpack to {declared / 1024**2:.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES / 1024**2:.0f} MB any model needs; refused"
        )
    files = [(i, _member_path(i, archive)) for i in infos]
    files = [(i, p) for i, p in files if not i.is_dir() and p.parts and p.parts[0] != _MAC_FOLDER]
    tops = {p.parts[0] for _, p in files if len(p.parts) > 1}
    if any(len(p.parts) > 2 for _, p in files) or len(tops) > 1 or (tops and any(len(p.parts) == 1 for _, p in files)):
        raise ModelStoreError(f"{archive}: not a model archive (the files must sit in one folder, or at the top)")
    plan: dict[str, zipfile.ZipInfo] = {}
    for info, path in files:
        if path.name in plan:
            raise UnsafeArchiveError(f"{archive}: holds {path.name} twice; refused")
        if path.name in MODEL_FILES:
            _check_member_size(path.name, info.file_size, archive)
            plan[path.name] = info
    if CONFIG_FILE not in plan:
        raise ModelStoreError(f"{archive}: not a model archive (no {CONFIG_FILE} inside)")
    return plan


def _extract_archive(archive: Path, tmp: Path) -> None:
    """Unpack the model files by streaming, counting bytes, since a header can lie about sizes."""
    try:
        with zipfile.ZipFile(archive) as zf:
            plan = _plan_archive(zf, archive)
            written = 0
            for file_name, info in plan.items():
                member = 0
                with zf.open(info) as src, open(tmp / file_name, "wb") as dst:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        member += len(chunk)
                        if written > MAX_UNPACKED_BYTES:
                            raise UnsafeArchiveError(
                                f"{archive}: unpacks to more than {MAX_UNPACKED_BYTES / 1024**2:.0f} MB; refused"
                            )
                        _check_member_size(file_name, member, archive)
                        dst.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise ModelStoreError(f"{archive}: damaged or unsupported zip file ({exc})") from None


def _validate(tmp: Path, source: Path) -> None:
    """Load the candidate exactly as the app would; any failure refuses it, naming the source."""
    from translator_app.core.modelfile import load_model_folder

    try:
        load_model_folder(tmp, device="cpu")
    except ModelFileError as exc:
        raise ModelStoreError(f"not a usable model: {str(exc).replace(str(tmp), str(source))}") from None
    except Exception as exc:  # untrusted input: whatever loading raises means "refuse", never a crash
        raise ModelStoreError(f"{source}: not a usable model ({type(exc).__name__}: {exc})") from None
