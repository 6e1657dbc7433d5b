"""The few widgets every screen is built from, one module per kind (import them from here):

- `scale`: `px` and the window's scale; `buttons`: big rounded buttons and picture tiles;
- `text`: wrapping text, text that fits its box, panels, the message band (`Banner`);
- `pictures`: shapes drawn where the font has no glyph; `keypad`: digits on big keys;
- `tables`: the administrator's scrolling lists.
"""

from kiosk.ui.widgets.buttons import KButton, button, tile
from kiosk.ui.widgets.keypad import Keypad, KeypadPopup
from kiosk.ui.widgets.pictures import BarcodePicture
from kiosk.ui.widgets.scale import px, use_scale
from kiosk.ui.widgets.tables import Table, TableRow, scrolling_grid
from kiosk.ui.widgets.text import Banner, FitText, Panel, Text

__all__ = [
    "BarcodePicture",
    "Banner",
    "FitText",
    "KButton",
    "Keypad",
    "KeypadPopup",
    "Panel",
    "Table",
    "TableRow",
    "Text",
    "button",
    "px",
    "scrolling_grid",
    "tile",
    "use_scale",
]
