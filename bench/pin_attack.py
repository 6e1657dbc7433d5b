"""What someone holding only a kiosk's database file learns about a staff PIN: before and after sealing.

    python -m bench.pin_attack                 # time 300 guesses, extrapolate; then the sealed value
    python -m bench.pin_attack --guesses 10000 # the whole 4-digit space against the scrypt hash

Before (main until issue 13): the kiosk stored the server's scrypt hash, so the file alone let anyone
test guesses at scrypt's speed on one core. After: the kiosk stores the hash sealed with a device key
that is not in the file (db.pin_seal); the same routine, and the right PIN among the guesses, confirms
nothing, because every guess would also need the 256-bit key.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import time

from db.pin_hash import hash_pin, verify_pin
from db.pin_seal import PinKey, SealedUnderAnotherKey, seal_pin_hash, verify_sealed_pin


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pin_attack", description=__doc__.split("\n\n")[0])
    parser.add_argument("--guesses", type=int, default=300, help="scrypt guesses to time (10000 = all)")
    args = parser.parse_args()
    pin = f"{secrets.randbelow(10_000):04d}"
    plain = hash_pin(pin)
    guesses = [f"{i:04d}" for i in range(min(args.guesses, 10_000))]
    started = time.perf_counter()
    found = next((g for g in guesses if verify_pin(g, plain)), None)
    tried = guesses.index(found) + 1 if found else len(guesses)
    per_guess = (time.perf_counter() - started) / tried
    print(f"before: the file's scrypt hash, {tried} guesses, {per_guess * 1000:.1f} ms each, one core")
    print(f"        PIN {'found: ' + found if found else 'not among these guesses'}")
    print(f"        all 10,000 4-digit PINs: {per_guess * 10_000 / 60:.1f} min;")
    print(f"        all 1,000,000 6-digit PINs: {per_guess * 1_000_000 / 3600:.1f} h")

    sealed = seal_pin_hash(plain, PinKey(os.urandom(32)))  # the key stays on the device, not in the file
    confirmed = 0
    for guess in [*guesses, pin]:
        confirmed += verify_pin(guess, sealed)  # as if it were a scrypt hash
        with contextlib.suppress(SealedUnderAnotherKey):  # a guessed key is never the device's
            confirmed += verify_sealed_pin(guess, sealed, PinKey(os.urandom(32)))
    tried = len(guesses) + 1
    print(f"after:  the file's sealed value, {tried} guesses incl. the right PIN: {confirmed} confirmed")
    return 0
