"""Exercise checks, all lessons: every solution passes, unanswered cells say so, feedback renders.

The notebooks pose the exercises that :mod:`conv1x1.solutions` solves: the
last test runs each notebook's exercise cells with the reference answers.
The mistakes of each lesson's exercises are tested in
``test_checks_lessonsNN_MM.py``.
"""

from __future__ import annotations

import decimal
import json
import re
from pathlib import Path

import numpy as np
import pytest

import conv1x1 as package
from conv1x1 import checks
from conv1x1.compute.data import load_photo, pillow_grey
from conv1x1.solutions import EXERCISES
from torch_support import import_torch

IDS = [f"{e.lesson}-{e.name}" for e in EXERCISES]
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_every_solution_passes_its_check(exercise):
    feedback = exercise.check(exercise.solve(**exercise.data), **exercise.data)
    assert feedback.correct, str(feedback)
    assert feedback.label == "Correct" and str(feedback).startswith("✔ Correct")


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
@pytest.mark.parametrize("answer", [..., None])
def test_unanswered_exercise_says_so(exercise, answer):
    feedback = exercise.check(answer, **exercise.data)
    assert not feedback.correct and not feedback.answered
    assert "Not answered yet" in str(feedback) and "replace the ..." in feedback.message


def test_the_lessons_have_their_exercises_in_order():
    lessons = dict.fromkeys(e.lesson for e in EXERCISES)             # in order of first appearance
    names = {lesson: [e.name for e in EXERCISES if e.lesson == lesson] for lesson in lessons}
    assert names == {
        "01": ["triple", "invert_with_bias", "shift_with_bias"],
        "02": ["one_pixel", "whole_volume"],
        "03": ["shrink_channels", "conv_multiplications", "conv_parameters"],
        "04": ["bottleneck_multiplications", "bottleneck_crossover"],
        "05": ["einsum_batch", "torch_to_ours"],
        "06": ["collapse_three_filters", "narrow_rank", "collapse_three_bias"],
        "07": ["grey709_as_3x3", "rotate_channels"],
        "08": ["pillow_filter", "gradient"],
        "09": ["layer_roles", "cost_ratio"],
        "10": ["separable_multiplications"],
    }


class RaisesOnRead:
    """An object NumPy cannot read: its __array__ raises."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("not readable")


#: Answers of every wrong type and value (issue 25: lesson 06's rank check raised on NaN and infinity).
HOSTILE = {
    "nan": float("nan"), "inf": float("inf"), "-inf": -float("inf"), "float32 nan": np.float32("nan"),
    "nan array": np.full(3, np.nan), "inf array": np.array([np.inf]), "Decimal nan": decimal.Decimal("NaN"),
    "Decimal infinity": decimal.Decimal("Infinity"), "huge int": 10 ** 400, "huge negative int": -10 ** 400,
    "largest float": 1e308, "complex": 1 + 2j, "complex array": np.array([1j, 2]),
    "True": True, "numpy False": np.bool_(False), "bool array": np.array([True, False]), "number string": "12",
    "string": "abc", "bytes": b"1", "dict": {"a": 1}, "empty dict": {}, "set": {1, 2}, "list of strings": ["a", "b"],
    "ragged list": [[1], [1, 2]], "empty list": [], "empty array": np.zeros((0,)), "list of None": [None],
    "object": object(), "function": len, "class": int, "generator": (k for k in range(3)),
    "unreadable": RaisesOnRead(), "date": np.datetime64("2020-01-01"), "structured": np.zeros(2, dtype=[("a", float)]),
}


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_every_check_answers_any_wrong_answer_with_feedback(exercise):
    right = np.asarray(exercise.solve(**exercise.data))
    answers = dict(HOSTILE)
    if right.dtype.kind in "iuf":                       # of the right shape, but not finite, or text
        answers["right shape, all NaN"] = np.full(right.shape, np.nan)
        answers["right shape, one infinity"] = np.where(np.arange(right.size).reshape(right.shape) == 0, np.inf, right)
        answers["right values as text"] = str(right.tolist())
    for name, answer in answers.items():
        feedback = exercise.check(answer, **exercise.data)
        assert isinstance(feedback, checks.Feedback) and not feedback.correct and feedback.answered, name
        assert feedback.message and "Not yet" in feedback._repr_html_(), name


def test_a_tensor_answer_counts_as_its_values_gradients_or_not():
    torch = import_torch()
    for exercise in EXERCISES:
        right = exercise.solve(**exercise.data)
        if isinstance(right, (str, dict)):
            continue
        tensor = torch.tensor(np.asarray(right, dtype=float), requires_grad=True)
        assert exercise.check(tensor, **exercise.data).correct, exercise.name
        assert not exercise.check(tensor * float("nan"), **exercise.data).correct


def test_what_is_not_a_number_is_named():
    assert "got True, a yes-or-no value" in checks.check_number(True, 1).message
    assert "got a whole number of 401 digits, too large for a float" in checks.check_number(10 ** 400, 1).message
    assert "got complex numbers" in checks.check_array([1j, 2], [1, 2]).message
    fb = checks.check_array([1.0, np.nan], [1.0, 2.0])
    assert "1 of 2 values are not finite numbers; first at index (1,): nan" in fb.message
    rank = exercise_named("narrow_rank")
    assert "your rank is nan, not a finite number" in rank.check(float("nan"), **rank.data).message
    assert "your rank is inf, not a finite number" in rank.check(float("inf"), **rank.data).message
    assert "(more than a million million times the right value)" in checks.check_number(1e300, 0.5).message
    assert "(less than a millionth of a millionth of the right value)" in checks.check_number(5e-324, 0.5).message


def exercise_named(name: str):
    return next(e for e in EXERCISES if e.name == name)


# -- feedback ------------------------------------------------------------------------------
def test_feedback_renders_as_text_and_html():
    ok = checks.check_number(3, 3)
    assert bool(ok) and str(ok) == "✔ Correct: 3 is right."
    bad = checks.check_number(4, 3)
    assert not bad and "Hint:" in str(bad)
    html = bad._repr_html_()
    assert "role='status'" in html and "Not yet" in html and "<b>Hint:</b>" in html
    assert "&lt;" in checks.Feedback(False, "a <b>", "x")._repr_html_()
    waiting = checks.check_number(..., 3)
    assert str(waiting).startswith("… Not answered yet") and "Not answered yet" in waiting._repr_html_()


def test_non_numeric_answers_get_told():
    x = package.lecture_image()[:, :, None].astype(float)
    fb = checks.check_conv_output("abc", x=x, w=[3.0])
    assert not fb and "must be an array of numbers; got str" in fb.message
    fb = checks.check_number([1, 2], 3)
    assert "single number" in fb.message and "(2,)" in fb.message


def test_a_wrong_value_is_never_shown_equal_to_the_right_one():
    fb = checks.check_array(np.array([9.0001]), np.array([9.0]))
    assert "you have 9.0001, expected 9" in fb.message
    assert "you have 9.0001, expected 9 (" in checks.check_number(9.0001, 9, rtol=0, atol=0).message


@pytest.mark.parametrize("value, expected, words", [
    (101_154_816, 14_450_688, "7 times the right value"),
    (51_580_928, 16_448, "3,136 times the right value"),
    (1, 9, "1/9 of the right value"),
    (5, 14_450_688, "about 1/2,900,000 of the right value"),
    (2.5, 1, "about 2.5 times the right value"),
    (16_612, 16_448, "164 more than the right value"),
    (-3, 4, "7 less than the right value"),
])
def test_how_far_off_is_said_in_words(value, expected, words):
    assert f"({words})." in checks.check_number(value, expected).message


def test_no_message_prints_a_long_float_or_an_exponent():
    """Wrong answers of every exercise, a little off and far off: numbers are short and grouped."""
    for exercise in EXERCISES:
        right = exercise.solve(**exercise.data)
        if isinstance(right, (str, dict)):
            continue
        for wrong in (np.asarray(right, dtype=float) * 1.0001 + 0.0003, np.asarray(right, dtype=float) * 3137 + 1):
            feedback = exercise.check(wrong, **exercise.data)
            text = feedback.message + " " + feedback.hint
            assert not re.search(r"\.0*[1-9]\d{4}|e[+-]\d\d|(?<![\d.,])\d{4}", text), f"{exercise.name}: {text}"


# -- the notebooks pose the exercises that solutions.py solves ------------------------------
def exercise_cells(notebook: Path) -> list[str]:
    """The sources of a notebook's exercise cells, in order: code cells with `answer = ...  # your code here`."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells
            if c["cell_type"] == "code" and "answer = ...  # your code here" in "".join(c["source"])]


def exercise_data(notebook: Path) -> dict:
    """The names defined by the notebook's code cells tagged ``exercise-data`` (the data its exercises share)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    namespace = cell_namespace()
    for c in cells:
        if c["cell_type"] == "code" and "exercise-data" in c.get("metadata", {}).get("tags", []):
            exec("".join(c["source"]), namespace)
    return namespace


def cell_namespace() -> dict:
    """What an exercise cell may use: what the lessons' setup cells import (plus its lesson's exercise-data cells)."""
    namespace = {"np": np, "checks": checks, "load_photo": load_photo, "pillow_grey": pillow_grey}
    namespace.update({name: getattr(package, name) for name in package.__all__})    # conv1x1, example_volume, ...
    return namespace


def run_exercise_cell(source: str, answer, data: dict | None = None) -> checks.Feedback:
    """Run an exercise cell with ``answer`` in place of its `...`; return the value of its check call.

    Each cell runs in a fresh copy of ``data`` (default :func:`cell_namespace`): it must build its own data
    or take it from its lesson's ``exercise-data`` cells, not from anything else defined earlier.
    """
    lines = source.splitlines()
    answer_lines = [k for k, line in enumerate(lines) if line.startswith("answer = ...")]
    assert len(answer_lines) == 1, f"expected one `answer = ...` line in:\n{source}"
    lines[answer_lines[0]] = "answer = reference_answer"
    body = "\n".join(lines)
    start = body.find("checks.check_", body.index("answer = reference_answer"))
    assert start >= 0 and "(answer" in body[start:], f"the cell must end with checks.check_...(answer, ...):\n{source}"
    namespace = (cell_namespace() if data is None else dict(data)) | {"reference_answer": answer}
    try:
        exec(body[:start], namespace)
        return eval(body[start:], namespace)      # the check call is the cell's last expression (it may span lines)
    except NameError as err:
        raise AssertionError(f"this exercise cell uses a name it does not define ({err}); each exercise cell must "
                             f"build its own data from the package or take it from a cell tagged exercise-data:"
                             f"\n{source}") from err


def check_notebook_exercises(notebooks: Path, lesson: str) -> None:
    """The lesson's notebook poses the exercises of EXERCISES, in order, with the same data."""
    found = sorted(notebooks.glob(f"{lesson}-*.ipynb"))
    assert len(found) == 1, f"expected one notebook {notebooks.name}/{lesson}-*.ipynb; found {[p.name for p in found]}"
    cells = exercise_cells(found[0])
    data = exercise_data(found[0])
    exercises = [e for e in EXERCISES if e.lesson == lesson]
    assert len(cells) == len(exercises), (
        f"{found[0].name} has {len(cells)} exercise cells; solutions.EXERCISES has {len(exercises)} for lesson "
        f"{lesson}: {[e.name for e in exercises]}")
    for source, exercise in zip(cells, exercises):
        feedback = run_exercise_cell(source, exercise.solve(**exercise.data), data)
        assert feedback.correct, f"{found[0].name}, {exercise.name}: the reference answer gets: {feedback}"
        waiting = run_exercise_cell(source, ..., data)
        assert not waiting.answered, f"{found[0].name}, {exercise.name}: `...` gets: {waiting}"


@pytest.mark.parametrize("lesson", sorted({e.lesson for e in EXERCISES}))
def test_notebook_exercises_use_the_data_of_the_reference_solutions(lesson):
    """Each exercise cell of notebooks/NN-*.ipynb, with its `...` replaced by the reference answer, says "Correct".

    The reference answer is computed from EXERCISES' data and checked with the notebook's data, so this fails
    if the two drift apart, if the cell checks something else, or if the notebook is missing.
    """
    check_notebook_exercises(NOTEBOOKS, lesson)


# The exercise cells as the notebooks should write them: each builds its own data from the package.
EXAMPLE_CELLS = {
    "01": [
        'x = lecture_image()[:, :, None].astype(float)\nanswer = ...  # your code here\n'
        'checks.check_conv_output(answer, x=x, w=[3.0])',
        'x = lecture_image()[:, :, None].astype(float)\nanswer = ...  # your code here\n'
        'checks.check_conv_output(answer, x=x, w=[-1.0], b=9.0, activation="relu")',
        'x = lecture_image()[:, :, None].astype(float)\nanswer = ...  # your code here\n'
        'checks.check_conv_output(answer, x=x, w=[1.0], b=-4.0, activation="relu")',
    ],
    "02": [
        'x = example_volume()\nw = example_filters(32, 4)\nb = np.array([0.5, -1.0, 0.0, 2.0])\n'
        'answer = ...  # your code here\n'
        'checks.check_pixel(answer, x=x, w=w[:, 0], i=1, j=4, b=b[0])',
        'x = example_volume()\nw = example_filters(32, 4)\nb = np.array([0.5, -1.0, 0.0, 2.0])\n'
        'answer = ...  # your code here\n'
        'checks.check_conv_output(answer, x=x, w=w, b=b, activation="relu")',
    ],
    "03": [
        'x_small = example_volume(8, 8, 12, seed=3)\nw_small = example_filters(12, 3, seed=4)\n'
        'answer = ...  # your code here\n'
        'checks.check_conv_output(answer, x=x_small, w=w_small, activation="relu")',
        'answer = ...  # your code here, e.g. 14 * 14 * ...\n'
        'checks.check_cost(answer, height=14, width=14, in_channels=64, out_channels=128, kernel_size=3)',
        'answer = ...  # your code here\n'
        'checks.check_cost(answer, height=56, width=56, in_channels=256, out_channels=64, kernel_size=1,\n'
        '                  quantity="parameters")',
    ],
    "04": [
        'answer = ...  # your code here\n'
        'checks.check_bottleneck_cost(answer, height=28, width=28, in_channels=256, out_channels=128, kernel_size=3,\n'
        '                             bottleneck=32)',
        'answer = ...  # your code here\n'
        'checks.check_bottleneck_crossover(answer, height=28, width=28, in_channels=256, out_channels=128,\n'
        '                                  kernel_size=3)',
    ],
    "05": [
        'x_batch = np.stack([example_volume(3, 4, 5, seed=0), example_volume(3, 4, 5, seed=1)])\n'
        'w_ex = example_filters(5, 6)\nanswer = ...  # your code here: a string such as "...,...->..."\n'
        'checks.check_einsum(answer, x=x_batch, w=w_ex)',
        'w_torch = np.round(np.random.default_rng(6).uniform(-1, 1, (3, 5, 1, 1)), 1)  # nn.Conv2d(5, 3, 1).weight\n'
        'answer = ...  # your code here\n'
        'checks.check_from_framework_weights(answer, w_torch, framework="pytorch")',
    ],
    "06": [
        'w_a = example_filters(6, 4, seed=2)\nw_b = example_filters(4, 3, seed=3)\nw_c = example_filters(3, 2, seed=7)\n'
        'answer = ...  # your code here\nchecks.check_collapsed_filters(answer, w_a, w_b, w_c)',
        'w_down = example_filters(6, 2, seed=9)\nw_up = example_filters(2, 6, seed=10)\n'
        'answer = ...  # your code here\nchecks.check_rank(answer, ws=[w_down, w_up])',
        'w_a = example_filters(6, 4, seed=2)\nw_b = example_filters(4, 3, seed=3)\nw_c = example_filters(3, 2, seed=7)\n'
        'b_a = np.array([0.5, 0.9, 0.8, 0.0])\nb_b = np.array([0.4, 0.6, -1.0])\nb_c = np.array([0.5, -0.4])\n'
        'answer = ...  # your code here\nchecks.check_collapsed_bias(answer, ws=[w_a, w_b, w_c], bs=[b_a, b_b, b_c])',
    ],
    "07": [
        'answer = ...  # your code here\nchecks.check_colour_mix(answer, "grey BT.709")',
        'answer = ...  # your code here\nchecks.check_colour_mix(answer, "rotate channels")',
    ],
    "08": [
        'photo = load_photo()\nby_pillow = pillow_grey()\nanswer = ...  # your code here\n'
        'checks.check_learned_bank(answer, photo, by_pillow, candidates=checks.GREY_STANDARDS)',
        'photo = load_photo()\nx_patch = photo[::100, ::100]\ny_patch = conv1x1(x_patch, colour_mix("sepia"))\n'
        'w_now = np.eye(3)\nanswer = ...  # your code here\n'
        'checks.check_gradient(answer, x_patch, y_patch, w_now)',
    ],
    "09": [
        'layers = {"A": dict(in_channels=32, out_channels=64, kernel_size=3, groups=1),\n'
        '          "B": dict(in_channels=32, out_channels=32, kernel_size=3, groups=32),\n'
        '          "C": dict(in_channels=32, out_channels=64, kernel_size=1, groups=1),\n'
        '          "D": dict(in_channels=32, out_channels=32, kernel_size=1, groups=32)}\n'
        'answer = ...  # your code here\nchecks.check_layer_roles(answer, layers)',
        'answer = ...  # your code here\n'
        'checks.check_cost_ratio(answer, in_channels=128, out_channels=256, kernel_size=3)',
    ],
    "10": [
        'answer = ...  # your code here\n'
        'checks.check_separable_cost(answer, height=40, width=40, in_channels=128, out_channels=256, kernel_size=3,\n'
        '                            stride=2)',
    ],
}


def write_notebook(path: Path, cells: list[str]) -> None:
    intro = {"cell_type": "code", "metadata": {}, "source": ["x = 1  # not an exercise"], "outputs": [],
             "execution_count": None}
    code = [{"cell_type": "code", "metadata": {}, "source": source.splitlines(keepends=True), "outputs": [],
             "execution_count": None} for source in cells]
    path.write_text(json.dumps({"cells": [intro] + code, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


def test_the_notebook_test_passes_cells_written_as_the_lessons_should(tmp_path):
    assert sorted(EXAMPLE_CELLS) == sorted({e.lesson for e in EXERCISES})
    for lesson, cells in EXAMPLE_CELLS.items():
        write_notebook(tmp_path / f"{lesson}-lesson.ipynb", cells)
        check_notebook_exercises(tmp_path, lesson)


@pytest.mark.parametrize("change, complaint", [
    (lambda cells: cells[:1], "has 1 exercise cells; solutions.EXERCISES has 3"),
    (lambda cells: [cells[0].replace("seed=2", "seed=1")] + cells[1:], "the reference answer gets"),
    (lambda cells: [cells[0].replace("w_a = example_filters(6, 4, seed=2)\n", "")] + cells[1:],
     "uses a name it does not define .name 'w_a' is not defined."),
    (lambda cells: [cells[0].replace("answer = ...", "answer = 0")] + cells[1:], "has 2 exercise cells"),
])
def test_the_notebook_test_fails_when_a_notebook_drifts(tmp_path, change, complaint):
    write_notebook(tmp_path / "06-lesson.ipynb", change(EXAMPLE_CELLS["06"]))
    with pytest.raises(AssertionError, match=complaint):
        check_notebook_exercises(tmp_path, "06")


def test_the_notebook_test_fails_when_the_notebook_is_missing_or_doubled(tmp_path):
    with pytest.raises(AssertionError, match=r"expected one notebook .*/07-\*\.ipynb; found \[\]"):
        check_notebook_exercises(tmp_path, "07")
    for name in ("07-colour-mixing.ipynb", "07-old.ipynb"):
        write_notebook(tmp_path / name, EXAMPLE_CELLS["07"])
    with pytest.raises(AssertionError, match="found"):
        check_notebook_exercises(tmp_path, "07")


def test_exercise_cells_may_share_data_from_a_cell_tagged_exercise_data(tmp_path):
    data = {"cell_type": "code", "metadata": {"tags": ["exercise-data"]}, "outputs": [], "execution_count": None,
            "source": ["x = lecture_image()[:, :, np.newaxis].astype(float)"]}
    cells = [c.replace("x = lecture_image()[:, :, None].astype(float)\n", "") for c in EXAMPLE_CELLS["01"]]
    write_notebook(tmp_path / "01-lesson.ipynb", cells)
    with pytest.raises(AssertionError, match="name 'x' is not defined"):
        check_notebook_exercises(tmp_path, "01")
    nb = json.loads((tmp_path / "01-lesson.ipynb").read_text())
    nb["cells"].insert(1, data)
    (tmp_path / "01-lesson.ipynb").write_text(json.dumps(nb))
    check_notebook_exercises(tmp_path, "01")
