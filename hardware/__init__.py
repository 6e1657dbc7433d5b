"""Card readers and barcode scanners behind one small interface (see `hardware.base`).

How a tap travels::

    PcscSource (pyscard)  ─┐
    SerialSource (pyserial)├─ raw sightings ─► Debouncer ─► ReaderHub.get() / .taps()  ─► kiosk
    WedgeDecoder (UI keys) ┘   (uid, reader, monotonic time)      (one merged CardReader)
                 └─ barcodes ─► Scan, returned to the UI by ReaderHub.feed_key

Modules, one job each:

* `base`        CardTap, Scan, CardReader, and the UID spelling policy (`normalise_uid`, `em4100_uid`)
* `debounce`    the only debouncer: a card resting on a reader is one tap
* `source`      the adapter protocol, and the supervisor that restarts an adapter with backoff
* `hub`         all readers as one CardReader, each adapter in its own thread
* `pcsc`        PC/SC readers through pyscard (GET DATA `FF CA 00 00 00` for the UID)
* `frames`      RDM6300 and line-per-card parsers (pure); `serial_reader` puts them on a pyserial port
* `wedge`       keyboard-wedge readers and barcode scanners from (key, time) events (pure)
* `config`      `ReaderSettings` from the kiosk's `[readers]` table; `factory` opens them; `detect` looks
* `fake`        FakeReader and ManualClock for fast tests of the services and UI
* `testing`     a private pcscd, a vpcd virtual card and a pty serial line (tests, bench, demos)
* `__main__`    `python -m hardware list|watch` for the room administrator

Defaults: debounce gap 1.5 s; PC/SC poll 0.25 s; serial 9600 baud RDM6300 frames with EM4100 IDs as
10-digit decimals; reconnect after 0.5 s, doubling to at most 10 s; a wedge key gap of at most 50 ms.
"""
