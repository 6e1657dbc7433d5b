"""Real processes to try the sync server against: a private PostgreSQL cluster and the server itself
under uvicorn. Used by the tests and the benchmarks; never by the kiosk or a school's server."""
