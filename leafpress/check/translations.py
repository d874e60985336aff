"""The translations check: every language prints every field the layouts need, none is a copy."""

from __future__ import annotations

from collections.abc import Iterable

from ..content import LanguageText, missing_requirement, requirement_met
from ..findings import Finding
from . import CampaignContext, _str, campaign_check

# Fields that are prose in every language: identical text in two languages is a copy.
PROSE_FIELDS = ("headline", "subheadline", "lead", "body", "call_to_action", "qr_label")
COPY_MIN_CHARS = 12


@campaign_check
def check_translations(context: CampaignContext) -> Iterable[Finding]:
    """Every language has every field; as many demands everywhere; nothing left untranslated."""
    campaign = context.campaign
    texts = context.texts()
    found: list[Finding] = []
    for text in texts:
        for layout in context.layouts:
            for req in layout.requires:
                if not requirement_met(campaign, text, req):
                    p = missing_requirement(campaign, text, req)
                    found.append(
                        context.finding(
                            text.lang,
                            "translations",
                            "error",
                            f"'{req}' is missing in {text.lang}; layout '{layout.name}' prints it",
                            file=_str(p.file),
                            key=p.key,
                            line=p.line,
                        )
                    )
    counts = {t.lang: len(t.get("demands") or []) for t in texts if t.has("demands")}
    if counts:
        # The campaign's first language is the one the others are translated from.
        first, usual = next(iter(counts.items()))
        for text in texts:
            if text.lang in counts and counts[text.lang] != usual:
                found.append(
                    context.finding(
                        text.lang,
                        "translations",
                        "error",
                        f"{text.lang} has {counts[text.lang]} demands, {first} has {usual}; "
                        "every language needs the same demands, in the same order",
                        file=str(text.shown_as),
                        key="demands",
                    )
                )
    for i, text in enumerate(texts):
        for earlier in texts[:i]:
            for name, value, other in _paired_prose(text, earlier):
                if value == other and len(value) >= COPY_MIN_CHARS:
                    found.append(
                        context.finding(
                            text.lang,
                            "translations",
                            "warning",
                            f"{name} in {text.lang} is word for word the same as in "
                            f"{earlier.lang}: probably not translated yet",
                            file=str(text.shown_as),
                            key=name,
                        )
                    )
    for text in texts:
        if not any(f.language == text.lang for f in found):
            n = counts.get(text.lang)
            demands = f", {n} demands" if n else ""
            found.append(
                context.finding(
                    text.lang, "translations", "ok", f"every field the layouts print{demands}"
                )
            )
    return found


def _paired_prose(a: LanguageText, b: LanguageText) -> Iterable[tuple[str, str, str]]:
    for name in PROSE_FIELDS:
        if isinstance(a.get(name), str) and isinstance(b.get(name), str):
            yield name, a.get(name).strip(), b.get(name).strip()
    for i, (x, y) in enumerate(zip(a.get("demands") or [], b.get("demands") or [], strict=False)):
        if isinstance(x, str) and isinstance(y, str):
            yield f"demands[{i}]", x.strip(), y.strip()
