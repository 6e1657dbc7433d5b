"""Who may use the office: users and their passwords, sessions, rights, and the sign-in throttle.

- `users`: office users, roles and passwords; `sessions`: signed-in browsers and their CSRF tokens.
- `access`: who may open which school and do what there; `login_throttle`: names and addresses that keep
  failing.
"""
