"""The player's one keymap: every key, what it does on each screen, and the F1 list.

Keys are window shortcuts, so they work wherever the focus is; what a key does depends on
the screen shown (the narration or a key point), never on which control has the focus. A
key that does nothing on the screen shown is switched off there, so it reaches the focused
control as typing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from html import escape


class Screen(StrEnum):
    NARRATION = "narration"
    KEY_POINT = "key_point"
    OTHER = "other"  # check-in, review, result


@dataclass(frozen=True)
class Binding:
    action: str
    keys: tuple[str, ...]  # QKeySequence strings; the first is the one shown
    shown: str  # how the help writes the key
    narration: str = ""  # what it does during the narration ("": nothing)
    key_point: str = ""  # what it does at a key point
    anywhere: str = ""  # what it does on every screen

    def does(self, screen: Screen) -> str:
        if self.anywhere:
            return self.anywhere
        if screen is Screen.NARRATION:
            return self.narration
        if screen is Screen.KEY_POINT:
            return self.key_point
        return ""


KEYMAP: tuple[Binding, ...] = (
    Binding("play_pause", ("K",), "K", "Play or pause the narration", "Play or pause the clip"),
    Binding("back", ("J",), "J", narration="Back 10 seconds"),
    Binding("forward", ("L",), "L", narration="Forward 10 seconds, up to where you have been"),
    Binding("replay", ("R",), "R", narration="Replay this part of the encounter"),
    Binding("captions", ("C",), "C", narration="Captions on or off"),
    Binding("larger", ("Ctrl++", "Ctrl+="), "Ctrl++", "Larger captions", "Zoom in on the image"),
    Binding("smaller", ("Ctrl+-",), "Ctrl+−", "Smaller captions", "Zoom out"),
    Binding("fit", ("Ctrl+0",), "Ctrl+0", key_point="Fit the picture to its space"),
    Binding("frame_back", (",",), ",", key_point="Previous frame (clip paused)"),
    Binding("frame_forward", (".",), ".", key_point="Next frame (clip paused)"),
    Binding("next", ("Alt+Right",), "Alt+Right", key_point="Next question, or continue"),
    Binding("previous", ("Alt+Left",), "Alt+Left", key_point="Previous question"),
    Binding("contrast", ("Ctrl+Shift+H",), "Ctrl+Shift+H", anywhere="High contrast on or off"),
    Binding("help", ("F1",), "F1", anywhere="This list of keys"),
)

# Keys that act on the focused control rather than the screen.
FOCUS_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "Move between controls"),
    ("1–9", "Choose that answer of the question you are in"),
    ("Arrow keys", "Move between answers; move a hotspot mark or a caliper on the image"),
    ("Shift+arrow keys", "Move a mark or a caliper in bigger steps"),
    ("Enter (on the image)", "Place a mark, or the calipers, in the middle"),
    ("A (on the image)", "Switch to the other caliper"),
    ("Alt+Up / Alt+Down", "Move the selected step of an ordering question"),
    ("Space", "Press the focused button, or tick the focused answer"),
)

TIME_RULE = (
    "While this list or any other message is open, the narration and the clips pause. "
    "The time limit keeps counting: only a proctor's pause stops it."
)


def help_html() -> str:
    """The F1 list: a table of the screen keys, then the keys of the focused control."""
    head = "<tr><th align=left>Key</th><th align=left>During the narration</th>" + (
        "<th align=left>At a key point</th></tr>"
    )
    rows = []
    for binding in KEYMAP:
        if binding.anywhere:
            cells = f"<td colspan=2>{escape(binding.anywhere)}</td>"
        else:
            cells = f"<td>{escape(binding.narration or '—')}</td>" + (
                f"<td>{escape(binding.key_point or '—')}</td>"
            )
        rows.append(f"<tr><td><b>{escape(binding.shown)}</b></td>{cells}</tr>")
    focus = "".join(
        f"<tr><td><b>{escape(key)}</b></td><td colspan=2>{escape(what)}</td></tr>"
        for key, what in FOCUS_KEYS
    )
    return (
        f"<table cellspacing=0 cellpadding=3>{head}{''.join(rows)}"
        f"<tr><td colspan=3><br><b>In the control you are in</b></td></tr>{focus}</table>"
        f"<p>{escape(TIME_RULE)}</p>"
    )


def help_markdown() -> str:
    """The same list as a Markdown table, for the README (a test keeps the two the same)."""
    lines = ["| Key | During the narration | At a key point |", "|---|---|---|"]
    for binding in KEYMAP:
        if binding.anywhere:
            lines.append(f"| {binding.shown} | {binding.anywhere} (every screen) | |")
        else:
            lines.append(
                f"| {binding.shown} | {binding.narration or '—'} | {binding.key_point or '—'} |"
            )
    lines += ["", "| In the control you are in | |", "|---|---|"]
    lines += [f"| {key} | {what} |" for key, what in FOCUS_KEYS]
    return "\n".join([*lines, "", TIME_RULE])
