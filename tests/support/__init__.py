"""Test helpers, never imported by production code (tests/test_layering.py checks it).

- `pcscd`, `vpcd`, `serial_line`: stand-ins for real hardware driven through the real stacks (a private
  pcscd with the vpcd driver, a virtual contactless card, a pty pair playing a USB-serial adapter).
- `processes`: real processes to try the sync server against: a private PostgreSQL cluster, the server
  under uvicorn.
- `full_card`, `schema_diff`: a tmpfs that fills up; comparing two databases' schemas.

The benchmarks use them too.
"""
