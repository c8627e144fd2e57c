"""Errors with a message meant for the user: the CLI prints one line, the GUI a dialog."""


class PlaygroundError(Exception):
    """Base: str(e) is a complete, user-facing sentence."""


class ModelLoadError(PlaygroundError):
    pass


class UnsupportedArchitecture(ModelLoadError):
    pass


class InputError(PlaygroundError):
    """Bad prompt, option value or request."""


class DeviceError(PlaygroundError):
    pass


class WriteError(PlaygroundError, OSError):
    """A file or folder could not be written; the message names the user's path, never a temp file."""
