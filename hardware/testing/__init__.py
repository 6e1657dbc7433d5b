"""Stand-ins for real hardware, driven through the real stacks: a virtual card for pcscd's vpcd driver,
a private pcscd, and a pty pair playing a USB-serial adapter. Used by the tests, the bench and for
trying the kiosk on a machine with no reader attached; never by the kiosk itself."""
