"""The step pages in the window's stack, each built on first use: the starting one at
once, the rest one per turn of the event loop once the window is up, so the first paint
waits for one page, not four. A placeholder holds each one's place until then.

Part of the frame: the pages' own modules (the editor's widgets) load when a page is
first built (``_build``), not with the frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget, QWidget

from idsync.editor.steps import Step

if TYPE_CHECKING:
    from idsync.ui.main_window import MainWindow


def _last_tab_stop(page: QWidget) -> QWidget | None:
    """The last control of ``page`` that Tab stops at, in the window's focus chain."""
    last: QWidget | None = None
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page and page.isAncestorOf(widget):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            last = widget
        widget = widget.nextInFocusChain()
    return last


class StepPages(Mapping[Step, QWidget]):
    """``window.pages[step]``: each page, built (and put in its place in ``stack``) on
    first use; a built page's controls join the Tab chain before ``last_tab_stop``."""

    def __init__(self, window: MainWindow, stack: QStackedWidget, last_tab_stop: QWidget) -> None:
        self._window = window
        self._stack = stack
        self._last_tab_stop = last_tab_stop
        self._built: dict[Step, QWidget] = {}
        for _step in Step:
            stack.addWidget(QWidget())

    def __getitem__(self, step: Step) -> QWidget:
        built = self._built.get(step)
        if built is not None:
            return built
        built = self._build(step)
        self._built[step] = built
        stack = self._stack
        current = stack.currentIndex()
        placeholder = stack.widget(step.position)
        stack.insertWidget(step.position, built)
        if placeholder is not None:
            stack.removeWidget(placeholder)
            placeholder.deleteLater()
        stack.setCurrentIndex(current)
        # A page's controls join the end of the window's Tab chain; the status bar's
        # findings button stays last, after the controls of the page on screen.
        last = _last_tab_stop(built)
        if last is not None:
            QWidget.setTabOrder(last, self._last_tab_stop)
        return built

    def __iter__(self) -> Iterator[Step]:
        return iter(Step)

    def __len__(self) -> int:
        return len(Step)

    def is_built(self, step: Step) -> bool:
        return step in self._built

    def missing(self) -> list[Step]:
        return [step for step in Step if step not in self._built]

    def _build(self, step: Step) -> QWidget:
        window = self._window
        if step is Step.TARGET:
            # Seam "pages": each page's module loads when the page is first built.
            from idsync.ui.pages.target import TargetPage

            return TargetPage(window.controller)
        if step is Step.DESTINATION:
            # Seam "pages": each page's module loads when the page is first built.
            from idsync.ui.pages.destination import DestinationPage

            return DestinationPage(window.controller, window.catalog)
        if step is Step.IDENTIFIERS:
            # Seam "pages": each page's module loads when the page is first built.
            from idsync.ui.identifiers import EventSettingsPage
            from idsync.ui.window_menus import disabled_reason

            event_settings = EventSettingsPage(
                window.controller, window.catalog, window.remembered_identifiers
            )
            show: Callable[[str], None] = window.show_message
            event_settings.shortcutRefused.connect(lambda action: show(disabled_reason(action)))
            return event_settings
        # Seam "pages": each page's module loads when the page is first built.
        from idsync.ui.pages.review import ReviewPage

        review = ReviewPage(window.controller, window.catalog)
        review.findingActivated.connect(window.go_to_finding)
        review.exportRequested.connect(window.files.export)
        return review
