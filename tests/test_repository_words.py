"""The repository names no path or lock file of one machine, and no document outside itself.

Such words are true only on the machine they were written on: a reader
elsewhere finds no lock file in the system's temporary folder, no folder of
the machine this was written on, no design notes beside the repository.
Temporary folders in code come from `tempfile` (or pytest's `tmp_path`),
never from a written path.
"""

from __future__ import annotations

import re
import subprocess

from helpers_core import APP_DIR

# Bracketed letters keep this file from naming the paths it looks for.
ONE_MACHINE = re.compile(r"/t[m]p/|/w[o]rk/|BROWSER_T[E]STING|DESIGN\.m[d]")


def test_no_file_names_a_path_of_one_machine_or_a_document_outside_the_repository():
    listed = subprocess.run(["git", "ls-files"], cwd=APP_DIR, capture_output=True, text=True, check=True).stdout
    found = []
    for name in listed.splitlines():
        path = APP_DIR / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # pictures, models and other binary files
        lines = enumerate(text.splitlines(), start=1)
        found += [f"{name}:{n}: {line.strip()}" for n, line in lines if ONE_MACHINE.search(line)]
    assert not found, "\n".join(found)
