"""Helper module imported relatively by the demo's ``__main__``."""


def greet(name: str, greeting: str) -> str:
    """Build the greeting; separated out so ``__main__`` has a relative import."""
    return f"{greeting}, {name}!"
