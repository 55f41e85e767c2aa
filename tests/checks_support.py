"""Shared by the exercise-check tests (tests/test_checks*.py)."""

from __future__ import annotations

from conv1x1 import checks
from conv1x1.solutions import EXERCISES, Exercise


def wrong(feedback: checks.Feedback, *phrases: str) -> None:
    """A wrong answer: marked wrong, with a hint, and the message or hint says each phrase (case-insensitive)."""
    assert not feedback.correct and feedback.answered, str(feedback)
    assert feedback.hint, f"no hint for: {feedback}"
    text = (feedback.message + " " + feedback.hint).lower()
    for phrase in phrases:
        assert phrase.lower() in text, f"{phrase!r} not in: {feedback}"


def exercise(name: str) -> Exercise:
    """The exercise of that name in :data:`conv1x1.solutions.EXERCISES`."""
    (found,) = [e for e in EXERCISES if e.name == name]
    return found
