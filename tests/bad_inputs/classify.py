"""Run the battery of bad inputs and count the outcomes: clear, unhelpful or silent.

- clear: the error PyTorch raises (its class) with a message naming the op and the value;
- unhelpful: an error of another class, or one whose message lacks the op or the value;
- silent: no error at all (a wrong or surprising answer).

    python -m tests.bad_inputs.classify          # the counts, by area
    python -m tests.bad_inputs.classify -v       # and every case that is not clear
"""
import os
import sys
import tempfile
import warnings
from collections import Counter

if __name__ == "__main__":
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

from tests.bad_inputs import files as broken_files  # noqa: E402
from tests.bad_inputs.cases import CASES  # noqa: E402


def namespace(lib, files):
    """The names a case's code sees, bound to ``lib`` (minitorch or torch)."""
    import minitorch

    def params():
        return [lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(3))]

    return {"T": lib, "nn": lib.nn, "F": lib.nn.functional, "optim": lib.optim,
            "sched": lib.optim.lr_scheduler, "data": lib.utils.data, "x": lib.ones(2, 3),
            "params": params, "opt": lambda: lib.optim.SGD(params(), lr=0.1), "files": files,
            "mt": minitorch}


def run(case, lib, files):
    """The exception ``case`` raises under ``lib``, or None when it raises nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(case.code, namespace(lib, files))
        except Exception as e:  # the point: catch whatever the case raises, and judge it
            return e
    return None


def judge(case, error):
    """'clear', 'unhelpful' or 'silent' for the ``error`` that ``case`` raised."""
    if error is None:
        return "silent"
    message = str(error).lower()
    named = case.op.lower() in message and case.value.lower() in message
    return "clear" if isinstance(error, case.error) and named else "unhelpful"


def main(verbose=False):
    import minitorch

    with tempfile.TemporaryDirectory() as folder:
        files = broken_files.make(folder)
        counts, by_area = Counter(), {}
        for case in CASES:
            error = run(case, minitorch, files)
            verdict = judge(case, error)
            counts[verdict] += 1
            by_area.setdefault(case.area, Counter())[verdict] += 1
            if verbose and verdict != "clear":
                got = "nothing" if error is None else f"{type(error).__name__}: {str(error)[:160]}"
                print(f"[{verdict}] {case.id}\n    expected {case.error.__name__} naming "
                      f"{case.op!r} and {case.value!r}; got {got}")
    for area, c in by_area.items():
        print(f"{area:14s} clear {c['clear']:3d}  unhelpful {c['unhelpful']:3d}  silent {c['silent']:3d}")
    print(f"{len(CASES)} cases: clear {counts['clear']}, unhelpful {counts['unhelpful']}, "
          f"silent {counts['silent']}")
    return counts


if __name__ == "__main__":
    main(verbose="-v" in sys.argv)
