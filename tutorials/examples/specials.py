"""Print the special globals runpy chose for this run."""

import os

for key in ("__name__", "__package__", "__file__"):
    value = globals()[key]
    if key == "__file__":
        value = os.path.relpath(value)
    print(f"{key} = {value!r}")
print(f"__spec__.name = {__spec__.name!r}")
