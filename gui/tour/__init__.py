"""The tour player: built-in and recorded tours, presenter mode, `tplay tour run`."""
