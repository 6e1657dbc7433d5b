"""The school office's web app: server-rendered pages over the office's services.

- `setup`: mounting the pages, static files and error pages on the server's app.
- `context`: what every page handler receives (database, user, locale, CSRF); `render`, `forms`, `charts`,
  `imports`.
- `pages/`: one module per page or group of pages; `templates/` and `static/`: what they draw with.
"""
