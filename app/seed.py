"""Load ``seed_data/``: reference data, the consular corps and the demo roadshow.

Rows are matched on their stable codes (sector slug, country code, province code, consulate
country and name, representative email, stop slug). Missing rows are added; existing ones are
left as they are, so a second run changes nothing and organisers' later edits survive.
"""

import json
from collections import Counter
from datetime import date, time
from pathlib import Path
from typing import Any

from babel import Locale
from sqlmodel import Session, SQLModel, select

from app.consuls.models import Consulate, ConsulateKind, Representative
from app.reference.models import Country, Sector, SectorInterest, Territory, TerritorySector
from app.stops.models import Stop, StopCountry, StopStatus


def load(seed_dir: Path, *, db_session: Session) -> Counter[str]:
    """Add what is missing; return how many rows of each table were added."""
    added: Counter[str] = Counter()

    def read(name: str) -> Any:
        return json.loads((seed_dir / name).read_text(encoding="utf-8"))

    def add(row: SQLModel, key: Any) -> bool:
        if db_session.get(type(row), key) is not None:
            return False
        db_session.add(row)
        added[type(row).__tablename__] += 1  # type: ignore[index]
        return True

    italian, english = Locale.parse("it"), Locale.parse("en")
    for position, sector in enumerate(read("sectors.json")):
        add(Sector(position=position, **sector), sector["slug"])
    for country in read("countries.json"):
        code = country["code"]
        add(
            Country(
                code=code,
                name_it=italian.territories[code],
                name_en=english.territories[code],
                survey_rank=country["survey_rank"],
            ),
            code,
        )
    db_session.flush()
    for position, item in enumerate(read("territories.json")):
        territory = Territory(
            code=item["code"],
            name=item["name"],
            capital=item["capital"],
            association=item["association"],
            association_url=item.get("association_url"),
            patron_saint_day=item["patron_saint"]["date"],
            patron_saint_name=item["patron_saint"]["name"],
            position=position,
        )
        if add(territory, item["code"]):
            db_session.flush()
        for slug, affinity in item["affinity"].items():
            link = TerritorySector(
                territory_code=item["code"],
                sector_slug=slug,
                affinity=affinity,
                strength=slug in item["strengths"],
            )
            add(link, (item["code"], slug))
    for slug, scores in read("interest.json").items():
        for code, score in scores.items():
            add(SectorInterest(sector_slug=slug, country_code=code, score=score), (slug, code))
    db_session.flush()
    _load_consulates(read("consulates.json"), added, db_session=db_session)
    _load_stops(read("stops.json"), added, db_session=db_session)
    db_session.flush()
    return added


def _load_consulates(items: list[dict[str, Any]], added: Counter[str], *, db_session: Session) -> None:
    for item in items:
        consulate = db_session.exec(
            select(Consulate).where(
                Consulate.country_code == item["country"], Consulate.name_en == item["name_en"]
            )
        ).first()
        if consulate is None:
            consulate = Consulate(
                country_code=item["country"],
                kind=ConsulateKind(item["kind"]),
                name_it=item["name_it"],
                name_en=item["name_en"],
                address=item.get("address") or "",
                website=item.get("website"),
                demo_contact=item.get("demo_contact", False),
            )
            db_session.add(consulate)
            db_session.flush()
            added["consulate"] += 1
        for person in item["representatives"]:
            known = db_session.exec(
                select(Representative).where(Representative.email == person["email"])
            ).first()
            if known is None:
                db_session.add(Representative(consulate_id=_id(consulate.id), **person))
                added["representative"] += 1


def _load_stops(items: list[dict[str, Any]], added: Counter[str], *, db_session: Session) -> None:
    for item in items:
        if db_session.exec(select(Stop).where(Stop.slug == item["slug"])).first() is not None:
            continue
        fields = {k: v for k, v in item.items() if k not in {"sector", "territory", "countries", "date"}}
        stop = Stop(
            **{
                **fields,
                "start_time": time.fromisoformat(item["start_time"]),
                "end_time": time.fromisoformat(item["end_time"]),
                "status": StopStatus(item["status"]),
            },
            sector_slug=item["sector"],
            territory_code=item["territory"],
            stop_date=date.fromisoformat(item["date"]),
        )
        db_session.add(stop)
        db_session.flush()
        for position, code in enumerate(item["countries"]):
            db_session.add(StopCountry(stop_id=_id(stop.id), country_code=code, position=position))
        added["stop"] += 1


def _id(value: int | None) -> int:
    if value is None:
        raise RuntimeError("row has no id after flush")
    return value
