"""The sandboxed child imports numpy even when the grader's Python lives where the unprivileged user
may not enter (CI's Python is a pyenv under /root, mode 700): the grader lends it a mirror of the
run-time libraries for the time of the grading, and says so when even that cannot help."""
import os
import shutil
import sys
import tempfile

import pytest

from minitorch.labs import sandbox, trusted

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox runs on Linux")


def test_runtime_distributions_are_minitorchs_requirements_and_theirs():
    names = {d.metadata["Name"].lower() for d in trusted.runtime_distributions()}
    assert {"numpy", "numba", "llvmlite"} <= names
    assert "pytest" not in names and "hypothesis" not in names  # test tools are not run-time needs


@pytest.mark.skipif(sandbox.sandbox_user() is None, reason="dropping to another user needs root")
def test_a_library_folder_the_user_cannot_enter_is_mirrored(tmp_path):
    private = tmp_path / "private"
    (private / "secretlib").mkdir(parents=True)
    (private / "secretlib" / "__init__.py").write_text("VALUE = 7\n")
    os.chmod(private, 0o700)
    user = sandbox.sandbox_user()
    assert sandbox.find_python(user, [], [str(private)], ["secretlib"]) is None
    with trusted.child_interpreter(user, None) as (account, python, libraries, unreachable):
        assert account == user and unreachable is None
        assert sandbox.find_python(user, [python], libraries, ["numpy"]) == python


@pytest.mark.skipif(sandbox.sandbox_user() is None, reason="dropping to another user needs root")
def test_the_mirror_alone_lets_the_user_import_numpy():
    """What CI's case relies on: the mirror of the run-time distributions, and nothing else, on sys.path
    (in /tmp itself: pytest's own tmp_path lies in a folder only root may enter)."""
    mirror = trusted.mirror_libraries(tempfile.mkdtemp(prefix="minitorch-test-mirror-"))
    try:
        assert sandbox.find_python(sandbox.sandbox_user(), [], [mirror], ["numpy"]) is not None
    finally:
        shutil.rmtree(mirror, ignore_errors=True)


def test_the_report_says_when_the_child_could_not_drop_to_the_user():
    user = sandbox.User("nobody", 65534, 65534)
    lines = sandbox.protections(None, sys.executable, unreachable=user)
    assert any("NOT dropped to nobody" in line and "setup.sh" in line for line in lines)
