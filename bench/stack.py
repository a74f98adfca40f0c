"""Start and stop the production stack (gunicorn and one task worker) as real processes.

Shared by the load run (bench/load/run.py) and the production boot test
(tests/deployment/test_production_stack.py), so both boot the service the way docs/deployment.md
describes and neither leaves a process behind. Each process gets its own session (process group), so
stopping it also stops the workers gunicorn forked.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]


class StackFailed(RuntimeError):
    """A process exited early or the service never answered its health check."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing is listening on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    """The running processes; stop() ends them all (gunicorn first, then the worker)."""

    port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def check_running(self) -> None:
        for process in self.processes:
            if process.poll() is not None:
                raise StackFailed(f"{process.args!r} exited early with status {process.returncode}")

    def wait_until(self, healthy: Callable[[], bool], *, seconds: float, every: float = 0.2) -> None:
        """Poll `healthy` until it returns true; raise StackFailed if a process dies or time runs out.

        `healthy` may raise OSError while gunicorn is still binding its port; that counts as not yet.
        """
        deadline = time.monotonic() + seconds
        while True:
            self.check_running()
            try:
                if healthy():
                    return
            except OSError:
                pass
            if time.monotonic() >= deadline:
                raise StackFailed(f"the service did not answer its health check within {seconds:.0f} s")
            time.sleep(every)

    def stop(self) -> None:
        for process in self.processes:
            stop(process)


def start(
    *,
    env: dict[str, str],
    port: int,
    web_output: IO[bytes],
    worker_output: IO[bytes],
    web_errors: IO[bytes] | None = None,
    workers: int = 2,
    worker_interval: float = 0.2,
    gunicorn_options: tuple[str, ...] = (),
) -> Stack:
    """Start gunicorn (`workers` sync workers on 127.0.0.1:`port`) and one `manage.py db_worker`.

    The caller owns the output files and must call Stack.stop(), normally in a `finally`.
    """
    stack = Stack(port)
    try:
        stack.processes.append(
            subprocess.Popen(  # noqa: S603 - our own executables, arguments from this module
                [
                    str(BIN / "gunicorn"),
                    "msoic.wsgi",
                    f"--workers={workers}",
                    f"--bind=127.0.0.1:{port}",
                    "--no-control-socket",
                    "--graceful-timeout=5",
                    *gunicorn_options,
                ],
                cwd=ROOT,
                env=env,
                stdout=web_output,
                stderr=web_errors if web_errors is not None else subprocess.STDOUT,
                start_new_session=True,
            )
        )
        stack.processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    f"--interval={worker_interval}",
                    "--no-startup-delay",
                ],
                cwd=ROOT,
                env=env,
                stdout=worker_output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    except BaseException:
        stack.stop()
        raise
    return stack


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (a graceful stop), then SIGKILL it if it is still there after 10 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
