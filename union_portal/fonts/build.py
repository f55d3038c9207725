"""Rebuild the fonts in this directory from Debian's packages (development only; the built files are committed,
so a fresh machine needs neither Debian's fonts nor fontTools at run time).

    apt-get install fonts-wqy-microhei fonts-hanazono
    .venv/bin/python union_portal/fonts/build.py

- ``wqy-microhei.ttc``: WenQuanYi Micro Hei 0.2.0-beta, copied unchanged (face 0 is used).
- ``HanaMinB-ext.ttf``: HanaMinB with every character of the supplementary ideographic plane (CJK Extensions
  B–F: U+20000–U+2FFFF) and nothing else; hinting dropped (ReportLab does not use it). Ext B stays complete.
- ``HanaMinA-extA.ttf``: HanaMinA with only what WenQuanYi lacks among the CJK ideographs of the BMP (Extension A,
  the newest unified ideographs, compatibility ideographs, radicals and strokes), hinting dropped.

The Hanazono fonts are dual-licensed (Hanazono Font License or SIL OFL 1.1); the subsets are distributed under
the Hanazono Font License, which allows modified versions under the original names (the OFL's Reserved Font
Names would not). See LICENSES.md.
"""

import shutil
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]  # development only, untyped
from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
HANAZONO = Path("/usr/share/fonts/truetype/hanazono")
EXT_A_RANGES = [(0x2E80, 0x2FDF), (0x31C0, 0x31EF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
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
    wqy = set(TTCollection(str(WQY)).fonts[0].getBestCmap())

    hana_b = TTFont(str(HANAZONO / "HanaMinB.ttf"), lazy=True).getBestCmap()
    plane_2 = sorted(cp for cp in hana_b if PLANE_2[0] <= cp <= PLANE_2[1])
    _subset(HANAZONO / "HanaMinB.ttf", plane_2, HERE / "HanaMinB-ext.ttf")

    hana_a = TTFont(str(HANAZONO / "HanaMinA.ttf"), lazy=True).getBestCmap()
    gaps = sorted(cp for cp in hana_a if cp not in wqy and any(lo <= cp <= hi for lo, hi in EXT_A_RANGES))
    _subset(HANAZONO / "HanaMinA.ttf", gaps, HERE / "HanaMinA-extA.ttf")

    for name, count in (("HanaMinB-ext.ttf", len(plane_2)), ("HanaMinA-extA.ttf", len(gaps))):
        print(f"{name}: {count} characters, {(HERE / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
