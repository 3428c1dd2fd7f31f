"""Uploaded images that go into PDFs and pages (the certificates' signature, a funder's logo): checked by their
content (Pillow reads them; PNG and JPEG only), never by their name or the type the browser claims; at most
``max_bytes`` uploaded and ``max_pixels`` decoded (no decompression bomb); re-encoded as a small PNG, so nothing of
the uploaded file but its pixels is kept."""

from __future__ import annotations

import io


class ImageInvalid(ValueError):
    """Not a PNG or JPEG within the limits."""


def image_to_small_png(
    data: bytes, *, max_bytes: int, max_pixels: int, box: tuple[int, int], png_max_bytes: int, colors: int = 64
) -> tuple[bytes, int, int]:
    """``data`` as a PNG of at most ``box`` pixels and ``png_max_bytes`` (reduced to ``colors`` colours, smaller
    still while too large), with its width and height; ImageInvalid otherwise."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data or len(data) > max_bytes:
        raise ImageInvalid()
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ImageInvalid()
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                raise ImageInvalid()
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA")
    except ImageInvalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ImageInvalid() from exc
    image.thumbnail(box)
    while True:
        reduced = image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        reduced.save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= png_max_bytes or min(image.size) <= 40:
            break
        image = image.resize((max(1, image.width * 3 // 4), max(1, image.height * 3 // 4)))
    if buffer.tell() > png_max_bytes:
        raise ImageInvalid()
    return buffer.getvalue(), image.width, image.height
