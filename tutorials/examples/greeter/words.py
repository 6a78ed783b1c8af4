"""A helper module, imported relatively by ``greeter.__main__``."""


def exclaim(text: str) -> str:
    return text + "!"
