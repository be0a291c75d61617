"""The destination list model: its rows are the search's answer, and narrowing the search
removes rows in place where a view can keep its items, resetting only when that is not so."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from idsync.catalog.search import DestinationIndex
from idsync.core.catalog import Catalog, DestinationSpec
from idsync.core.model import DestinationKind
from idsync.ui.pages.catalog_list import CHOSEN_ROLE, SPEC_ROLE, CatalogListModel


def _catalog(*names: str) -> Catalog:
    return Catalog(
        identifiers=(),
        destinations=tuple(
            DestinationSpec(slug=f"d{n}", name=name, category="Audiences")
            for n, name in enumerate(names)
        ),
    )


def _names(model: CatalogListModel) -> list[str]:
    return [model.index(row).data() for row in range(model.rowCount())]


class _Signals:
    """What a view hears from the model."""

    def __init__(self, model: CatalogListModel) -> None:
        self.resets = 0
        self.removed: list[tuple[int, int]] = []
        model.modelReset.connect(self._reset)
        model.rowsRemoved.connect(self._remove)

    def _reset(self) -> None:
        self.resets += 1

    def _remove(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.removed.append((first, last))


ACME = _catalog("Acme CRM", "Acorn", "Acme Ads", "Act On", "Acme Mail", "Mailer")


def test_rows_are_the_search_answer(qtbot: QtBot, qtmodeltester: object) -> None:
    model = CatalogListModel(ACME)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    index = DestinationIndex(ACME)
    for text in ("", "a", "ac", "acme", "mail", "m", "zzz", "crm acme"):
        model.set_filter(text, None)
        found = index.search(text)
        assert _names(model) == [spec.name for spec in found]
        assert [model.index(r).data(SPEC_ROLE) for r in range(model.rowCount())] == list(found)
        for row, spec in enumerate(found):
            assert model.row_of(spec.slug) == row
            assert model.spec_at(row) is spec
        assert model.spec_at(len(found)) is None
    assert model.row_of("d1") == -1  # Acorn is not among "crm acme"'s matches
    assert model.index(1).data() is None


def test_narrowing_removes_the_rows_that_went_and_keeps_the_current_one(
    qtbot: QtBot, qtmodeltester: object
) -> None:
    model = CatalogListModel(ACME)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_filter("ac", None)
    assert _names(model) == ["Acme CRM", "Acorn", "Acme Ads", "Act On", "Acme Mail"]
    current = QPersistentModelIndex(model.index(4))  # Acme Mail
    signals = _Signals(model)

    model.set_filter("acm", None)

    assert _names(model) == ["Acme CRM", "Acme Ads", "Acme Mail"]
    assert signals.resets == 0
    assert signals.removed == [(3, 3), (1, 1)]  # from the bottom, so rows above stay put
    assert current.isValid() and current.row() == 2
    assert model.row_of("d4") == 2


def test_a_search_that_reorders_the_list_resets_it(qtbot: QtBot, qtmodeltester: object) -> None:
    model = CatalogListModel(ACME)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    signals = _Signals(model)

    model.set_filter("m", None)  # Mailer begins with m: it moves to the top

    assert _names(model) == ["Mailer", "Acme CRM", "Acme Ads", "Acme Mail"]
    assert (signals.resets, signals.removed) == (1, [])


def test_a_search_that_leaves_out_many_separate_rows_resets_the_list(
    qtbot: QtBot, qtmodeltester: object
) -> None:
    catalog = _catalog(*(f"{'Kept' if n % 2 else 'Gone'} {n}" for n in range(60)))
    model = CatalogListModel(catalog)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    signals = _Signals(model)

    model.set_filter("kept", None)  # thirty rows leave, each on its own

    assert _names(model) == [f"Kept {n}" for n in range(1, 60, 2)]
    assert (signals.resets, signals.removed) == (1, [])


def test_the_same_answer_again_tells_the_view_nothing(qtbot: QtBot) -> None:
    model = CatalogListModel(ACME)
    model.set_filter("acme", None)
    signals = _Signals(model)
    model.set_filter("ACME  ", None)
    model.set_filter("acme", DestinationKind.DESTINATION)  # every entry here is one
    assert (signals.resets, signals.removed) == (0, [])


def test_the_chosen_mark_follows_the_filtered_rows(qtbot: QtBot) -> None:
    model = CatalogListModel(ACME)
    model.set_filter("mail", None)
    changed: list[int] = []
    model.dataChanged.connect(lambda first, _last, _roles: changed.append(first.row()))
    model.set_chosen("d4")  # Acme Mail, the second row
    assert changed == [1]
    assert model.index(1).data(CHOSEN_ROLE) is True
    assert model.index(1).data(Qt.ItemDataRole.AccessibleTextRole).endswith(", chosen")
    model.set_filter("", None)
    assert model.index(model.row_of("d4")).data(CHOSEN_ROLE) is True
    assert model.index(0).data(CHOSEN_ROLE) is False
