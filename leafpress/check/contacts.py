"""The contacts, placeholders and faces checks: what the campaign file must get right for print."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..errors import LeafpressError
from ..findings import Finding
from . import CampaignContext, _str, campaign_check

_PHONE_CHARS = re.compile(r"^\+[\d\s()\-.]+$")
_EMAIL = re.compile(
    r"^[^@\s<>(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


@campaign_check
def check_contacts(context: CampaignContext) -> Iterable[Finding]:
    """Numbers in international form, addresses that are addresses, links that are https."""
    campaign = context.campaign
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for lang in campaign.languages:
        for i, contact in enumerate(campaign.contacts_in(lang)):
            where = "contact" if i == 0 else f"contacts[{i - 1}]"
            for key, value in vars(contact).items():
                problem = contact_problem(key, value)
                if problem and (f"{where}.{key}", value) not in seen:
                    seen.add((f"{where}.{key}", value))
                    found.append(
                        context.finding(
                            None,
                            "contacts",
                            "warning",
                            problem,
                            file=str(campaign.shown_as),
                            key=f"{where}.{key}",
                        )
                    )
    if not found:
        found.append(
            context.finding(None, "contacts", "ok", "numbers, addresses and links look right")
        )
    return found


def contact_problem(key: str, value: str) -> str | None:
    """What is wrong with one contact value, in a sentence; None when it looks right."""
    if not value:
        return None
    if key in ("phone", "fax"):
        digits = sum(ch.isdigit() for ch in value)
        if not _PHONE_CHARS.match(value.strip()) or not 8 <= digits <= 15:
            return (
                f"'{value}' is not an international number: write it with + and the country "
                "code, e.g. +7 727 271 6557, so it can be dialled from any phone"
            )
    elif key == "email":
        if not _EMAIL.match(value.strip()):
            return f"'{value}' is not an e-mail address like name@example.org"
    elif key == "url":
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            return f"'{value}' is not a full https:// address; write it as https://…"
    return None


@campaign_check
def check_placeholders(context: CampaignContext) -> Iterable[Finding]:
    """Values a new campaign's skeleton left for a person to write (`leafpress new campaign`)."""
    from ..scaffold import placeholders

    try:
        found = placeholders(context.campaign.folder, context.campaign.root)
    except LeafpressError:
        return []  # the build reports a malformed file itself
    return [
        context.finding(
            None,
            "placeholders",
            "warning",
            f"{p.key} still holds the placeholder text; write the real words before printing",
            file=_str(p.file),
            key=p.key,
        )
        for p in found
    ]


@campaign_check
def check_faces(context: CampaignContext) -> Iterable[Finding]:
    """How many people's faces are covered on each masked photo, so a person can confirm on the
    review sheet (`leafpress faces`) that none was missed; photos printed unmasked are named too."""
    campaign = context.campaign
    if not campaign.photos or not any("photos" in layout.requires for layout in context.layouts):
        return []  # before importing the photo stack, which a leaflet's build never needs
    from ..faces import faces_covered, kept_faces
    from ..photos import all_faces

    found: list[Finding] = []
    for photo in campaign.photos:
        key = f"photos[{photo.index}]"
        masked = photo.mask_faces if photo.mask_faces is not None else campaign.mask_faces
        if not masked:
            message = f"photo '{photo.key}': printed as it is, faces not masked (mask_faces is off)"
            found.append(
                context.finding(None, "faces", "ok", message, file=str(campaign.shown_as), key=key)
            )
            continue
        try:
            detected = all_faces(campaign, photo, context.cache_dir)
        except LeafpressError:
            continue  # the build reports an unreadable photo itself
        covered = len(kept_faces(detected, photo.unmask))
        status, message = (
            "ok",
            f"photo '{photo.key}': "
            + faces_covered(covered, len(detected) - covered, len(photo.masks)),
        )
        if not covered and not photo.masks:
            status = "warning"
            message = f"photo '{photo.key}': mask_faces is on but no face was found"
        numbers = {face.number for face in detected}
        stray = [n for n in photo.unmask if isinstance(n, int) and n not in numbers]
        if stray:
            status = "warning"
            message += (
                f"; unmask names block {', '.join(map(str, stray))}, which the review sheet "
                f"does not have (it numbers {len(detected)})"
            )
        message += "; look at `leafpress faces` and add `masks` for any face not covered"
        found.append(
            context.finding(None, "faces", status, message, file=str(campaign.shown_as), key=key)
        )
    return found
