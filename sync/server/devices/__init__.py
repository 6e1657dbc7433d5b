"""The kiosks as devices: how one gets in, proves who it is, and what it pulls.

- `provisioning`: schools, rooms, enrolment codes and revocation, as the administrator sets them up.
- `enrolment`: trading a one-time code for a device token; `enrolment_throttle` slows guessing.
- `credentials`: tokens and codes, random, shown once, stored as hashes.
- `pull`: the school's central rows changed after a kiosk's cursor.
"""
