"""The few widgets every screen is built from, one module per kind (import them from here):

- `scale`: `px` and the window's scale; `buttons`: big rounded buttons; `picture_tiles`: a picture
  over (or beside) a caption, and a picture alone;
- `text`: wrapping text, text that fits its box (kiosk.ui.fitting), panels, the message band
  (`Banner`, heard through `use_feedback`); every label escapes plain text for markup;
- `pictures`: shapes drawn where the font has no glyph; `keypad`: digits on big keys;
- `tables`: the administrator's scrolling lists.
"""

from kiosk.ui.widgets.buttons import KButton, button
from kiosk.ui.widgets.keypad import Keypad, KeypadPopup
from kiosk.ui.widgets.picture_tiles import Picture, PictureTile, tile
from kiosk.ui.widgets.pictures import BarcodePicture
from kiosk.ui.widgets.scale import px, use_scale
from kiosk.ui.widgets.tables import Table, TableRow, scrolling_grid
from kiosk.ui.widgets.text import Banner, CellText, FitText, Panel, Text, use_feedback

__all__ = [
    "BarcodePicture",
    "Banner",
    "CellText",
    "FitText",
    "KButton",
    "Keypad",
    "KeypadPopup",
    "Panel",
    "Picture",
    "PictureTile",
    "Table",
    "TableRow",
    "Text",
    "button",
    "px",
    "scrolling_grid",
    "tile",
    "use_feedback",
    "use_scale",
]
