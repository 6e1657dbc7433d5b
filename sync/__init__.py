"""Offline-first sync between a kiosk's outbox and the school's central server.

`wire` is the schema both sides share; `client` is the kiosk's side (installed on the Pi); `server` is
the school's side (installed on the school's or county's server only). Client and server share only
the wire.
"""
