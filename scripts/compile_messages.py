"""Compile the catalogues in locale/ (.po) into what Django reads (.mo).

Pure Python, so set-up needs no GNU gettext. Run by scripts/setup; a catalogue is compiled
again only when its .po is newer than its .mo.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(mo_path))
        print(
            f"Compiled {po_path.relative_to(ROOT)}: {len(catalogue.translated_entries())} messages"
        )


if __name__ == "__main__":
    main()
