"""The keyboard's focus ring is visible on every background the stylesheet paints
(WCAG 1.4.11 and 2.4.7): read from site.css itself, so a new background colour is
checked the day it is added."""

import re
from pathlib import Path

from django.conf import settings

STYLESHEET = Path(settings.BASE_DIR) / "peersupport" / "static" / "css" / "site.css"
NAMED = {"white": "#ffffff", "black": "#000000"}


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) for every rule, media queries flattened."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*{", "", css)
    found = []
    for selector, body in re.findall(r"([^{}]+){([^{}]*)}", css):
        declarations = {}
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                declarations[name.strip()] = value.strip()
        found.append((" ".join(selector.split()), declarations))
    return found


def colours_in(value: str, variables: dict[str, str]) -> list[str]:
    value = re.sub(r"var\((--[\w-]+)\)", lambda m: variables[m.group(1)], value)
    hexes = re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    hexes += [NAMED[word] for word in re.findall(r"[a-z]+", value) if word in NAMED]
    return [expand(colour) for colour in hexes]


def expand(colour: str) -> str:
    colour = colour.lower()
    if len(colour) == 4:
        colour = "#" + "".join(c * 2 for c in colour[1:])
    return colour


def luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def stylesheet() -> tuple[list[str], list[str]]:
    """The focus ring's colours and every background colour in the stylesheet."""
    found = rules(STYLESHEET.read_text())
    variables = {
        name: value
        for selector, block in found
        if selector == ":root"
        for name, value in block.items()
    }
    ring = next(block for selector, block in found if selector == ":focus-visible")
    ring_colours = colours_in(ring["outline"], variables) + colours_in(
        ring.get("box-shadow", ""), variables
    )
    backgrounds = {
        colour
        for _selector, block in found
        for name, value in block.items()
        if name in ("background", "background-color")
        for colour in colours_in(value, variables)
    }
    return ring_colours, sorted(backgrounds)


def test_the_stylesheet_paints_several_backgrounds() -> None:
    _ring, backgrounds = stylesheet()
    # White, the brand blue of the header and buttons, the pale notes and the late badge.
    assert {"#ffffff", "#0b4f71", "#a4161a"} <= set(backgrounds)


def test_focus_ring_stands_out_at_3_to_1_on_every_background() -> None:
    ring, backgrounds = stylesheet()
    assert ring, "the :focus-visible rule names no colour"
    for background in backgrounds:
        best = max(contrast(colour, background) for colour in ring)
        assert best >= 3, f"the focus ring {ring} has only {best:.2f}:1 against {background}"


def test_every_focus_style_stands_out_at_3_to_1_on_every_background() -> None:
    """Not only :focus-visible: a rule of its own for focus (the error summary, which
    takes focus from the page itself) must show on every background as well."""
    found = rules(STYLESHEET.read_text())
    variables = {
        name: value
        for selector, block in found
        if selector == ":root"
        for name, value in block.items()
    }
    _ring, backgrounds = stylesheet()
    focus_rules = [(selector, block) for selector, block in found if ":focus" in selector]
    assert len(focus_rules) >= 2
    checked = 0
    for selector, block in focus_rules:
        colours = colours_in(block.get("outline", ""), variables) + colours_in(
            block.get("box-shadow", ""), variables
        )
        if not colours:
            continue  # moves or shows something (the skip link), draws no ring of its own
        checked += 1
        for background in backgrounds:
            best = max(contrast(colour, background) for colour in colours)
            assert best >= 3, f"{selector} {colours}: only {best:.2f}:1 against {background}"
    assert checked >= 2


def test_every_background_in_the_stylesheet_is_read() -> None:
    """A background colour the test cannot read would go unchecked: each one names a
    colour, or paints none, or is the translucent backdrop behind the idle warning
    (nothing focusable sits on it; the dialog itself is white)."""
    found = rules(STYLESHEET.read_text())
    variables = {
        name: value
        for selector, block in found
        if selector == ":root"
        for name, value in block.items()
    }
    unread = [
        f"{selector} {{ {name}: {value} }}"
        for selector, block in found
        for name, value in block.items()
        if name in ("background", "background-color")
        and not colours_in(value, variables)
        and value not in ("none", "transparent", "inherit")
        and not selector.endswith("::backdrop")
    ]
    assert unread == []


def test_focus_ring_colours_are_9_to_1_apart_so_one_always_shows() -> None:
    ring, _backgrounds = stylesheet()
    assert len(ring) == 2
    assert contrast(*ring) >= 9


def test_the_old_amber_ring_would_have_failed_on_white() -> None:
    # The measure itself: amber on white was the auditor's 1.97:1.
    assert round(contrast("#f9a825", "#ffffff"), 2) == 1.97
