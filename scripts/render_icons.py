"""Render the app icon from its hand-written SVG into every file the platforms need.

    .venv/bin/python scripts/render_icons.py          # rewrite the shipped icons
    .venv/bin/python scripts/render_icons.py --check  # exit 1 when they are out of date

Source: resources/icons/hicolor/scalable/apps/<DESKTOP_ID>.svg. Writes:
- resources/icons/hicolor/<N>x<N>/apps/<DESKTOP_ID>.png for N in SIZES (Linux icon theme
  layout, so ``make install-desktop`` copies the tree as it is; the window icon too);
- packaging/icons/idsync.ico (Windows: one PNG-compressed entry per size, 16-256);
- packaging/icons/idsync.icns (macOS: PNG entries 16-1024, normal and @2x).

Qt's QSvgRenderer (QtSvg, part of PySide6-Essentials) draws the SVG; the .ico and .icns
containers are simple enough to write here, so no image tool is needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from idsync import DESKTOP_ID  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's type codes for PNG-encoded entries, by pixel size (the @2x ones reuse pixels).
ICNS_TYPES = (
    ("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256),
    ("ic09", 512), ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256),
    ("ic14", 512),
)

ICON_ROOT = ROOT / "resources" / "icons" / "hicolor"
SOURCE = ICON_ROOT / "scalable" / "apps" / f"{DESKTOP_ID}.svg"
PACKAGING = ROOT / "packaging" / "icons"


def png_path(size: int, icon_root: Path = ICON_ROOT) -> Path:
    return icon_root / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO container holding PNG images (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, blobs = b"", b""
    for size in ICO_SIZES:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind.encode("ascii") + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def outputs() -> dict[Path, bytes]:
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SOURCE} is not a valid SVG")
    needed = {*SIZES, *ICO_SIZES, *(size for _kind, size in ICNS_TYPES)}
    pngs = {size: render(renderer, size) for size in sorted(needed)}
    files = {png_path(size): pngs[size] for size in SIZES}
    files[PACKAGING / "idsync.ico"] = ico(pngs)
    files[PACKAGING / "idsync.icns"] = icns(pngs)
    return files


# Qt's rasteriser rounds a few anti-aliased edge pixels differently from one Qt release
# (and SIMD path) to another by one step: the same picture, not a stale one.
PIXEL_TOLERANCE = 2


def embedded_pngs(data: bytes) -> list[bytes]:
    """The PNG images in a PNG (itself), an ICO or an ICNS file, in file order."""
    if data[:4] == b"icns":
        found, offset = [], 8
        while offset + 8 <= len(data):
            length = struct.unpack(">I", data[offset + 4 : offset + 8])[0]
            found.append(data[offset + 8 : offset + length])
            offset += max(length, 8)
        return found
    if data[:4] == b"\x00\x00\x01\x00":
        count = struct.unpack("<H", data[4:6])[0]
        entries = [struct.unpack("<II", data[6 + 16 * i + 8 : 6 + 16 * i + 16])
                   for i in range(count)]
        return [data[offset : offset + length] for length, offset in entries]
    return [data]


def same_picture(old: bytes, new: bytes) -> bool:
    if old == new:
        return True
    before, after = QImage.fromData(old), QImage.fromData(new)
    if before.isNull() or before.size() != after.size():
        return False
    before = before.convertToFormat(QImage.Format.Format_RGBA8888)
    after = after.convertToFormat(QImage.Format.Format_RGBA8888)
    return all(
        abs(a - b) <= PIXEL_TOLERANCE
        for a, b in zip(bytes(before.constBits()), bytes(after.constBits()), strict=True)
    )


def same_pictures(old: bytes, new: bytes) -> bool:
    """Whether a file on disk holds the pictures just rendered (see PIXEL_TOLERANCE)."""
    if old == new:
        return True
    olds, news = embedded_pngs(old), embedded_pngs(new)
    if len(olds) != len(news) or old[:4] != new[:4]:
        return False
    return all(same_picture(a, b) for a, b in zip(olds, news, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale icons")
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    files = outputs()
    stale = [
        path for path, data in files.items()
        if not path.is_file() or not same_pictures(path.read_bytes(), data)
    ]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[path])
        print(f"wrote {path.relative_to(ROOT)}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
