"""The sandboxed child: untrusted code runs here, never in the process that decides the score.

``run(command, cwd, limits, user)`` starts a fresh interpreter (``python -I -S``: no site, no
user site, no ``PYTHON*`` variables, so a submission's ``sitecustomize.py``,
``usercustomize.py`` or ``.pth`` files never load; no pytest, so no ``conftest.py`` or plugin
entry point runs) with

- rlimits set in ``preexec_fn``: CPU seconds, address space, file size, open files, number of
  processes (``RLIMIT_NPROC``, against a fork bomb) and no core files;
- its own session (process group), killed as a whole at the wall-clock deadline, and every
  process it left behind (the grader is a *child subreaper* on Linux, so a double-forked
  daemon that escaped the group is found among the grader's descendants and killed too);
- a minimal environment (``HOME`` and ``TMPDIR`` are its scratch folder, fresh for each child);
- when the grader runs as root on Linux: a mount namespace of its own in which ``/tmp``,
  ``/var/tmp``, ``/dev/shm`` and ``/run/lock`` (the folders every user may write) are new, empty
  tmpfs's, gone with the child: nothing it writes there reaches a later child or the grader, and
  it sees none of the grader's temporary files (the folders it needs are bound back in). Where
  no mount namespace can be made (a container without ``CAP_SYS_ADMIN``), whatever the sandbox
  user created in those folders is deleted after each child instead;
- when the grader runs as root (Gradescope does): the unprivileged ``user`` (uid/gid, no
  supplementary groups), so it can read neither the reference, nor the expected data, nor
  the hidden inputs, and can write only in its scratch folder. ``RLIMIT_NPROC`` counts
  processes per user, so it only bites once the child has its own uid (root ignores it).

``protections(user)`` says which of these are active, for the report. The trusted side reads
what a child wrote only through ``read_file`` (no symlinks, regular files, a size cap, owned by
the sandbox user when there is one).
"""
import contextlib
import ctypes
import functools
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

PR_SET_CHILD_SUBREAPER = 36
PR_SET_DUMPABLE = 4
CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x1000, 0x4000, 0x40000
O_PATH = getattr(os, "O_PATH", 0o10000000)
# The folders every user may write: each child gets its own, empty, in its own mount namespace
PRIVATE_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
_LOCK = threading.Lock()
_RUNNING = set()  # the pids of the children running now
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


@dataclass(frozen=True)
class Limits:
    """What one child may use: wall-clock and CPU seconds, bytes of memory and of any file it
    writes, processes (threads count) of its user, open files."""

    wall: float = 60.0
    cpu: int = 120
    memory: int = 4 << 30
    file_size: int = 64 << 20
    processes: int = 64
    open_files: int = 256


@dataclass(frozen=True)
class User:
    """The unprivileged account a child runs as (root only)."""

    name: str
    uid: int
    gid: int


def sandbox_user(name="nobody"):
    """The account to drop to: ``name`` when the grader runs as root, else None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(name)
    return User(name, entry.pw_uid, entry.pw_gid)


def harden_grader():
    """Make the grader process itself harder to reach from a child of the same user: not
    dumpable (its /proc/<pid>/mem cannot be read) and a subreaper (orphans come back to it)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def find_python(user, candidates=(), paths=(), imports=()):
    """An interpreter of this Python version that ``user`` can run and that can import ``imports``
    from the folders ``paths``: ``sys.executable`` unless the unprivileged user cannot reach it
    (e.g. one installed under /root), else the system's. None when no candidate can: e.g. the
    grader's numpy lives under a folder the user may not enter (a pyenv under /root)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    options = [*candidates, sys.executable, f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    if user is None:
        return options[0]
    check = (f"import sys; sys.path[:0] = {list(paths)!r}; " + "".join(f"import {name}; " for name in imports)
             + "print('%d.%d' % sys.version_info[:2])")
    for python in options:
        if not python or not os.path.exists(python):
            continue
        try:
            probe = subprocess.run([python, "-I", "-S", "-c", check], capture_output=True, text=True,
                                   preexec_fn=_drop(user), timeout=60)
        except (OSError, subprocess.SubprocessError):  # the user may not reach it
            continue
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return python
    return None


def _drop(user):
    def drop():
        os.setgroups([])
        os.setgid(user.gid)
        os.setuid(user.uid)
    return drop


def _processes_of(uid):
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                pass
    return count


def _mount(libc, source, target, kind=None, flags=0, options=None):
    def encode(text):
        return None if text is None else text.encode()

    libc.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p)
    if libc.mount(encode(source), encode(target), encode(kind), flags, encode(options)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {source} on {target}: {os.strerror(error)}")


def _inside(path, folder):
    return os.path.commonpath([path, folder]) == folder


def private_folders(keep, size):
    """In the child, before it runs anything (root, Linux): a mount namespace of its own in which
    every folder of ``PRIVATE_FOLDERS`` is a new, empty tmpfs of ``size`` bytes; the folders of
    ``keep`` that lie in one (the scratch folder, the code, a mirror of the libraries) are bound
    back at the same paths. Raises OSError where the kernel refuses."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"unshare(CLONE_NEWNS): {os.strerror(error)}")
    _mount(libc, "none", "/", flags=MS_REC | MS_PRIVATE)  # nothing mounted here shows outside
    keep = {os.path.realpath(path) for path in keep}
    for folder in PRIVATE_FOLDERS:
        if os.path.islink(folder) or not os.path.isdir(folder):
            continue
        inside = [path for path in keep if _inside(path, folder) and path != folder]
        held = [(path, os.open(path, O_PATH | os.O_DIRECTORY)) for path in inside
                if not any(_inside(path, other) for other in inside if other != path)]
        _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={size},nr_inodes=16384")
        for path, fd in held:
            parts = os.path.relpath(path, folder).split(os.sep)
            for depth in range(1, len(parts) + 1):  # the way in: enterable, not listable
                step = os.path.join(folder, *parts[:depth])
                if not os.path.isdir(step):
                    os.mkdir(step)
                    os.chmod(step, 0o711)
            _mount(libc, f"/proc/self/fd/{fd}", path, flags=MS_BIND | MS_REC)
            os.close(fd)


@functools.lru_cache(maxsize=None)
def why_no_private_folders():
    """None if children can have ``PRIVATE_FOLDERS`` of their own (root, Linux, a kernel that
    allows a mount namespace), else why not."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if os.geteuid() != 0:
        return "the grader is not root"
    try:
        subprocess.run([sys.executable, "-I", "-S", "-c", "pass"], check=True, capture_output=True, timeout=60,
                       preexec_fn=lambda: private_folders((), 1 << 20))
    except (OSError, subprocess.SubprocessError) as e:
        return f"no mount namespace could be made here ({type(e).__name__}: {e}); a container needs CAP_SYS_ADMIN"
    return None


def remove_left_files(user, since):
    """Where a child cannot have private folders: delete what ``user`` created in
    ``PRIVATE_FOLDERS`` (and in the folders there that every user may write) since the time
    ``since``, so that it reaches neither a later child nor the grader. Links are not followed."""
    folders = [f for f in PRIVATE_FOLDERS if os.path.isdir(f) and not os.path.islink(f)]
    while folders:
        folder = folders.pop()
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if info.st_uid == user.uid and info.st_ctime >= since:
                if stat.S_ISDIR(info.st_mode):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(path)
            elif stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IWOTH:
                folders.append(path)


def _preexec(limits, user, private=None):
    import resource

    # RLIMIT_NPROC counts every process of the user: without a uid of its own, allow what the
    # user already runs plus the child's share.
    nproc = limits.processes if user else _processes_of(os.getuid()) + limits.processes

    def setup():
        if private is not None:
            private_folders(private, limits.file_size)
        os.umask(0o077)
        for name, value in (("RLIMIT_CPU", limits.cpu), ("RLIMIT_AS", limits.memory),
                            ("RLIMIT_FSIZE", limits.file_size), ("RLIMIT_NOFILE", limits.open_files),
                            ("RLIMIT_NPROC", nproc), ("RLIMIT_CORE", 0)):
            if hasattr(resource, name):
                resource.setrlimit(getattr(resource, name), (value, value))
        if user:
            _drop(user)()
    return setup


def environment(scratch, extra=None):
    """The child's whole environment: nothing of the grader's but the path."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
           "NUMBA_CACHE_DIR": os.path.join(scratch, ".numba"), "MPLCONFIGDIR": os.path.join(scratch, ".mpl"),
           "MPLBACKEND": "Agg", **{name: "1" for name in THREAD_VARIABLES}}
    return {**env, **(extra or {})}


def descendants(pid=None):
    """The pids of every process below ``pid`` (default: this one; Linux: read from /proc)."""
    parents = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    found, frontier = [], [pid or os.getpid()]
    while frontier:
        frontier = [child for pid in frontier for child in parents.get(pid, ())]
        found += frontier
    return found


def kill_all(proc, before=()):
    """Kill the child's process group, then every process left below the grader that was not
    there before the child started (``before``) and is not part of another running child."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    with _LOCK:
        _RUNNING.discard(proc.pid)
        others = set(_RUNNING)
    for _ in range(3):
        keep = set(before) | others | {pid for other in others for pid in descendants(other)}
        left = [pid for pid in descendants() if pid not in keep]
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.05)
        _reap()


def _reap():
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def run(command, cwd, limits, user, env, watch=None, keep=()):
    """Run ``command`` sandboxed; return (exit code, timed out?, its output's last 8 kB).

    ``watch()`` is called every 50 ms and may return a reason to stop the child early (e.g. a
    probe that ran past its own time limit). ``keep``: the folders the child needs besides
    ``cwd`` (its code, its libraries), kept visible in its private ``/tmp``."""
    log = os.path.join(cwd, ".output")
    before = set(descendants())
    private = [cwd, *keep] if user and why_no_private_folders() is None else None
    started = time.time()
    with open(log, "wb") as out:
        if user:
            os.chown(log, user.uid, user.gid)
        def start(private):
            return subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True,
                                    preexec_fn=_preexec(limits, user, private), close_fds=True)

        with _LOCK:  # several children may run at once (the mutation check): each kills only its own
            try:
                proc = start(private)
            except subprocess.SubprocessError:  # the mounts failed for this child: clean up after it instead
                if private is None:
                    raise
                private = None
                proc = start(private)
            _RUNNING.add(proc.pid)
        deadline, reason = time.monotonic() + limits.wall, None
        while proc.poll() is None:
            reason = "wall" if time.monotonic() > deadline else (watch() if watch else None)
            if reason:
                break
            time.sleep(0.05)
        kill_all(proc, before)
    if user and private is None:
        remove_left_files(user, started)
    return proc.returncode, reason, read_file(log, user, 1 << 20, tail=8000).decode(errors="replace")


def read_file(path, user, max_bytes, tail=None):
    """What the child wrote at ``path``: a regular file, not a link, owned by the sandbox user
    (when there is one), at most ``max_bytes``; b"" if it is missing or refused."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or (user and info.st_uid not in (user.uid, 0)):
            return b""
        if tail is not None and info.st_size > tail:
            f.seek(info.st_size - tail)
            return f.read(tail)
        if info.st_size > max_bytes:
            return b""
        return f.read(max_bytes)


def copy_tree(source, target, max_bytes=256 << 20):
    """Copy the regular files under ``source`` (no links, no caches) into ``target``; the size
    of what was copied. A link could point at the reference: it is left out."""
    total = 0
    for folder, dirs, files in os.walk(source, followlinks=False):
        dirs[:] = [d for d in dirs if d != "__pycache__" and not os.path.islink(os.path.join(folder, d))]
        rel = os.path.relpath(folder, source)
        os.makedirs(os.path.join(target, rel), exist_ok=True)
        for name in files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or name.endswith((".pyc", ".pyo")):
                continue
            total += info.st_size
            if total > max_bytes:
                raise ValueError(f"the submission's {os.path.basename(source)}/ is larger than {max_bytes >> 20} MiB")
            shutil.copyfile(path, os.path.join(target, rel, name))
    return total


def give_to(path, user):
    """Hand the folder ``path`` (and everything in it) to the sandbox user."""
    if user is None:
        return
    for folder, dirs, files in os.walk(path):
        os.chown(folder, user.uid, user.gid)
        for name in files:
            os.chown(os.path.join(folder, name), user.uid, user.gid)


def protections(user, python, unreachable=None):
    """One line per protection, saying whether it is active; ``unreachable`` names the user the
    grader could not drop to, because that user cannot run Python with the grader's libraries."""
    linux = sys.platform.startswith("linux")
    lines = ["fresh interpreter with -I -S and an explicit sys.path (no site, user site, .pth, conftest or plugins)",
             "rlimits: CPU, address space, file size, open files, no core files",
             "wall-clock deadline per probe; the whole process group is killed",
             "leftover processes killed (subreaper)" + ("" if linux else ": NOT active (not Linux)"),
             "grader process not dumpable" + ("" if linux else ": NOT active (not Linux)")]
    if user:
        missing = why_no_private_folders()
        lines += [f"child runs as {user.name} (uid {user.uid}): cannot read the reference, the expected data or "
                  f"the grader's files, nor write outside its scratch folder; RLIMIT_NPROC per child",
                  f"child interpreter: {python}",
                  f"private {', '.join(PRIVATE_FOLDERS)} per child (its own mount namespace, empty tmpfs's)"
                  if missing is None else f"NOT private {', '.join(PRIVATE_FOLDERS)}: {missing}; what the child "
                                          f"creates there is deleted after it"]
    elif unreachable:
        lines += [f"NOT dropped to {unreachable.name}: that user cannot import the grader's libraries (numpy "
                  f"lies in a folder only the grader's user may enter, e.g. a Python under /root), so the child "
                  f"runs as the grader's own user and file permissions do not hide the reference from it. "
                  f"Install the packages where every user can read them (Gradescope's setup.sh does)"]
    else:
        lines += ["NOT root: the child runs as the grader's own user, so file permissions do not hide the "
                  "reference from it; RLIMIT_NPROC counts the user's other processes too; it shares /tmp with "
                  "that user (its TMPDIR is its own scratch folder)"]
    return lines
