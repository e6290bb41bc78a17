"""Hypothesis settings profiles for minitorch's tests: ``dev``, ``ci`` and ``grading``.

- ``dev``: a handful of examples per test, fast feedback while you work.
- ``ci``: more examples, derandomized (the same examples on every run, so a red CI
  is reproducible) and without the example database.
- ``grading``: like ``ci`` with a fixed number of examples and ``print_blob=True`` (a
  failure prints a blob that replays it), so every student is graded on the same
  examples and a local example database cannot change a grade.

No profile has a deadline: the first call of an op may compile numba code or
warm caches, and a slow laptop must not turn that into a failure.

``load_profile()`` picks the profile: the name in ``$HYPOTHESIS_PROFILE``, else
``ci`` when ``$CI`` is set (CI services set it), else ``dev``. ``pytest
--hypothesis-profile=NAME`` overrides both.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=8, deadline=None)
settings.register_profile(
    "ci", max_examples=30, derandomize=True, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "grading", max_examples=50, derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)

PROFILES = ("dev", "ci", "grading")


def load_profile(name=None):
    """Load profile ``name`` (or the one the environment asks for, see above); return its name."""
    if name is None:
        name = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    if name not in PROFILES:
        raise ValueError(f"unknown hypothesis profile {name!r}: choose one of {', '.join(PROFILES)}.")
    settings.load_profile(name)
    return name
