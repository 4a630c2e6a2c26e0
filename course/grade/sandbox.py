"""A sandbox for students' code while it is graded.

:class:`SandboxedKernelManager` starts each grading kernel under bubblewrap (``bwrap``).
Inside, the kernel sees the Python environment and the course package read-only, its own
submission folder (read-write) and a small private ``/tmp``; nothing else of the machine:
no other submission, no answer keys, no gradebook, no network. Packages grading never
uses are hidden too (``hidden_packages``: debugpy, which a kernel otherwise loads at every
start). ``prlimit`` caps its memory, CPU time, processes and file sizes. When grading runs
as root, the kernel also drops to an unprivileged user id of its own (root ignores the
process limit).

The kernel talks to the grader over Unix sockets in a per-kernel folder (TCP cannot cross
``--unshare-net``). It is the kernel manager nbgrader's ``Execute`` step uses when
``ExecuteGuarded.kernel_manager_class`` names it; its limits are traitlets, settable in
``nbgrader_config.py`` (``c.SandboxedKernelManager.memory_mb = 4096``). A course folder
made by ``grade init`` names it, so every autograde (``grade run``, ``nbgrader
autograde``, the formgrader) is sandboxed; where bubblewrap cannot run, the kernel
refuses to start and says why. :class:`UnsandboxedKernelManager` is ``grade run
--unsafe``: the same kernel, local sockets and quiet log, with no sandbox.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from jupyter_client import AsyncKernelManager
from traitlets import Integer, List, Unicode

__all__ = ["SandboxedKernelManager", "UnsandboxedKernelManager", "sandbox_command",
           "sandbox_problem"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the course package
#: Environment variables a graded kernel keeps; everything else is dropped.
KEPT_ENV = ("NBGRADER_EXECUTION", "LANG", "LC_ALL", "TZ", "PYTHONHASHSEED")
TOOLS = ("bwrap", "prlimit", "setpriv")


@functools.cache
def sandbox_problem() -> str | None:
    """Why a kernel cannot be sandboxed on this machine, or ``None`` when it can (asked
    once per process)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return (f"{', '.join(missing)} not found (Debian: apt-get install bubblewrap "
                "util-linux)")
    try:
        probe = subprocess.run(
            ["bwrap", "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid",
             "--die-with-parent", "true"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap did not run: {exc}"
    if probe.returncode != 0:
        detail = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bwrap cannot create a sandbox here ({detail})"
    return None


def _read_only_roots() -> list[Path]:
    """What a kernel must read: system libraries, Python, the virtualenv, this package."""
    roots = [Path("/usr"), Path("/etc"), Path(sys.base_prefix), Path(sys.prefix),
             Path(sysconfig.get_paths()["purelib"]), PACKAGE_DIR]
    roots += [Path(p) for p in ("/opt",) if Path(p).is_dir() and str(sys.base_prefix)
              .startswith(p)]
    unique: list[Path] = []
    for root in sorted({r.resolve() for r in roots}, key=lambda p: len(p.parts)):
        if not any(root == u or u in root.parents for u in unique):
            unique.append(root)
    return unique


def sandbox_command(kernel: list[str], *, workdir: Path, kernel_dir: Path, memory_mb: int,
                    cpu_seconds: int, max_processes: int, max_file_mb: int,
                    uid: int | None, env: dict[str, str],
                    hidden: tuple[Path, ...] = ()) -> list[str]:
    """The command that runs ``kernel`` inside the sandbox (pure: builds a list).
    Each folder in ``hidden`` looks empty inside."""
    cmd = ["bwrap", "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid",
           "--unshare-ipc", "--unshare-uts", "--hostname", "grading",
           # /tmp first: a bind under /tmp (a checkout or virtualenv there) goes on top.
           "--perms", "1777", "--size", str(64 * 2**20), "--tmpfs", "/tmp"]
    for root in _read_only_roots():
        cmd += ["--ro-bind", str(root), str(root)]
    for name in ("bin", "lib", "lib64", "sbin"):
        link = Path("/") / name
        if link.is_symlink():
            cmd += ["--symlink", os.readlink(link), str(link)]
        elif link.is_dir():
            cmd += ["--ro-bind", str(link), str(link)]
    for folder in hidden:
        cmd += ["--tmpfs", str(folder), "--remount-ro", str(folder)]
    cmd += ["--proc", "/proc", "--dev", "/dev",
            "--bind", str(kernel_dir), str(kernel_dir),
            "--bind", str(workdir), str(workdir), "--chdir", str(workdir)]
    # bwrap copies the host's mode onto the folders it creates on the way to a bind
    # (/root is 0700): open them, so an unprivileged kernel can reach its binds.
    binds = [*_read_only_roots(), kernel_dir, workdir]
    between = {parent for target in binds for parent in target.parents if parent != Path("/")}
    between = {p for p in between
               if not any(p == b or b in p.parents for b in binds) and p != Path("/tmp")}
    for parent in sorted(between, key=lambda p: len(p.parts)):
        cmd += ["--chmod", "0755", str(parent)]
    cmd += ["--clearenv"]
    path = os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin",
                            "/bin"])
    # One thread per numeric library: workers already grade in parallel, and a thread
    # per core (OpenBLAS' default) would spend the process limit on a many-core server.
    single = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                     "MKL_NUM_THREADS")}
    for key, value in {**env, **single, "PATH": path, "HOME": "/tmp",
                       "MPLBACKEND": "Agg"}.items():
        cmd += ["--setenv", key, value]
    cmd += ["--", "prlimit", f"--as={memory_mb * 2**20}", f"--cpu={cpu_seconds}",
            f"--nproc={max_processes}", f"--fsize={max_file_mb * 2**20}", "--core=0", "--"]
    if uid is not None:
        cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
    return cmd + kernel


def _package_folders(names) -> tuple[Path, ...]:
    """Where the installed packages ``names`` live (found without importing them)."""
    folders = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders += [Path(p) for p in spec.submodule_search_locations]
    return tuple(folders)


#: ``prctl`` option that sends a process a signal when its parent dies (<linux/prctl.h>).
PR_SET_PDEATHSIG = 1


def _dies_with(parent: int):
    """A ``preexec_fn`` that ties the sandbox to the grader from the moment it is forked:
    bubblewrap's ``--die-with-parent`` only starts once bubblewrap has set itself up, so a
    grader killed in that instant (Ctrl+C as a kernel starts) left a kernel running."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork

    def tie() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the grader died before the tie was made
            os._exit(1)

    return tie


def _tasks_of_user(uid: int) -> int:
    """Processes and threads that ``uid`` runs now (they count against RLIMIT_NPROC)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += sum(1 for _ in (entry / "task").iterdir())
            except OSError:
                continue
    return count


def _tasks_under(root: int) -> int:
    """Processes and threads in the process tree under ``root``, itself included."""
    children: dict[int, list[int]] = {}
    threads: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # After the command name, in brackets: state, ppid, ... num_threads (#20).
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            threads[int(entry.name)] = int(fields[17])
    count, todo = 0, [root]
    while todo:
        pid = todo.pop()
        count += threads.get(pid, 0)
        todo += children.get(pid, [])
    return count


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in a bubblewrap sandbox with resource limits."""

    memory_mb = Integer(2048, help="Address-space limit of a grading kernel, in MiB.").tag(
        config=True)
    cpu_seconds = Integer(120, help="CPU time a grading kernel may use in all, in seconds."
                          ).tag(config=True)
    max_processes = Integer(
        128, help="Processes and threads a grading kernel may run (stops fork bombs).").tag(
        config=True)
    max_file_mb = Integer(64, help="Largest file a grading kernel may write, in MiB.").tag(
        config=True)
    hidden_packages = List(
        Unicode(), ["debugpy"],
        help="Installed packages a grading kernel does not see. debugpy: the kernel loads "
             "its debugger at every start (about 0.1 s) and grading never uses it.").tag(
        config=True)
    kernel_uid = Integer(
        61000, help="When grading as root, kernels run as this unprivileged user id (the "
                    "pipeline gives each worker its own, from this one up).").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self._sandbox_dir: Path | None = None
        self._workdir: Path | None = None
        self._owner: tuple[int, int] | None = None
        self._log = None

    @property
    def _uid(self) -> int | None:
        return self.kernel_uid if os.geteuid() == 0 else None

    async def _async_pre_start_kernel(self, **kw):
        self._refuse_without_sandbox()
        self._sandbox_dir = Path(tempfile.mkdtemp(prefix="course-kernel-"))
        # An absolute socket path: the kernel and the grader resolve it the same way.
        self.ip = str(self._sandbox_dir / "ipc")
        self.connection_file = str(self._sandbox_dir / "connection.json")
        self._workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
        # Signals cannot reach a kernel in its own session: interrupt by message.
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        kw["stdout"] = subprocess.DEVNULL
        self._log = open(self._sandbox_dir / "kernel.log", "wb")  # noqa: SIM115
        kw["stderr"] = self._log
        kw["preexec_fn"] = _dies_with(os.getpid())
        return await super()._async_pre_start_kernel(**kw)

    def _refuse_without_sandbox(self) -> None:
        problem = sandbox_problem()
        if problem:
            raise RuntimeError(f"cannot sandbox students' code: {problem}; nothing was run "
                               "(`python -m course grade run --unsafe` grades without a "
                               "sandbox, with your rights)")

    def format_kernel_cmd(self, extra_arguments=None):
        kernel = super().format_kernel_cmd(extra_arguments)
        if self._workdir is None or self._sandbox_dir is None:
            raise RuntimeError("the sandboxed kernel is formatted before it is started")
        uid = self._uid
        if uid is not None:
            # The unprivileged kernel must open its connection file, make its sockets
            # and write in its own submission folder; ownership goes back on shutdown.
            stat = self._workdir.stat()
            self._owner = (stat.st_uid, stat.st_gid)
            for path in (self._sandbox_dir, Path(self.connection_file)):
                os.chown(path, uid, uid)
            _chown_tree(self._workdir, uid, uid)
        limit = self.max_processes if uid is not None else (
            _tasks_of_user(os.getuid()) + self.max_processes)
        env = {k: os.environ[k] for k in KEPT_ENV if k in os.environ}
        return sandbox_command(
            kernel, workdir=self._workdir, kernel_dir=self._sandbox_dir,
            memory_mb=self.memory_mb, cpu_seconds=self.cpu_seconds, max_processes=limit,
            max_file_mb=self.max_file_mb, uid=uid, env=env,
            hidden=_package_folders(self.hidden_packages))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self.release_sandbox()

    def process_limit_reached(self) -> bool:
        """Whether the sandbox holds as many processes and threads as it may (a fork
        bomb): the kernel can then start nothing, and may not answer reliably."""
        pid = getattr(self.provisioner, "pid", None)
        # The tree also holds bubblewrap's own processes, and grading as a normal user
        # the limit counts that user's other tasks too: "full" is within two of it.
        return pid is not None and _tasks_under(pid) >= self.max_processes - 2

    def kernel_log(self) -> str:
        """The last line the kernel (or bubblewrap) wrote to stderr, if any."""
        if self._sandbox_dir is None:
            return ""
        try:
            lines = (self._sandbox_dir / "kernel.log").read_text(errors="replace").split("\n")
        except OSError:
            return ""
        lines = [line.strip() for line in lines if line.strip()]
        return lines[-1][:200] if lines else ""

    def release_sandbox(self) -> None:
        """Give the submission folder back to its owner and delete the kernel's folder.
        Safe to call twice; the grader calls it too, since nothing cleans up after a kernel
        that died."""
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._owner is not None and self._workdir is not None:
            _chown_tree(self._workdir, *self._owner)
            self._owner = None
        if self._sandbox_dir is not None:
            shutil.rmtree(self._sandbox_dir, ignore_errors=True)
            self._sandbox_dir = None


def _chown_tree(folder: Path, uid: int, gid: int) -> None:
    os.chown(folder, uid, gid)
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)


class UnsandboxedKernelManager(SandboxedKernelManager):
    """``grade run --unsafe``: a grading kernel with no sandbox and no limits, running with
    the grader's rights. It still talks over Unix sockets in a folder of its own (nothing
    on the network, so no warning about unencrypted TCP) and writes its log to a file."""

    def _refuse_without_sandbox(self) -> None:
        return None

    def format_kernel_cmd(self, extra_arguments=None):
        return AsyncKernelManager.format_kernel_cmd(self, extra_arguments)

    def process_limit_reached(self) -> bool:
        return False  # no limit to reach
