import json
import subprocess
import sys

import pytest

from translator_app.cli.main import main
from translator_app.core.paths import DEFAULT_MODEL


def test_translate_argument(tiny_model_dir, capsys):
    assert main(["translate", "--model", str(tiny_model_dir), "Ein Mann fährt Fahrrad."]) == 0
    out = capsys.readouterr().out.strip()
    assert out and "<unk>" not in out


def test_translate_stdin_keeps_order_one_line_each(tiny_model_dir, capsys, monkeypatch):
    import io

    lines = ["Ein Hund.", "", "Zwei Katzen schlafen.", "Eine Frau liest ein Buch."]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["translate", "--model", str(tiny_model_dir), "--beam", "2"]) == 0
    out = capsys.readouterr().out.split("\n")[:-1]
    assert len(out) == 4 and out[1] == ""


def test_translate_json_with_alternatives(tiny_model_dir, capsys):
    assert main(["translate", "--model", str(tiny_model_dir), "--json", "--n-best", "3", "--beam", "4", "Ein Mann schläft."]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["text"] == record["alternatives"][0]["text"]
    assert 1 <= len(record["alternatives"]) <= 3 and isinstance(record["confidence"], float)


def test_translate_scores_are_the_windows_confidence_scale(tiny_model_dir, capsys):
    """Issue 29, item 11: --json and --n-best give the mean token log-probability the window's marks and
    alternatives show (a one-sentence text's best alternative is its sentence's confidence), not the search's score."""
    args = ["translate", "--model", str(tiny_model_dir), "--n-best", "3", "--beam", "4", "Ein Mann schläft."]
    assert main([*args, "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert "score" not in record and all(set(a) == {"text", "confidence"} for a in record["alternatives"])
    assert record["confidence"] == record["alternatives"][0]["confidence"] == record["sentences"][0]["confidence"]
    assert main(args) == 0
    ranked = [line.split("\t") for line in capsys.readouterr().out.splitlines() if line]
    assert [(float(c), t) for _, c, t in ranked] == [(a["confidence"], a["text"]) for a in record["alternatives"]]


def test_bad_model_and_bad_option_are_one_line_errors(tiny_model_dir, capsys, tmp_path):
    assert main(["translate", "--model", str(tmp_path / "missing"), "Hallo"]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert main(["translate", "--model", str(tiny_model_dir), "--beam", "0", "Hallo"]) == 2
    assert "beam width" in capsys.readouterr().err


def test_models_lists_shipped_and_user_models(shipped_dir_with_tiny, capsys):
    assert main(["models", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records[0]["name"] == DEFAULT_MODEL and records[0]["shipped"] and records[0]["architecture"] == "lstm"
    assert main(["models"]) == 0
    assert DEFAULT_MODEL in capsys.readouterr().out


def test_python_m_end_to_end(tiny_model_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "translator_app", "translate", "--model", str(tiny_model_dir), "Ein Hund läuft."],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() and "Traceback" not in proc.stderr


@pytest.mark.fault(15, "evaluate --output into an existing folder")
def test_evaluate_output_into_a_folder_fails_before_decoding(tiny_model_dir, tmp_path, capsys):
    pairs = [("Ein Hund läuft.", "A dog runs.")] * 3
    (tmp_path / "s.de").write_text("\n".join(p[0] for p in pairs), encoding="utf-8")
    (tmp_path / "s.en").write_text("\n".join(p[1] for p in pairs), encoding="utf-8")
    (tmp_path / "out").mkdir()
    assert (
        main(
            [
                "evaluate",
                "--model",
                str(tiny_model_dir),
                "--src",
                str(tmp_path / "s.de"),
                "--ref",
                str(tmp_path / "s.en"),
                "--output",
                str(tmp_path / "out"),
            ]
        )
        == 2
    )
    assert "it is a folder" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.fault(7, "translate from stdin: bare CR, invalid UTF-8")
def test_stdin_keeps_one_output_line_per_input_line(tiny_model_dir):
    data = "Ein Hund läuft.\rEin Mann.\nZwei Frauen.\n".encode() + b"Eine Katze \xff\xfe schl\xe4ft.\n" + "Ein Kind.\n".encode()
    proc = subprocess.run(
        [sys.executable, "-m", "translator_app", "translate", "--model", str(tiny_model_dir), "--beam", "1"],
        input=data,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(proc.stdout.decode().splitlines()) == 4  # 4 lines in, 4 out
    assert "line 3 is not valid UTF-8" in proc.stderr.decode() and b"Traceback" not in proc.stderr


def test_a_translation_cut_by_the_maximum_length_says_so(tiny_model_dir, capsys):
    text = "Ein Mann mit einem orangefarbenen Hut starrt auf etwas."
    assert main(["translate", "--model", str(tiny_model_dir), "--max-len", "3", text]) == 0
    captured = capsys.readouterr()
    assert "1 sentence reached the maximum output length (3 subwords" in captured.err
    assert main(["translate", "--model", str(tiny_model_dir), "--max-len", "3", "--json", text]) == 0
    assert json.loads(capsys.readouterr().out)["sentences"][0]["truncated"] is True
    assert main(["translate", "--model", str(tiny_model_dir), "Ein Hund."]) == 0
    assert "maximum output length" not in capsys.readouterr().err


def _cli_import_graph() -> dict[str, set[str]]:
    """Each module of translator_app.cli -> the CLI modules it imports, at the top or inside a
    function, packages included (importing a.b.c runs a.b's __init__ first)."""
    import ast
    from pathlib import Path

    import translator_app

    root = Path(translator_app.__file__).parent.parent
    paths = {
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
        for p in (root / "translator_app" / "cli").rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package.rsplit(".", node.level - 1)[0] if node.level else ""
                module = ".".join(part for part in (base, node.module) if part)
                targets.add(module)
                targets.update(f"{module}.{alias.name}" for alias in node.names)
        prefixes = {".".join(t.split(".")[:i]) for t in targets for i in range(1, t.count(".") + 2)}
        graph[name] = {t for t in prefixes if t in paths and t != name and not name.startswith(t + ".")}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph as the list of modules around it, or [] when there is none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return path[path.index(node) :] + [node]
        if node in done:
            return []
        for target in sorted(graph[node]):
            found = visit(target, path + [node])
            if found:
                return found
        done.add(node)
        return []

    for node in sorted(graph):
        found = visit(node, [])
        if found:
            return found
    return []


def test_cli_modules_import_no_cycle():
    from translator_app.cli.main import COMMANDS

    graph = _cli_import_graph()
    assert graph["translator_app.cli.main"] >= {command.__name__ for command in COMMANDS}  # the graph sees imports
    assert "translator_app.cli.decoding" in graph["translator_app.cli.commands.translate"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert not _cycle(graph), " -> ".join(_cycle(graph))


def test_every_command_module_registers_its_subcommand_and_handler():
    import argparse
    import pkgutil

    from translator_app.cli import commands
    from translator_app.cli.main import COMMANDS

    assert {m.name for m in pkgutil.iter_modules(commands.__path__)} == {c.__name__.rpartition(".")[2] for c in COMMANDS}
    for command in COMMANDS:
        subparsers = argparse.ArgumentParser().add_subparsers()
        command.register(subparsers)
        name = command.__name__.rpartition(".")[2]
        assert list(subparsers.choices) == [name]
        assert subparsers.choices[name].get_default("handler") is command.run


def test_english_input_is_said_to_look_english_on_stderr_and_in_json(tiny_model_dir, capsys):
    english = "What is the work of that, I don't have it?"
    assert main(["translate", "--model", str(tiny_model_dir), english]) == 0
    captured = capsys.readouterr()
    assert "looks like English, not German" in captured.err and "looks like" not in captured.out
    assert main(["translate", "--model", str(tiny_model_dir), "--json", english]) == 0
    captured = capsys.readouterr()
    record = json.loads(captured.out)
    assert record["not_german"] is True and record["language"]["code"] == "en"
    assert "looks like English" in captured.err
    assert main(["translate", "--model", str(tiny_model_dir), "--json", "Ein Mann fährt mit dem Fahrrad zur Arbeit."]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["not_german"] is False and "looks like" not in captured.err
