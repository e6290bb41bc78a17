"""Lesson 12 without MPI: it must say loudly that its ranks are simulated (issue 17, part 3),
never fall back silently. mpi4py is hidden from the lesson's interpreter (``sys.modules`` entry
None: ``find_spec`` then reports it absent and importing it fails), whether installed or not.
"""
import os
import pathlib
import subprocess
import sys

LESSON = pathlib.Path(__file__).resolve().parents[2] / "lessons" / "12_distributed.py"
WITHOUT_MPI = ("import runpy, sys; sys.modules['mpi4py'] = None; "
               f"runpy.run_path({str(LESSON)!r}, run_name='__main__')")


def test_without_mpi_the_lesson_says_loudly_that_its_ranks_are_simulated(tmp_path):
    env = dict(os.environ, MINITORCH_FAST="1", MPLBACKEND="Agg", LESSON_OUTPUT_DIR=str(tmp_path),
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", WITHOUT_MPI], cwd=LESSON.parent, env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    assert "NO REAL MPI RANKS: mpi4py (or its mpiexec launcher) is not installed." in proc.stdout
    assert "SIMULATED inside this one process" in proc.stdout
    assert "REAL RANKS NOT CHECKED" in proc.stdout and "MPI ran with" not in proc.stdout
