"""Organisers' changes to reference data: sector names, territories' associations and sector
scores, and the survey interest of sectors in countries. Checked as a whole, then audited."""

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from app.accounts.models import User
from app.audit import service as audit_service
from app.errors import NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.reference import service as reference_service
from app.reference.models import SectorInterest, Territory, TerritorySector

SCORE_RANGE = range(6)


def _text(
    raw: Mapping[str, Any], name: str, errors: dict[str, str], *, max_length: int, required: bool
) -> str:
    value = str(raw.get(name) or "").strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > max_length:
        errors[name] = _("Use at most %(max)d characters.") % {"max": max_length}
    return value


def _score(raw: Mapping[str, Any], name: str, errors: dict[str, str]) -> int:
    value = str(raw.get(name, "")).strip() or "0"
    if not value.isdigit() or int(value) not in SCORE_RANGE:
        errors[name] = _("Enter a whole number from 0 to 5.")
        return 0
    return int(value)


def update_sectors(raw: Mapping[str, Any], *, actor: User | None, db_session: Session) -> int:
    """Italian and English names of every sector (fields ``name_it-<slug>``, ``name_en-<slug>``)."""
    sectors = reference_service.get_all_sectors(db_session=db_session)
    errors = Problems()
    names = {}
    for sector in sectors:
        names[sector.slug] = {
            language: _text(raw, f"name_{language}-{sector.slug}", errors, max_length=80, required=True)
            for language in ("it", "en")
        }
    errors.check()
    changed = 0
    for sector in sectors:
        before = audit_service.snapshot(sector)
        sector.name_it, sector.name_en = names[sector.slug]["it"], names[sector.slug]["en"]
        old, new = audit_service.changed(before, audit_service.snapshot(sector))
        if new:
            db_session.add(sector)
            audit_service.record(
                db_session=db_session,
                actor=actor,
                action="update",
                entity_type="sector",
                entity_id=sector.slug,
                before=old,
                after=new,
            )
            changed += 1
    db_session.flush()
    return changed


def territory_scores(code: str, *, db_session: Session) -> dict[str, TerritorySector]:
    rows = db_session.exec(select(TerritorySector).where(TerritorySector.territory_code == code))
    return {row.sector_slug: row for row in rows}


def _territory_snapshot(territory: Territory, scores: dict[str, TerritorySector]) -> dict[str, Any]:
    return audit_service.snapshot(
        territory,
        affinity={slug: row.affinity for slug, row in sorted(scores.items())},
        strengths=sorted(slug for slug, row in scores.items() if row.strength),
    )


def update_territory(
    code: str, raw: Mapping[str, Any], *, actor: User | None, db_session: Session
) -> Territory:
    """The association, its website, and each sector's affinity (0-5) and strength."""
    territory = db_session.get(Territory, code.upper())
    if territory is None:
        raise NotFound(lazy("This province does not exist."))
    errors = Problems()
    association = _text(raw, "association", errors, max_length=120, required=True)
    url = _text(raw, "association_url", errors, max_length=200, required=False)
    if url and not url.startswith(("https://", "http://")):
        errors["association_url"] = _("Enter a web address starting with https://.")
    sectors = reference_service.get_all_sectors(db_session=db_session)
    affinity = {s.slug: _score(raw, f"affinity-{s.slug}", errors) for s in sectors}
    strengths = {s.slug for s in sectors if str(raw.get(f"strength-{s.slug}") or "") in ("on", "true", "1")}
    errors.check()
    scores = territory_scores(territory.code, db_session=db_session)
    before = _territory_snapshot(territory, scores)
    territory.association, territory.association_url = association, url or None
    db_session.add(territory)
    for sector in sectors:
        row = scores.get(sector.slug) or TerritorySector(
            territory_code=territory.code, sector_slug=sector.slug
        )
        row.affinity, row.strength = affinity[sector.slug], sector.slug in strengths
        scores[sector.slug] = row
        db_session.add(row)
    db_session.flush()
    old, new = audit_service.changed(before, _territory_snapshot(territory, scores))
    if new:
        audit_service.record(
            db_session=db_session,
            actor=actor,
            action="update",
            entity_type="territory",
            entity_id=territory.code,
            before=old,
            after=new,
        )
    return territory


def update_interest(raw: Mapping[str, Any], *, actor: User | None, db_session: Session) -> int:
    """The sector x country grid of survey interest (fields ``score-<sector>-<country>``)."""
    sectors = reference_service.get_all_sectors(db_session=db_session)
    countries = reference_service.get_all_countries(db_session=db_session)
    errors = Problems()
    grid = {
        (s.slug, c.code): _score(raw, f"score-{s.slug}-{c.code}", errors) for s in sectors for c in countries
    }
    errors.check()
    rows = {(r.sector_slug, r.country_code): r for r in db_session.exec(select(SectorInterest))}
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for (slug, code), score in grid.items():
        row = rows.get((slug, code))
        old = row.score if row else 0
        if old == score:
            continue
        row = row or SectorInterest(sector_slug=slug, country_code=code)
        row.score = score
        db_session.add(row)
        before[f"{slug}/{code}"], after[f"{slug}/{code}"] = old, score
    db_session.flush()
    if after:
        audit_service.record(
            db_session=db_session,
            actor=actor,
            action="update",
            entity_type="sector_interest",
            entity_id="survey",
            before=before,
            after=after,
        )
    return len(after)
