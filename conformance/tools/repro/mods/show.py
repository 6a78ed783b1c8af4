import sys

loader = type(globals().get("__loader__")).__name__
spec = __spec__.name if __spec__ else None
print("__name__", __name__, "| __spec__", spec, "| __loader__", loader, "| __package__", repr(__package__))
print("argv", sys.argv, "| path0", repr(sys.path[0]))
print("main is this module", sys.modules["__main__"].__dict__ is globals(),
      "| __builtins__", type(__builtins__).__name__)
