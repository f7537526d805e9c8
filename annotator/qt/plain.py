"""Data shown as text, never as markup.

Qt guesses whether a tooltip or label is rich text; a title or label name such as
``<img src=x>`` would be rendered (and load a file). Tooltips are therefore given as rich text
holding the escaped data, so it shows exactly as written.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
