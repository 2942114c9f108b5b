"""The one exception type the core raises for anything a user must read: a Vietnamese message."""


class KH75Error(Exception):
    """An expected failure with a message in Vietnamese that says what and where."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
