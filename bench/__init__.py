"""Benchmarks: each module prints its figures side by side with a baseline run. Not part of `make test`."""
