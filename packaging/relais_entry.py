"""The bundle's one entry point: ``relais``, or ``relais-admin`` when started under that name.

One PyInstaller analysis serves both commands: on Linux ``relais-admin`` is a symbolic link
to ``relais`` in the bundle's folder, on Windows ``relais-admin.exe`` is a second executable
built from this same script (packaging/relais.spec).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    name = Path(sys.argv[0]).stem.lower() if sys.argv and sys.argv[0] else "relais"
    if name.startswith("relais-admin"):
        from app.admin import main as admin_main

        return admin_main()
    from app.main import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
