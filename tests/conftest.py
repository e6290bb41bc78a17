"""Shared test setup: choose the hypothesis profile (see ``minitorch/testing/profiles.py``).

``HYPOTHESIS_PROFILE=grading pytest`` picks a profile by name; with ``CI`` set the
``ci`` profile runs, otherwise the quick ``dev`` one.
"""
try:
    from minitorch.testing.profiles import load_profile
except ImportError:  # hypothesis missing: its tests fail on import and say so; the others still run
    pass
else:
    load_profile()
