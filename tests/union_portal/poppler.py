"""poppler-utils (pdffonts, pdftotext) for the tests that read back the PDFs the portal makes. Installed by .ci/run;
on a machine without them the tests skip, but under CI (``CI`` set) they fail: the checks must run there."""

import os
import shutil
import subprocess  # nosec B404: runs the fixed poppler tools on a file the test wrote
import tempfile

import pytest


def require() -> None:
    missing = [tool for tool in ("pdffonts", "pdftotext") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"{', '.join(missing)} not found: install poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the PDF checks)")
    pytest.skip(message)


def _run(tool: list[str], document: bytes) -> str:
    require()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(document)
        file.flush()
        return subprocess.run(
            [*tool, file.name, *(["-"] if tool[0] == "pdftotext" else [])],  # nosec B603
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def fonts(document: bytes) -> list[dict[str, str]]:
    """pdffonts' table: one dict per font (name, type, encoding, emb, sub, uni)."""
    lines = _run(["pdffonts"], document).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name, type (may be two words: "Type 1", "CID Type 0C"), encoding, emb, sub, uni, object, generation
        rows.append(
            {"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]}
        )
    return rows


def text(document: bytes) -> str:
    """pdftotext's reading of the document (lines in reading order)."""
    return _run(["pdftotext", "-enc", "UTF-8"], document)
