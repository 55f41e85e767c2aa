"""For teachers (conv1x1.teach): the hub link, the installed package, and the solutions withheld.

* the nbgitpuller link: what it encodes, and the errors bad input gets;
* a plain (non-editable) install of the package works from any folder, data included: the
  lessons need the installed package, not the repository's layout (what a hub's image has);
* ``CONV1X1_SOLUTIONS=withheld``: the solutions module refuses, the checks still give feedback;
* a handout: no solution's source anywhere in it, no link to the solutions, the same checks,
  and lesson 01 runs there with the handout's own package installed, its exercises checked.

The real hub route (nbgitpuller in a Jupyter server, in Chromium) is tests/browser/test_hub_pull.py.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from conv1x1 import solutions, teach
from teach_support import ROOT, errors, install_package, installed_env, outputs_text, run_notebook

HUB = "https://hub.example.edu"


def query(link: str) -> dict[str, str]:
    parts = urllib.parse.urlsplit(link)
    pairs = urllib.parse.parse_qsl(parts.query, strict_parsing=True)
    assert len(pairs) == len(dict(pairs)), f"a parameter given twice: {pairs}"
    return dict(pairs)


# -- the link ------------------------------------------------------------------------------------
def test_link_clones_the_public_repository_and_opens_the_index_in_jupyterlab():
    link = teach.pull_link(HUB)
    assert link.startswith(f"{HUB}/hub/user-redirect/git-pull?")
    assert query(link) == {"repo": "https://github.com/conv1x1/conv1x1",
                           "urlpath": "lab/tree/conv1x1/notebooks/index.ipynb", "branch": "main"}
    # every value percent-encoded, as nbgitpuller's own link generator writes them
    assert "repo=https%3A%2F%2Fgithub.com%2Fconv1x1%2Fconv1x1&" in link
    assert "urlpath=lab%2Ftree%2Fconv1x1%2Fnotebooks%2Findex.ipynb&" in link
    assert (ROOT / "notebooks" / "index.ipynb").is_file()


@pytest.mark.parametrize("hub, base", [
    ("https://hub.example.edu/", "https://hub.example.edu"),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ("https://example.org/jupyter/", "https://example.org/jupyter"),     # a hub under a path prefix
])
def test_link_keeps_the_hubs_address(hub, base):
    assert teach.pull_link(hub).startswith(f"{base}/hub/user-redirect/git-pull?repo=")


def test_link_to_a_lesson_a_branch_and_another_repository():
    lesson = query(teach.pull_link(HUB, lesson="01", notebooks=ROOT / "notebooks"))
    assert lesson["urlpath"] == "lab/tree/conv1x1/notebooks/01-one-channel.ipynb"
    assert query(teach.pull_link(HUB, lesson="01-one-channel"))["urlpath"].endswith("/01-one-channel.ipynb")
    handout = query(teach.pull_link(HUB, repo="https://gitlab.example.edu/ml/conv1x1-class.git", branch="spring"))
    # nbgitpuller clones into the URL's last part, .git included: the link must open that folder
    assert handout == {"repo": "https://gitlab.example.edu/ml/conv1x1-class.git",
                       "urlpath": "lab/tree/conv1x1-class.git/notebooks/index.ipynb", "branch": "spring"}


def test_every_lesson_has_a_link():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        link = teach.pull_link(HUB, lesson=path.name[:2], notebooks=ROOT / "notebooks")
        assert query(link)["urlpath"] == f"lab/tree/conv1x1/notebooks/{path.name}"


@pytest.mark.parametrize("call, error, message", [
    (lambda: teach.pull_link("hub.example.edu"), ValueError,
     "hub_url (HUB_URL) must be the hub's address, such as https://hub.example.edu (http:// or https://, "
     "no query); got 'hub.example.edu'"),
    (lambda: teach.pull_link("ftp://hub.example.edu"), ValueError, "got 'ftp://hub.example.edu'"),
    (lambda: teach.pull_link("https://hub.example.edu/?next=1"), ValueError, "no query"),
    (lambda: teach.pull_link("https://hub.example.edu/hub/home"), ValueError,
     "without /hub/...: got 'https://hub.example.edu/hub/home'; try 'https://hub.example.edu'"),
    (lambda: teach.pull_link("https://hub.example.edu/user/ada/lab"), ValueError, "without /user/..."),
    (lambda: teach.pull_link(8000), TypeError, "hub_url (HUB_URL) must be a string"),
    (lambda: teach.pull_link(HUB, branch="my branch"), ValueError, "branch must not contain spaces"),
    (lambda: teach.pull_link(HUB, branch=""), TypeError, "branch must be a non-empty string; got ''"),
    (lambda: teach.pull_link(HUB, repo="https://github.com/"), ValueError, "repo must be a git URL ending in"),
    (lambda: teach.pull_link(HUB, lesson="99", notebooks=ROOT / "notebooks"), ValueError,
     "lesson '99' matches 0 notebooks"),
    (lambda: teach.pull_link(HUB, lesson="01"), ValueError, "lesson '01' is a number: give the notebook's file name"),
    (lambda: teach.pull_link(HUB, lesson="../README.md"), ValueError, "lesson must be a notebook's file name"),
    (lambda: teach.pull_link(HUB, lesson="01-nope", notebooks=ROOT / "notebooks"), ValueError, "has no 01-nope.ipynb"),
    (lambda: teach.pull_link(HUB, lesson="01", notebooks=1), TypeError, "notebooks must be a path"),
    (lambda: teach.pull_link(HUB, lesson="01", notebooks=ROOT / "nope"), ValueError, "nope is no folder"),
    (lambda: teach.solutions_withheld(["withheld"]), TypeError, "environ must be a mapping"),
])
def test_bad_link_arguments_get_a_clear_error(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


def test_link_command(capsys):
    assert teach.main(["link", HUB, "--lesson", "2"]) == 0
    assert query(capsys.readouterr().out.strip())["urlpath"].endswith("/02-many-channels.ipynb")
    assert teach.main(["link", "hub.example.edu"]) == 2
    assert "HUB_URL" in capsys.readouterr().err
    # as a teacher types it
    result = subprocess.run([sys.executable, "-m", "conv1x1.teach", "link", HUB], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == teach.pull_link(HUB)


# -- the installed package -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The repository's package installed the way a hub's image installs it (not editable)."""
    return install_package(ROOT, tmp_path_factory.mktemp("installed") / "site")


@pytest.mark.env
def test_installed_package_works_from_any_folder_with_its_data(installed, tmp_path):
    code = ("import conv1x1, conv1x1.checks, conv1x1.draw, conv1x1.explore, conv1x1.solutions\n"
            "from conv1x1.compute.data import load_photo, pillow_grey\n"
            "print(conv1x1.__file__)\n"
            "print(load_photo().shape, pillow_grey().shape, len(conv1x1.solutions.EXERCISES) > 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                            env=installed_env(installed))
    assert result.returncode == 0, result.stderr[-3000:]
    where, shapes = result.stdout.splitlines()
    assert Path(where).is_relative_to(installed), f"imported {where}, not the installed package in {installed}"
    assert shapes == "(600, 512, 3) (600, 512) True"


# -- the switch ----------------------------------------------------------------------------------
@pytest.mark.parametrize("environ, withheld", [
    ({}, False), ({"CONV1X1_SOLUTIONS": ""}, False), ({"CONV1X1_SOLUTIONS": "shown"}, False),
    ({"CONV1X1_SOLUTIONS": "withheld"}, True), ({"CONV1X1_SOLUTIONS": " Withheld "}, True),
])
def test_the_switch(environ, withheld):
    assert teach.solutions_withheld(environ) is withheld


def test_a_mistyped_switch_is_an_error_not_the_answers():
    with pytest.raises(ValueError, match=r"CONV1X1_SOLUTIONS must be 'withheld' or 'shown' \(or unset\); got 'yes'"):
        teach.solutions_withheld({"CONV1X1_SOLUTIONS": "yes"})


def test_withheld_solutions_refuse_and_the_checks_still_give_feedback():
    code = ("import numpy as np\n"
            "from conv1x1 import checks, lecture_image\n"
            "x = lecture_image()[:, :, None].astype(float)\n"
            "print(checks.check_conv_output(x[:, :, 0] * 2.0, x=x, w=[3.0]).message)\n"
            "print(checks.check_conv_output(x[:, :, 0] * 3.0, x=x, w=[3.0]).correct)\n"
            "try:\n"
            "    from conv1x1 import solutions\n"
            "except ImportError as err:\n"
            "    print(err)\n")
    env = dict(os.environ, CONV1X1_SOLUTIONS="withheld")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    wrong, right, refused = result.stdout.splitlines()
    assert "36 values differ" in wrong and "expected 3" in wrong
    assert right == "True"
    assert refused == teach.WITHHELD_BY_SWITCH


def test_the_checks_never_import_the_solutions():
    for path in (ROOT / "conv1x1" / "checks").glob("*.py"):
        assert "solutions" not in path.read_text(encoding="utf-8").split('"""', 2)[-1], path


# -- a handout -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def handout(tmp_path_factory) -> Path:
    return teach.handout(tmp_path_factory.mktemp("handout") / "conv1x1-class", source=ROOT)


def _text_files(folder: Path) -> dict[Path, str]:
    found = {}
    for path in folder.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(folder).parts:
            try:
                found[path] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                pass
    return found


def test_handout_holds_no_solution(handout):
    functions = [f for _, f in inspect.getmembers(solutions, inspect.isfunction) if f.__module__ == solutions.__name__]
    assert len(functions) >= 20
    texts = _text_files(handout)
    leaks = [f"{path.relative_to(handout)}: {what}" for path, text in texts.items()
             for f in functions
             for what in (f"def {f.__name__}(", *(inspect.getdoc(f) or "").splitlines()[:1]) if what in text]
    assert not leaks, "\n".join(leaks)
    assert not (handout / "tests").exists() and not (handout / "tools").exists()
    stub = (handout / "conv1x1" / "solutions.py").read_text(encoding="utf-8")
    assert "withheld" in stub and "EXERCISES" not in stub


def test_handout_lessons_say_the_solutions_are_withheld_and_nothing_else_changes(handout):
    for original in sorted((ROOT / "notebooks").glob("*.ipynb")):
        before = json.loads(original.read_text(encoding="utf-8"))
        after_text = (handout / "notebooks" / original.name).read_text(encoding="utf-8")
        after = json.loads(after_text)
        assert "solutions.py" not in after_text, original.name
        changed = [k for k, (a, b) in enumerate(zip(before["cells"], after["cells"])) if a != b]
        pointed = [k for k, cell in enumerate(before["cells"]) if "solutions.py" in "".join(cell["source"])]
        assert len(before["cells"]) == len(after["cells"]) and changed == pointed, (original.name, changed, pointed)
        for k in changed:
            cell = after["cells"][k]
            assert cell["cell_type"] == "markdown" and "withheld for this class" in "".join(cell["source"])
        assert before["metadata"] == after["metadata"]


def test_handout_is_a_git_repository_with_one_commit(handout):
    log = subprocess.run(["git", "-C", str(handout), "log", "--format=%s"], capture_output=True, text=True, check=True)
    assert log.stdout.strip().splitlines() == ["The conv1x1 course for a class, without its reference solutions"]
    status = subprocess.run(["git", "-C", str(handout), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""
    assert teach.main(["handout", str(handout), "--source", str(ROOT)]) == 2     # not over an existing handout


@pytest.mark.env
def test_handout_lesson_runs_and_checks_give_feedback_with_its_package_installed(handout, tmp_path):
    """Lesson 01 from the handout, with the handout's package installed: a learner's right and wrong answers."""
    site = install_package(handout, tmp_path / "site")
    env = installed_env(site)
    probe = subprocess.run([sys.executable, "-c", "import conv1x1.solutions"], capture_output=True, text=True,
                           cwd=tmp_path, env=env)
    assert probe.returncode == 1 and teach.WITHHELD_IN_HANDOUT in probe.stderr, probe.stderr[-2000:]
    lesson = handout / "notebooks" / "01-one-channel.ipynb"
    cells = json.loads(lesson.read_text(encoding="utf-8"))["cells"]
    exercises = [k for k, c in enumerate(cells) if c["cell_type"] == "code"
                 and "".join(c["source"]).startswith("answer = ...")]
    assert len(exercises) == 3
    nb = run_notebook(lesson, env, edits={
        exercises[0]: "answer = image * 2.0\nchecks.check_conv_output(answer, x=x, w=[3.0])",
        exercises[1]: "import conv1x1\nprint(conv1x1.__file__)",
    })
    assert errors(nb) == []
    texts = dict(zip([k for k, c in enumerate(cells) if c["cell_type"] == "code"], outputs_text(nb)))
    assert "Not yet" in texts[exercises[0]] and "expected 3" in texts[exercises[0]]
    assert Path(texts[exercises[1]].strip()).is_relative_to(site)
    assert "Not answered yet" in texts[exercises[2]]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"source": "/"}, ValueError, "source must be the conv1x1 course's repository"),
    ({"source": ROOT, "dest": ROOT / "notebooks" / "class"}, ValueError, "dest must not be inside notebooks"),
    ({"source": ROOT, "dest": ROOT}, FileExistsError, "dest must be a new or empty folder"),
    ({"source": 3}, TypeError, "source must be a path; got 3 (int)"),
    ({"source": ROOT, "git": "yes"}, TypeError, "git must be True or False"),
])
def test_bad_handout_arguments_get_a_clear_error(tmp_path, kwargs, error, message):
    kwargs.setdefault("dest", tmp_path / "class")
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        teach.handout(**kwargs)
    assert not (tmp_path / "class").exists()


def test_withhold_in_notebook_rejects_what_is_no_notebook():
    with pytest.raises(ValueError, match="text must be a notebook's JSON"):
        teach.withhold_in_notebook("{}")
    with pytest.raises(TypeError, match="text must be a notebook's JSON as a string; got 3 "):
        teach.withhold_in_notebook(3)
