"""Check a built bundle (dist/relais/) as a clinic's workstation would run it.

    .venv/bin/python packaging/check_bundle.py dist/relais [--xvfb]

In a scratch home (HOME, TMPDIR and the XDG folders point into it, no display): ``relais
--version`` gives app/__init__.py's version, ``--help`` is French, ``relais-admin --help``
runs, ``relais --self-test`` passes offscreen and, with ``--xvfb``, ``relais --demo --self-test
--platform xcb`` passes under Xvfb (the real X11 platform plugin and the login window). Then
the self-tests' canary markers are searched in every file of the scratch home and temporary
folder (none may hold one, and the temporary folder must be left empty), and
``install.sh --user`` installs and removes the bundle there. Exit code 0 when all passed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import __version__  # noqa: E402 - after the path
from app.selftest import files_holding  # noqa: E402

MARKER = re.compile(r"Témoin : (CANARI-AUTOTEST-[0-9a-f]{32})")


class Checker:
    def __init__(self, bundle: Path, scratch: Path) -> None:
        self.bundle = bundle
        self.scratch = scratch
        self.failures: list[str] = []
        self.markers: list[str] = []
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
        }
        for name in ("home", "tmp", "data", "state", "cache", "config"):
            (scratch / name).mkdir()
        self.env.update(
            HOME=str(scratch / "home"),
            TMPDIR=str(scratch / "tmp"),
            XDG_DATA_HOME=str(scratch / "data"),
            XDG_STATE_HOME=str(scratch / "state"),
            XDG_CACHE_HOME=str(scratch / "cache"),
            XDG_CONFIG_HOME=str(scratch / "config"),
        )

    def run(self, title: str, argv: list[str], expect: str = "") -> str:
        started = time.monotonic()
        try:
            done = subprocess.run(
                argv, env=self.env, capture_output=True, text=True, timeout=600, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.fail(title, f"{type(exc).__name__}: {exc}")
            return ""
        took = time.monotonic() - started
        output = done.stdout + done.stderr
        self.markers += MARKER.findall(output)
        if done.returncode != 0 or (expect and expect not in output):
            self.fail(title, f"code {done.returncode}\n{output}")
        else:
            print(f"[ok] {title} ({took:.1f} s)")
        return output

    def fail(self, title: str, detail: str) -> None:
        self.failures.append(title)
        print(f"[ÉCHEC] {title}: {detail}")

    def check_traces(self) -> None:
        leftovers = list((self.scratch / "tmp").iterdir())
        if leftovers:
            self.fail("temporary folder left empty", ", ".join(p.name for p in leftovers))
        else:
            print("[ok] temporary folder left empty")
        if not self.markers:
            self.fail("canary markers", "no marker printed by the self-tests")
            return
        found = [f for m in self.markers for f in files_holding(self.scratch, m)]
        if found:
            self.fail("canary markers", "found in " + ", ".join(found))
        else:
            print(f"[ok] {len(self.markers)} canary marker(s) in no file of the scratch home")

    def check_icons(self) -> None:
        """The window's icons (resources/icons/tabler/, app/views/common/icons.py) and their
        licence are in the bundle."""
        licence = next(self.bundle.rglob("resources/icons/tabler/LICENSE"), None)
        if licence is None or not any(licence.parent.glob("*.svg")):
            self.fail("window icons shipped", "resources/icons/tabler/ missing")
        else:
            print("[ok] window icons (Tabler, MIT) and their licence shipped")

    def check_install(self) -> None:
        script = self.bundle / "install.sh"
        home = Path(self.env["HOME"])
        self.run("install.sh --user", ["sh", str(script), "--user"], "est installé")
        installed = home / ".local" / "bin" / "relais"
        self.run("installed relais --version", [str(installed), "--version"], __version__)
        admin = home / ".local" / "bin" / "relais-admin"
        self.run("installed relais-admin --help", [str(admin), "--help"])
        entry = home / ".local/share/applications/fr.relais_msp.Relais.desktop"
        icon = home / ".local/share/icons/hicolor/256x256/apps/fr.relais_msp.Relais.png"
        expected_exec = f"Exec={home}/.local/lib/relais/relais"
        if not entry.exists() or expected_exec not in entry.read_text(encoding="utf-8"):
            self.fail("desktop entry installed", f"{entry} without {expected_exec}")
        elif not icon.exists():
            self.fail("icons installed", str(icon))
        else:
            print("[ok] desktop entry and icons installed")
        self.run("install.sh --user --uninstall", ["sh", str(script), "--user", "--uninstall"])
        if installed.exists() or entry.exists():
            self.fail("uninstall", "files left behind")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the bundle's folder (dist/relais)")
    parser.add_argument("--xvfb", action="store_true", help="also run on xcb under xvfb-run")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    relais = bundle / ("relais.exe" if sys.platform == "win32" else "relais")
    if not relais.exists():
        print(f"no bundle at {bundle}", file=sys.stderr)
        return 1
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"Bundle {bundle}: {size / 1e6:.0f} MB")
    scratch = Path(tempfile.mkdtemp(prefix="relais-bundle-check-"))
    try:
        check = Checker(bundle, scratch)
        check.run("relais --version", [str(relais), "--version"], f"Relais {__version__}")
        check.check_icons()
        check.run("relais --help (French)", [str(relais), "--help"], "utilisation : relais")
        check.run("relais-admin --help", [str(bundle / "relais-admin"), "--help"])
        check.run("relais --self-test (offscreen)", [str(relais), "--self-test"], "Autotest réussi")
        if args.xvfb:
            if shutil.which("xvfb-run") is None:
                check.fail("relais --demo --self-test on xcb", "xvfb-run is not installed")
            else:
                argv_xcb = ["xvfb-run", "-a", str(relais), "--demo", "--self-test"]
                check.run(
                    "relais --demo --self-test --platform xcb (Xvfb)",
                    [*argv_xcb, "--platform", "xcb"],
                    "plateforme Qt xcb",
                )
        check.check_traces()
        if sys.platform.startswith("linux"):
            check.check_install()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if check.failures:
        print(f"Bundle check FAILED: {', '.join(check.failures)}")
        return 1
    print("Bundle check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
