"""The 留守儿童之家 kiosk: Kivy app, console and the services it drives."""
