"""Draw the app icon once: `uv run python packaging/make_icon.py` -> resources/icons/kh75.png and
kh75.ico (16 to 256 px, for the Windows executable, the installer and the window).

The icon is the sidebar's dark blue with "KH75" in the bundled Liberation Serif, so it needs no
artwork tool; the files are committed and this script is how they were made.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
BLUE, GOLD, WHITE = (31, 58, 95), (242, 183, 5), (255, 255, 255)


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=BLUE)
    d.rectangle((size * 0.14, size * 0.74, size * 0.86, size * 0.80), fill=GOLD)
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "LiberationSerif-Bold.ttf"),
                              int(size * 0.33))
    d.text((size / 2, size * 0.44), "KH75", font=font, fill=WHITE, anchor="mm")
    return img


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "kh75.png")
    big.save(ICONS / "kh75.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    print(ICONS / "kh75.png", ICONS / "kh75.ico")


if __name__ == "__main__":
    main()
