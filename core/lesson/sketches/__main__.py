"""`python -m core.lesson.sketches [PATH]`: remake the shipped training drawings (PATH: another file to write)."""

import sys
from pathlib import Path

from core.lesson.sketches import SHIPPED, write

write(Path(sys.argv[1]) if len(sys.argv) > 1 else SHIPPED)
