"""Command line: ``python -m minitorch.labs {list,lines,check,build-student,build-grader,mutation-check,grade,autograde}``."""
import argparse
import sys
from pathlib import Path

from . import build, catalog, grader


def _root(args):
    if args.root:
        return Path(args.root).resolve()
    here = Path.cwd()
    return here if (here / "minitorch" / "labs").is_dir() else grader.PACKAGE_HOME


def cmd_list(args):
    regions = build.all_regions(_root(args))
    for lab in catalog.LABS:
        print(f"Lab {lab.number}: {lab.title} ({sum(t.points for t in lab.tasks):g} points)")
        for task in lab.tasks:
            deps = f"  [builds on {', '.join(task.depends_on)}]" if task.depends_on else ""
            print(f"  {task.id:<5} {task.points:>3g} pts  {task.title}{deps}")
            for r in (r for r in regions if r.task == task.id):
                print(f"          {r.path}:{r.begin}  {r.instruction}")
    return 0


def cmd_lines(args):
    root, counts = _root(args), {}
    for r in build.all_regions(root):
        body = (root / r.path).read_text(encoding="utf-8").splitlines()[r.begin:r.end - 1]
        code = [line for line in body if line.strip() and not line.strip().startswith("#")]
        counts[r.task] = counts.get(r.task, 0) + len(code)
    total = 0
    for lab in catalog.LABS:
        lines = sum(counts.get(t.id, 0) for t in lab.tasks)
        total += lines
        print(f"Lab {lab.number}: {lab.title}: {lines} lines of student code")
        for task in lab.tasks:
            print(f"  {task.id:<5} {counts.get(task.id, 0):>4}  {task.title}")
    print(f"All labs: {total} lines of student code (non-blank, non-comment lines in solution regions).")
    return 0


def cmd_check(args):
    catalog.check_catalog()
    regions = build.all_regions(_root(args))
    build.check_regions(regions)
    references = build.all_references(_root(args))
    build.check_references(references)
    print(f"ok: {len(catalog.all_tasks())} tasks in {len(catalog.LABS)} labs, {len(regions)} solution regions, "
          f"{len(references)} reference regions.")
    return 0


def cmd_build_student(args):
    solved = {t.id for n in args.solved_lab for t in catalog.get_lab(n).tasks}
    tasks = {t.id for t in catalog.all_tasks()} - solved
    stubbed = build.build_student(_root(args), args.out, tasks=tasks, force=args.force)
    print(f"student edition written to {args.out}: {len(stubbed)} regions of {len({r.task for r in stubbed})} "
          f"tasks replaced by stubs; hidden tests left out.")
    return 0


def cmd_build_grader(args):
    archive = build.build_grader(_root(args), args.out, labs=args.lab, timeout=args.timeout, force=args.force)
    print(f"grader bundle written to {args.out}; upload {archive} to Gradescope.")
    return 0


def cmd_mutation_check(args):
    from .mutation import mutation_check

    if args.probes:
        from .trusted import probe_mutation_check

        report = probe_mutation_check(_root(args), tasks=args.task or None, workers=args.workers)
    else:
        report = mutation_check(_root(args), tasks=args.task or None, workers=args.workers)
    problems = [(task, p) for task, found in report.items() for p in found]
    for task, problem in problems:
        print(f"{task}: {problem}")
    checked = len(report) - 1
    print(f"mutation check: {checked} tasks stubbed one at a time, "
          + (f"{len(problems)} problem(s)." if problems else "every test failed where it should and nowhere else."))
    return 1 if problems else 0


def cmd_grade(args):
    return grader.grade(args.root, labs=args.lab, tasks=args.task, gradescope=args.gradescope,
                        json_path=args.json, timeout=args.timeout, verbose=args.verbose)


def cmd_autograde(args):
    from .sandbox import Limits

    limits = Limits(wall=args.timeout, memory=args.memory << 20, processes=args.max_processes)
    return grader.autograde(args.submission, args.results, labs=args.lab, timeout=args.timeout,
                            reference=args.reference, seed=args.seed, limits=limits)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m minitorch.labs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, fn, help):
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(fn=fn)
        p.add_argument("--root", help="the repository (default: the current folder, or this checkout)")
        return p

    add("list", cmd_list, "list the labs, their tasks, points and solution regions")
    add("lines", cmd_lines, "count the lines of student code (non-blank, non-comment lines in solution regions) "
        "per task and per lab")
    add("check", cmd_check, "check the catalog and that every task has a region and every region a task")
    p = add("build-student", cmd_build_student, "write the student edition: every region becomes a stub")
    p.add_argument("out", help="the folder to write (outside the repository)")
    p.add_argument("--solved-lab", type=int, action="append", default=[], metavar="N",
                   help="keep the reference code of lab N (repeatable)")
    p.add_argument("--force", action="store_true", help="replace the folder if it is not empty")
    p = add("build-grader", cmd_build_grader, "write the Gradescope grader bundle and its autograder.zip")
    p.add_argument("out", help="the folder to write (outside the repository)")
    p.add_argument("--lab", type=int, action="append", default=[], metavar="N", help="grade only lab N (repeatable)")
    p.add_argument("--timeout", type=float, default=60, help="seconds allowed per test (default 60)")
    p.add_argument("--force", action="store_true", help="replace the folder if it is not empty")
    p = add("mutation-check", cmd_mutation_check,
            "stub each task alone: its tests must fail, and only those of tasks that depend on it")
    p.add_argument("--task", action="append", default=[], metavar="ID", help="only task ID (repeatable)")
    p.add_argument("--workers", type=int, default=None, help="test runs at a time (default: the CPU count)")
    p.add_argument("--probes", action="store_true", help="check the trusted grader's probes instead of the tests")
    p = add("grade", cmd_grade, "run the lab tests and print points per task")
    p.add_argument("--lab", type=int, action="append", default=[], metavar="N", help="only lab N (repeatable)")
    p.add_argument("--task", action="append", default=[], metavar="ID", help="only task ID, e.g. 1.3 (repeatable)")
    p.add_argument("--gradescope", metavar="PATH", help="write Gradescope's results.json here, test by test")
    p.add_argument("--json", metavar="PATH", help="write the per-test results (minitorch's format) here")
    p.add_argument("--timeout", type=float, default=60, help="seconds allowed per test (default 60)")
    p.add_argument("-v", "--verbose", action="store_true", help="show pytest's own output as it runs")
    p = sub.add_parser("autograde", help="grade a submission with the trusted grader (run_autograder uses it): "
                       "its code runs only in a sandboxed child, the score is decided outside it")
    p.set_defaults(fn=cmd_autograde)
    p.add_argument("--submission", required=True, help="the submitted folder (it or a folder below holds minitorch/)")
    p.add_argument("--results", required=True, help="where to write Gradescope's results.json")
    p.add_argument("--lab", type=int, action="append", default=[], metavar="N", help="only lab N (repeatable)")
    p.add_argument("--timeout", type=float, default=30, help="seconds allowed per probe (default 30)")
    p.add_argument("--reference", help="the reference checkout (default: the bundle's reference/, or this checkout)")
    p.add_argument("--seed", type=int, default=None, help="the inputs' seed (default: fresh for every grading)")
    p.add_argument("--memory", type=int, default=4096, help="MiB of address space per child (default 4096)")
    p.add_argument("--max-processes", type=int, default=64, help="processes and threads per child (default 64)")
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except (ValueError, KeyError, FileNotFoundError, FileExistsError) as e:
        print(f"error: {e.args[0] if e.args else e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
