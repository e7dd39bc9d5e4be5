"""The key footer of every screen: Textual's Footer, composed at once and only when keys change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

# Not exported by Textual; like `_bindings_ready` below, fine while Textual is pinned (a Textual
# upgrade must check this subclass, which its snapshot and pilot tests exercise on every screen).
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's footer, minus the work that changes nothing on screen.

    Textual's footer starts empty and is recomposed on every bindings signal (a focus move, a
    screen resume...): several times per screen shown, each one restyling every key twice. This
    one shows its keys in the screen's first frame, styled once, and is recomposed only when
    they differ. With `later`, the keys come right after the first frame instead (the app's
    start: that frame is painted sooner without them).
    """

    def __init__(self, *args: Any, later: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._composed: tuple[object, ...] | None = None
        self._later = later

    def _keys(self) -> tuple[object, ...]:
        """What the footer shows: each key's binding, whether enabled, and its tooltip."""
        return tuple(
            (binding, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )

    def compose(self) -> ComposeResult:
        """The keys of the screen's bindings, from the first frame on (unless `later`)."""
        if self._later:
            # Seven keys are about a sixth of the home's first frame (a widget each, styled
            # and measured), and the list takes keys without them.
            self._later = False
            self.call_after_refresh(self.recompose)
            return
        # The bindings are those of the screen and the app until something takes the focus;
        # a focus with keys of its own changes them, and the footer is then composed again.
        self._bindings_ready = True
        self._composed = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # Such a key starts compact, then takes the footer's style (a data binding):
                # starting it in that style spares two restyles per key. (The palette's key
                # is not bound: it stays compact.)
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    async def recompose(self) -> None:
        """Compose again, unless the keys to show are the ones shown."""
        if self._composed is not None and self.is_attached and self._keys() == self._composed:
            return
        await super().recompose()
