"""Render each editor step at 1280x800 into docs/screenshots/ (run with no display needed).

    .venv/bin/python scripts/screenshots.py [OUTPUT_FOLDER]

Uses the offscreen Qt platform and a throw-away settings folder, so it neither needs a
screen nor touches the person's own settings, recent files or autosave.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from idsync.core.model import IdSyncDocument

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1280, 800)
SHOTS = {
    "target": "target.png",
    "destination": "destination.png",
    "identifiers": "event-settings.png",
    "review": "review.png",
}


def facebook_document() -> IdSyncDocument:
    # Imported here: main() sets up the environment before the app is imported.
    from idsync.core.model import (
        AudienceTarget,
        DestinationRef,
        IdentifierRow,
        IdSyncDocument,
        Setup,
        Strategy,
    )

    return IdSyncDocument(
        name="VIP buyers → Facebook",
        notes="Sends hashed email and phone, plus iOS ad IDs, for the VIP buyers audience. "
        "Approved by the growth team.",
        target=AudienceTarget(space_id="spa_9f2KxQe7LmN3", audience_id="aud_2bLq8TtW5vYx"),
        destination=DestinationRef(
            slug="personas-facebook-custom-audiences",
            name="Facebook Custom Audiences",
            instance_id="64f1c2a9e3b8d70012ab34cd",
        ),
        setup=Setup.CUSTOMIZED,
        send_mobile_ids=True,
        custom_identifiers=("phone", "first_name"),
        identifiers=(
            IdentifierRow(segment="email", destination="EMAIL", strategy=Strategy.LAST),
            IdentifierRow(segment="phone", destination="PHONE", strategy=Strategy.ALL),
            IdentifierRow(segment="ios.idfa", destination="MADID", strategy=Strategy.ALL),
            IdentifierRow(segment="first_name", destination="FN", strategy=Strategy.LAST),
        ),
    )


def main(argv: list[str]) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["IDSYNC_HOME"] = tempfile.mkdtemp(prefix="idsync-screenshots-")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication

    from idsync.catalog import load_catalog
    from idsync.editor.steps import Step
    from idsync.storage.settings import Settings
    from idsync.ui.application import create_application
    from idsync.ui.main_window import MainWindow

    output = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    output.mkdir(parents=True, exist_ok=True)

    app = create_application()
    window = MainWindow(load_catalog(), Settings())
    window.resize(*SIZE)
    window.show()
    window.controller.load(facebook_document(), Path("vip-buyers-facebook.json"))
    QApplication.processEvents()
    for step in Step:
        window.go_to_step(step)
        QApplication.processEvents()
        path = output / SHOTS[step.value]
        if not window.grab().save(str(path)):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        print(path)
    window.controller.undo_stack.setClean()
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
