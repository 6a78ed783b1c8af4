"""A package of small tools; importing it prints a line, so you can see *when* it happens."""

print("tools/__init__.py runs: the parent package is imported first")
