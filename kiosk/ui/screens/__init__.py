"""One module per screen: idle, the child's home, family call, borrow/return, PIN, administrator."""
