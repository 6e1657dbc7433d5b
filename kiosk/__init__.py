"""The 留守儿童之家 kiosk, in floors (each imports only the ones below it; tests/test_layering.py):

- `platform`: the ground — config, the device key, the systemd watchdog, the words (zh-CN, en);
- `services`: the room's rules, with no Kivy and no HTTP (the touchscreen, the console and the tests
  all drive them);
- `ui`: the Kivy touchscreen; its screens ask a `ScreenHost` (ui/host.py) for what they need;
- `commands`: what a person or systemd starts (`python -m kiosk`, backups, health, sync).
"""
