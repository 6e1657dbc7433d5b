"""The HTTP API's own concerns, shared by the kiosks' routes and the office's pages.

- `errors`: refusals with a stable code and a sentence an administrator can act on.
- `limits`: request bodies bounded before anything is parsed; gzip-compressed pushes.
- `timing`: a `Server-Timing` header on every answer.
"""
