"""The ground the kiosk stands on, below its services and screens: this Pi and its person.

- `config`: `kiosk.toml` and where the data lives.
- `device_key`: where the staff-PIN seal key comes from (the Pi's OTP, or a file).
- `watchdog`: telling systemd the kiosk is up and still drawing.
- `words`: the kiosk's two languages (zh-CN first, English second), keyed by stable codes.
"""
