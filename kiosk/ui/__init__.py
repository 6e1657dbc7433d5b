"""The touchscreen kiosk (Kivy). Screens are thin: every rule is in kiosk.services.

Modules that import Kivy (app, widgets, screens) are imported only after `kiosk.ui.env.prepare()` has
set Kivy's environment; the rest (worker, controller, reader pump, fonts lookup, formatting) have no
Kivy in them and are unit-tested without a display.
"""
