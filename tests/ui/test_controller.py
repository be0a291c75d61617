"""The document controller: findings are announced only when they change."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from idsync.core.findings import Area, Finding, Severity
from idsync.core.model import AudienceTarget, IdSyncDocument
from idsync.ui.controller import DocumentController


def _needs_space_id(doc: IdSyncDocument) -> list[Finding]:
    if doc.target.space_id:
        return []
    return [
        Finding(
            code="T001",
            severity=Severity.ERROR,
            message="Enter the space id.",
            area=Area.TARGET,
            field="target.space_id",
        )
    ]


def _with_space(doc: IdSyncDocument, space_id: str) -> IdSyncDocument:
    return doc.replace(target=AudienceTarget(space_id=space_id))


def _recorder(controller: DocumentController) -> list[list[Finding]]:
    announced: list[list[Finding]] = []
    controller.findingsChanged.connect(announced.append)
    return announced


def test_an_edit_that_keeps_the_findings_announces_the_document_only(qtbot: QtBot) -> None:
    controller = DocumentController(_needs_space_id)
    controller.edit(_with_space(controller.document, "spa_1"), "type")
    announced = _recorder(controller)
    documents: list[object] = []
    controller.documentChanged.connect(lambda _before, after: documents.append(after))

    controller.edit(_with_space(controller.document, "spa_12"), "type")
    controller.undo_stack.undo()

    assert len(documents) == 2
    assert announced == []


def test_findings_that_change_are_announced_on_edit_undo_and_load(qtbot: QtBot) -> None:
    controller = DocumentController(_needs_space_id)
    announced = _recorder(controller)

    controller.edit(_with_space(controller.document, "spa_1"), "type")
    assert announced == [[]]
    controller.undo_stack.undo()
    assert [f.code for f in announced[-1]] == ["T001"]
    controller.load(_with_space(IdSyncDocument(), "spa_2"), None)
    assert announced[-1] == [] and len(announced) == 3
    # Another document with the same findings: the views already show them.
    controller.load(_with_space(IdSyncDocument(name="other"), "spa_3"), None)
    assert len(announced) == 3
    assert controller.findings == []
