"""Write Inter's @font-face rules for static/vendor/inter/inter.css (run by `make assets`).

Reads the pinned @fontsource-variable/inter package's wght.css and wght-italic.css,
keeps the latin and latin-ext faces (Norwegian, Sami and the other Nordic names),
and names the family "Inter", as Designsystemet's theme asks for it.
Usage: python3 frontend/inter_faces.py PACKAGE_DIR > static/vendor/inter/inter.css
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

KEEP = ("latin-wght", "latin-ext-wght")


def faces(package: Path) -> str:
    out = ["/* Inter, variable weight: @fontsource-variable/inter (OFL-1.1), by make assets */"]
    for name in ("wght.css", "wght-italic.css"):
        text = (package / name).read_text(encoding="utf-8")
        found = re.findall(r"/\* (inter-[\w-]+) \*/\s*(@font-face\s*\{.*?\})", text, re.S)
        for comment, rule in found:
            if any(comment.startswith(f"inter-{k}") for k in KEEP):
                rule = rule.replace("'Inter Variable'", "Inter").replace("./files/", "./")
                out.append(f"/* {comment} */\n{rule}")
    if len(out) != 5:
        raise SystemExit(f"expected 4 faces in {package}, found {len(out) - 1}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(faces(Path(sys.argv[1])))
