"""Offline-first sync between a kiosk's outbox and the school's central server."""
