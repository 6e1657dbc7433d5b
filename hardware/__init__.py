"""Card readers and barcode scanners behind one small interface (see `hardware.base`)."""
