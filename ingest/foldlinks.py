"""The link text of a web publication's fold control.

A web publication that folds each item's text away under its heading prints a control
beside the heading to open or close it ('Åbn/luk punkt', 'Fold ud', 'Vis mere', 'Luk
alle').  Stored as text, the control's label is glued to the heading ('183. Godkendelse af
dagsordenÅbn/luk punkt') or stands on a line of its own.  It is the page's furniture, not
part of the title: a phrase of the verbs that open, close, show or hide ('åbn', 'luk',
'fold', 'vis', 'skjul', 'udvid'; two joined by '/' or 'og'), perhaps naming what they act on
('punkt', 'dette punkt', 'alle', 'sagen') or where ('ud', 'ind', 'sammen', 'mere').
"""

from __future__ import annotations

import re

_VERB = r"(?:åbn|åben|luk|fold(?:e)?|vis|skjul|udvid|sammenfold)"
_OBJECT = r"(?:alle|dette|denne|punkt(?:et)?|sag(?:en)?|indhold(?:et)?|ud|ind|sammen|mere|her)"
_FOLD_CONTROL_RE = re.compile(
    rf"{_VERB}(?:\s*(?:/|og)\s*{_VERB})?(?:\s+{_OBJECT}){{0,3}}", re.IGNORECASE
)


def is_fold_control(text: str) -> bool:
    """True when ``text`` is nothing but a fold control's link text.

    >>> is_fold_control("Åbn/luk punkt")
    True
    >>> is_fold_control("fold dette punkt ind")
    True
    >>> is_fold_control("Luk af for vandet")
    False
    """
    return bool(_FOLD_CONTROL_RE.fullmatch(text.strip().rstrip(".")))
