"""A package: ``python -m greeter NAME`` runs its ``__main__`` submodule."""

GREETING = "Hello"
