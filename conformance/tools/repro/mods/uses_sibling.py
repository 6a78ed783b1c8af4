# Must fail under PYTHONSAFEPATH=1 (3.11+): the script's directory is not on sys.path.
import sibling  # noqa: F401

print("imported sibling")
