"""Figures that need a fresh process, for ``run.py`` (prints one JSON line).

``probe.py start URL T0``: ``relais --database URL`` as a user starts it (``app.main.main``,
offscreen); T0 is the parent's ``time.time()`` just before it started this process. Prints the
seconds from T0 to the login screen shown (the event loop idle after the window's first
show), then, after the GP's login is accepted (``auth.login`` — the password hash and key
unwrapping — is timed apart and excluded), the seconds until the main window is ready (her
workspace shown, the event loop idle, the window repainted).

``probe.py memory URL T0``: peak resident memory (``VmHWM``, the process's own high-water
mark) of a scripted session in the real main window: login, 20 searches, 20 patient files
opened, one referral PDF printed, the activity dashboard opened.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO_USER = "dr.durand"


def _emit(data: dict) -> None:
    print(json.dumps(data), flush=True)


def start(url: str, t0: float) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app import main as relais_main  # the imports are part of the start
    from app.views.shell import startup as startup_module

    state: dict = {}
    original_start = startup_module.Startup.start

    def patched_start(self) -> None:  # type: ignore[no-untyped-def]
        state["startup"] = self
        self.ready.connect(lambda window: QTimer.singleShot(0, lambda: login_shown(window)))
        original_start(self)

    def login_shown(window) -> None:  # type: ignore[no-untyped-def]
        window.repaint()
        state["login_shown_s"] = time.time() - t0
        # The process's CPU time so far (interpreter start-up included): what the start costs
        # on a machine with nothing else to do, whatever the load while measuring.
        state["login_shown_cpu_s"] = time.process_time()
        # The probe's own need, imported once the login window is timed: a user's start never
        # imports the demo generator (about 0.1 s of imports that this figure counted until
        # 2026-12-05).
        from app.demo.generator import DEMO_PASSWORD

        auth = state["startup"]._services.auth
        real_login = auth.login
        spent: list[float] = []

        def timed_login(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return real_login(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)

        auth.login = timed_login
        window.login.username.setText(DEMO_USER)
        window.login.password.setText(DEMO_PASSWORD)
        started = time.perf_counter()
        window.login.attempt()  # the password is checked on the task runner

        def ready() -> None:
            window.repaint()
            total = time.perf_counter() - started
            state["login_s"] = sum(spent)
            state["main_ready_s"] = total - sum(spent)
            state["workspace"] = window.current is not None
            QApplication.instance().quit()

        def wait_for_workspace() -> None:
            if window.current is None and time.perf_counter() - started < 60:
                QTimer.singleShot(1, wait_for_workspace)
            else:  # shown: the event loop idle once more, then repainted
                QTimer.singleShot(0, ready)

        wait_for_workspace()

    startup_module.Startup.start = patched_start  # type: ignore[method-assign]
    code = relais_main.main(["--database", url, "--platform", "offscreen"])
    if "main_ready_s" not in state or not state["workspace"]:
        print("login or main window not reached", file=sys.stderr)
        return 1
    _emit({k: v for k, v in state.items() if k.endswith("_s")} | {"code": code})
    return 0


def _peak_mb() -> float:
    """This process's own peak resident memory, in MB.

    ``VmHWM`` (Linux) is the high-water mark of the process's own address space. Not
    ``ru_maxrss``: Linux carries it over ``fork`` and ``execve``, so a probe started by a
    parent holding a 100 % set in memory would report the parent's size, not its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def memory(url: str) -> int:
    import random

    from PySide6.QtWidgets import QApplication

    from app.container import Services
    from app.demo.generator import DEMO_PASSWORD
    from app.models.enums import Role
    from app.views.common.tasks import TaskRunner
    from app.views.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    services = Services.open(url)
    runner = TaskRunner()
    window = MainWindow(services, runner=runner)
    window.resize(1200, 780)
    window.show()
    app.processEvents()

    def settle() -> None:
        app.processEvents()
        while runner.pending:
            runner.wait(50)
            app.processEvents()

    window.login.username.setText(DEMO_USER)
    window.login.password.setText(DEMO_PASSWORD)
    window.login.attempt()
    settle()
    workspace = window.current
    assert workspace is not None
    actor = workspace.actor
    rng = random.Random(20)
    names = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand",
             "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "david",
             "bertrand", "roux", "vincent", "fournier"]  # fmt: skip
    opened = 0
    for name in names:
        found = services.patients.search(actor, name).patients
        if found and opened < 20 and workspace.open_patient(rng.choice(found).id) is not None:
            opened += 1
        settle()
    printed = 0
    from sqlalchemy import select

    from app.models import Referral

    with services.db.session(write=False) as session:
        ids = list(
            session.scalars(
                select(Referral.id)
                .where(Referral.sender_id == actor.user_id, Referral.status != "draft")
                .limit(1)
            )
        )
    if ids:
        services.referral_documents.referral_form(actor, ids[0])
        printed = 1
    dashboard = False
    if actor.role in (Role.GP, Role.COORDINATOR):
        workspace.open_statistics()
        settle()
        dashboard = True
    peak = _peak_mb()
    _emit(
        {
            "peak_mb": round(peak, 1),
            "files": opened,
            "pdfs": printed,
            "dashboard": dashboard,
            "note": f"{opened} dossiers, {printed} PDF, tableau de bord : "
            f"{'oui' if dashboard else 'non'}",
        }
    )
    runner.shutdown()
    services.db.dispose()
    return 0


def main(argv: list[str]) -> int:
    mode, url, t0 = argv[0], argv[1], float(argv[2])
    if mode == "start":
        return start(url, t0)
    if mode == "memory":
        return memory(url)
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
