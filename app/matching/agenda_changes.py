"""What each participant was last told about the schedule, and what changed since.

A snapshot maps a request id (as text) to what its participant reads of it: a meeting
``{"start": "10:20", "end": "10:40", "table": 3, "with": name, "country": code}`` or an accepted
request left out ``{"with": name, "country": code, "reason": msgid}``. ``diff`` compares two
snapshots (pure); publishing emails a participant only when their snapshot changed.
"""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from app.companies.models import RegistrationStatus
from app.consuls.models import InvitationStatus
from app.i18n import lazy
from app.matching import statuses
from app.matching.data import StopData
from app.matching.models import MeetingRequest, PublishedAgenda, RequestStatus

COMPANY, REPRESENTATIVE = "company", "representative"
GONE = lazy("the request was withdrawn or declined")

Snapshot = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Change:
    kind: str  # "new", "moved", "removed", "not_scheduled"
    with_name: str
    country: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str = ""  # a msgid


def _is_meeting(item: dict[str, Any] | None) -> bool:
    return item is not None and "start" in item


def _place(item: dict[str, Any]) -> tuple[Any, ...]:
    return item["start"], item["end"], item["table"]


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    """The changes a participant should hear of, in the order of the new schedule."""
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: (_sort_key(new.get(k), old.get(k)), k)):
        before, after = old.get(key), new.get(key)
        named = after or before or {}
        name, country = named.get("with", ""), named.get("country", "")
        if _is_meeting(after) and not _is_meeting(before):
            changes.append(Change("new", name, country, after=after))
        elif _is_meeting(after) and _is_meeting(before):
            assert after is not None and before is not None
            if _place(after) != _place(before):
                changes.append(Change("moved", name, country, before=before, after=after))
        elif _is_meeting(before):
            reason = after["reason"] if after else GONE
            changes.append(Change("removed", name, country, before=before, reason=reason))
        elif after is not None and before is None:
            changes.append(Change("not_scheduled", name, country, reason=after["reason"]))
    return changes


def _sort_key(after: dict[str, Any] | None, before: dict[str, Any] | None) -> str:
    """When the meeting is now, or was (for one removed); left-out requests last."""
    for item in (after, before):
        if item is not None and _is_meeting(item):
            return str(item["start"])
    return "99:99"


def snapshot(info: StopData, requests: list[MeetingRequest], *, for_company: bool) -> Snapshot:
    """What the participant of ``requests`` reads of their accepted requests once published."""
    result: Snapshot = {}
    for q in requests:
        if q.status != RequestStatus.ACCEPTED:
            continue
        invitation = info.invitations[q.invitation_id]
        name = info.representative_of(invitation).name if for_company else info.company_of(q).name
        item: dict[str, Any] = {"with": name, "country": invitation.country_code}
        meeting = statuses.meeting_of(info, q)
        if meeting is not None:
            starts, ends, table = meeting
            item.update(start=starts.strftime("%H:%M"), end=ends.strftime("%H:%M"), table=table)
        else:
            item["reason"] = statuses.left_out_reason(info, q)
        result[str(q.id)] = item
    return result


@dataclass
class Notice:
    """One participant to email on publication, with what changed for them."""

    party: str
    party_id: int
    first: bool  # never emailed about this stop's schedule before
    snapshot: Snapshot
    changes: list[Change]


def notices(info: StopData, *, db_session: Session) -> list[Notice]:
    """Everyone whose published meetings differ from what they were last sent."""
    stored = {
        (row.party, row.party_id): row
        for row in db_session.exec(select(PublishedAgenda).where(PublishedAgenda.stop_id == info.stop.id))
    }
    parties: dict[tuple[str, int], list[MeetingRequest]] = {key: [] for key in stored}
    for q in info.requests:
        parties.setdefault((COMPANY, q.registration_id), []).append(q)
        parties.setdefault((REPRESENTATIVE, q.invitation_id), []).append(q)
    result = []
    for (party, party_id), own in sorted(parties.items()):
        if party == COMPANY and party_id not in info.registrations:
            continue
        if party == REPRESENTATIVE and party_id not in info.invitations:
            continue
        new = snapshot(info, own, for_company=party == COMPANY)
        row = stored.get((party, party_id))
        if row is None and not _confirmed(info, party, party_id):
            continue
        if row is None:
            if new:
                result.append(Notice(party, party_id, True, new, []))
            continue
        changes = diff(row.meetings, new)
        if changes:
            result.append(Notice(party, party_id, False, new, changes))
    return result


def _confirmed(info: StopData, party: str, party_id: int) -> bool:
    if party == COMPANY:
        return info.registrations[party_id].status == RegistrationStatus.CONFIRMED
    return info.invitations[party_id].status == InvitationStatus.CONFIRMED


def remember(info: StopData, notice: Notice, *, db_session: Session) -> None:
    row = db_session.exec(
        select(PublishedAgenda).where(
            PublishedAgenda.stop_id == info.stop.id,
            PublishedAgenda.party == notice.party,
            PublishedAgenda.party_id == notice.party_id,
        )
    ).first()
    if row is None:
        row = PublishedAgenda(stop_id=info.stop.id or 0, party=notice.party, party_id=notice.party_id)
    row.meetings = notice.snapshot
    db_session.add(row)
