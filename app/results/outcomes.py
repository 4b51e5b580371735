"""What came of the B2B meetings, by country, by sector and by stop: attendance, the parties'
ratings the day after, and their follow-up answers months later.

Laid out as Regione Lombardia reports its international relations (meetings with diplomatic
representations, missions): one row per country, sector or stop, counts first, then the share
that matters, and a total row. Only stops already held count. Four queries whatever the size:
the meetings with their stop and country, the check-ins, the answers, and the names.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Attendee, Registration
from app.consuls.models import Invitation
from app.i18n import gettext as _
from app.i18n import lazy
from app.labels import label
from app.matching.models import Meeting, MeetingAttendance, MeetingRequest
from app.outcomes.attendance import effective
from app.outcomes.models import FollowUpOutcome, Interest, MeetingRating, RatingStage
from app.reference.models import Country, Sector
from app.results.service import Table
from app.stops.models import PublicationStatus, Stop, StopStatus
from app.web import localized

DIMENSIONS = (
    ("country", lazy("by country")),
    ("sector", lazy("by sector")),
    ("stop", lazy("by stop")),
)

KIND_NAMES = ("attendance", "ratings", "follow-ups")
SLUGS = frozenset(f"{kind}-by-{dimension}" for kind in KIND_NAMES for dimension, _title in DIMENSIONS)


@dataclass
class Tally:
    """The figures of one row."""

    attendance: Counter[str] = field(default_factory=Counter)
    ratings: Counter[str] = field(default_factory=Counter)
    follow_ups: Counter[str] = field(default_factory=Counter)

    def add(self, other: "Tally") -> None:
        self.attendance.update(other.attendance)
        self.ratings.update(other.ratings)
        self.follow_ups.update(other.follow_ups)


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class MeetingFacts:
    meeting_id: int
    stop: Stop
    country_code: str
    attendance: MeetingAttendance


def _meetings(db_session: Session) -> list[MeetingFacts]:
    today = clock.today()
    rows = db_session.exec(
        select(Meeting, Stop, Invitation, MeetingRequest.registration_id)
        .join(MeetingRequest, col(MeetingRequest.id) == Meeting.request_id)
        .join(Invitation, col(Invitation.id) == MeetingRequest.invitation_id)
        .join(Stop, col(Stop.id) == Meeting.stop_id)
        .where(col(Stop.stop_date) < today, Stop.status != StopStatus.CANCELLED)
        .where(Stop.schedule_status == PublicationStatus.PUBLISHED)
        .order_by(col(Stop.stop_date), col(Stop.id), col(Meeting.slot_index), col(Meeting.table_number))
    ).all()
    present = set(
        db_session.exec(
            select(Attendee.registration_id)
            .join(Registration, col(Registration.id) == Attendee.registration_id)
            .join(Stop, col(Stop.id) == Registration.stop_id)
            .where(col(Stop.stop_date) < today, col(Attendee.checked_in_at).is_not(None))
            .group_by(col(Attendee.registration_id))
        )
    )
    stops_checking_in = {stop.id for _m, stop, _i, registration_id in rows if registration_id in present}
    return [
        MeetingFacts(
            meeting.id or 0,
            stop,
            invitation.country_code,
            effective(
                meeting.attendance,
                company_checked_in=registration_id in present,
                checkin_used=stop.id in stops_checking_in,
                representative_attended=invitation.attended,
            ),
        )
        for meeting, stop, invitation, registration_id in rows
    ]


def _tallies(
    facts: list[MeetingFacts],
    key: Callable[[MeetingFacts], Hashable],
    answers: dict[int, list[MeetingRating]],
) -> dict[Hashable, Tally]:
    tallies: dict[Hashable, Tally] = defaultdict(Tally)
    for fact in facts:
        tally = tallies[key(fact)]
        tally.attendance[fact.attendance.value] += 1
        for answer in answers.get(fact.meeting_id, []):
            if answer.stage == RatingStage.AFTER_STOP:
                tally.ratings["answers"] += 1
                tally.ratings[
                    str(answer.interest) if answer.took_place and answer.interest else "not_held"
                ] += 1
            elif answer.outcome:
                tally.follow_ups["answers"] += 1
                tally.follow_ups[answer.outcome] += 1
    return tallies


def _attendance_row(t: Tally) -> list[Any]:
    a = t.attendance
    scheduled = sum(a.values())
    held = a[MeetingAttendance.HELD.value]
    return [
        scheduled,
        held,
        a[MeetingAttendance.COMPANY_ABSENT.value],
        a[MeetingAttendance.REPRESENTATIVE_ABSENT.value],
        percent(scheduled - held, scheduled),
    ]


def _ratings_row(t: Tally) -> list[Any]:
    r = t.ratings
    took_place = r["answers"] - r["not_held"]
    interests = [r[i.value] for i in Interest]
    return [
        r["answers"],
        r["not_held"],
        *interests,
        percent(r[Interest.COOPERATION_POSSIBLE.value], took_place),
    ]


def _follow_ups_row(t: Tally) -> list[Any]:
    f = t.follow_ups
    outcomes = [f[o.value] for o in FollowUpOutcome]
    continued = f["answers"] - f[FollowUpOutcome.NO_FURTHER_CONTACT.value]
    return [f["answers"], *outcomes, percent(continued, f["answers"])]


KINDS: dict[str, tuple[str, Callable[[], list[str]], Callable[[Tally], list[Any]]]] = {
    "attendance": (
        lazy("Meetings held and no-shows"),
        lambda: [
            _("Meetings scheduled"),
            _("Meetings held"),
            label(MeetingAttendance.COMPANY_ABSENT, "attendance"),
            label(MeetingAttendance.REPRESENTATIVE_ABSENT, "attendance"),
            _("No-show rate (%)"),
        ],
        _attendance_row,
    ),
    "ratings": (
        lazy("Ratings the day after"),
        lambda: [
            _("Answers"),
            _("Did not take place"),
            *[label(i, "interest") for i in Interest],
            _("Cooperation possible, share of meetings held (%)"),
        ],
        _ratings_row,
    ),
    "follow-ups": (
        lazy("Follow-up after six months"),
        lambda: [
            _("Answers"),
            *[label(o, "follow_up") for o in FollowUpOutcome],
            _("Contact continued (%)"),
        ],
        _follow_ups_row,
    ),
}


def build(*, db_session: Session) -> dict[str, Table]:
    """Nine tables: attendance, ratings and follow-ups, each by country, by sector and by stop."""
    facts = _meetings(db_session)
    answers: dict[int, list[MeetingRating]] = defaultdict(list)
    ids = [fact.meeting_id for fact in facts]
    for answer in (
        db_session.exec(select(MeetingRating).where(col(MeetingRating.meeting_id).in_(ids))) if ids else []
    ):
        answers[answer.meeting_id].append(answer)
    countries = {
        c.code: c
        for c in db_session.exec(
            select(Country).order_by(
                col(Country.survey_rank).is_(None), col(Country.survey_rank), col(Country.code)
            )
        )
    }
    sectors = {s.slug: s for s in db_session.exec(select(Sector).order_by(col(Sector.position)))}
    stops = {fact.stop.id: fact.stop for fact in facts}
    layouts: dict[
        str, tuple[Callable[[MeetingFacts], Hashable], list[Hashable], list[str], Callable[[Any], list[Any]]]
    ] = {
        "country": (
            lambda f: f.country_code,
            list(countries),
            [_("Country")],
            lambda code: [localized(countries[code], "name") if code in countries else code],
        ),
        "sector": (
            lambda f: f.stop.sector_slug,
            list(sectors),
            [_("Sector")],
            lambda slug: [localized(sectors[slug], "name") if slug in sectors else slug],
        ),
        "stop": (
            lambda f: f.stop.id,
            list(stops),
            [_("Stop"), _("Date")],
            lambda stop_id: [localized(stops[stop_id], "title"), stops[stop_id].stop_date.isoformat()],
        ),
    }
    tables: dict[str, Table] = {}
    for dimension, dimension_title in DIMENSIONS:
        key, order, lead, name = layouts[dimension]
        tallies = _tallies(facts, key, answers)
        total = Tally()
        for tally in tallies.values():
            total.add(tally)
        for kind, (title, headers, figures) in KINDS.items():
            rows = [[*name(k), *figures(tallies[k])] for k in order if k in tallies]
            if rows:
                rows.append([_("Total"), *[""] * (len(lead) - 1), *figures(total)])
            slug = f"{kind}-by-{dimension}"
            tables[slug] = Table(slug, f"{_(title)} {_(dimension_title)}", [*lead, *headers()], rows)
    return tables
