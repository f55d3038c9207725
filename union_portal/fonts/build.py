"""Rebuild the fonts in this directory from Debian's packages (development only; the built files are committed,
so a fresh machine needs neither Debian's fonts nor fontTools at run time).

    apt-get install fonts-wqy-microhei fonts-hanazono
    .venv/bin/python union_portal/fonts/build.py

- ``wqy-microhei.ttc``: WenQuanYi Micro Hei 0.2.0-beta, copied unchanged (face 0 is used).
- ``HanaMinB-ext.ttf``: HanaMinB with every character of the supplementary ideographic plane (CJK Extensions
  B–F: U+20000–U+2FFFF) and nothing else; hinting dropped (ReportLab does not use it). Ext B stays complete.
- ``HanaMinA-gaps.ttf``: HanaMinA with only the characters of the BMP that WenQuanYi lacks or has as an empty glyph
  (Extension A, the newest unified ideographs, compatibility ideographs, radicals; and ǎ ǐ ǒ ǔ ǘ ǚ ǜ ℃ Ⅴ and the
  like, which WenQuanYi maps to a blank), hinting dropped. Left out: private-use characters (their meaning is the
  font's own), combining marks (ReportLab does not position them) and format and control characters.

The Hanazono fonts are dual-licensed (Hanazono Font License or SIL OFL 1.1); the subsets are distributed under
the Hanazono Font License, which allows modified versions under the original names (the OFL's Reserved Font
Names would not). See LICENSES.md.
"""

import shutil
import unicodedata
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]  # development only, untyped
from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
HANAZONO = Path("/usr/share/fonts/truetype/hanazono")
LEFT_OUT_CATEGORIES = {"Mn", "Mc", "Me", "Co", "Cf", "Cc", "Cs"}
PLANE_2 = (0x20000, 0x2FFFF)


def _subset(source: Path, unicodes: list[int], target: Path) -> None:
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.drop_tables += ["FFTM"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def main() -> None:
    shutil.copyfile(WQY, HERE / "wqy-microhei.ttc")
    wqy_font = TTCollection(str(WQY)).fonts[0]
    outlines = wqy_font["glyf"]
    wqy = {
        cp for cp, glyph in wqy_font.getBestCmap().items() if outlines[glyph].numberOfContours != 0 or chr(cp).isspace()
    }

    hana_b = TTFont(str(HANAZONO / "HanaMinB.ttf"), lazy=True).getBestCmap()
    plane_2 = sorted(cp for cp in hana_b if PLANE_2[0] <= cp <= PLANE_2[1])
    _subset(HANAZONO / "HanaMinB.ttf", plane_2, HERE / "HanaMinB-ext.ttf")

    hana_a = TTFont(str(HANAZONO / "HanaMinA.ttf"), lazy=True).getBestCmap()
    gaps = sorted(
        cp
        for cp in hana_a
        if cp < 0x10000 and cp not in wqy and unicodedata.category(chr(cp)) not in LEFT_OUT_CATEGORIES
    )
    _subset(HANAZONO / "HanaMinA.ttf", gaps, HERE / "HanaMinA-gaps.ttf")

    for name, count in (("HanaMinB-ext.ttf", len(plane_2)), ("HanaMinA-gaps.ttf", len(gaps))):
        print(f"{name}: {count} characters, {(HERE / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
