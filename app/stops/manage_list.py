"""The back office's list of stops: every status, filtered, with what each row shows."""

from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from app import clock
from app.forms import Problems
from app.i18n import gettext as _
from app.stops import service as stops_service
from app.stops.models import Stop, StopStatus
from app.stops.service import StopFilters, StopView

PERIODS = ("upcoming", "past", "all")


@dataclass
class ManageFilters:
    status: str | None = None
    sector: str | None = None
    territory: str | None = None
    when: str | None = None
    q: str | None = None


def list_for_manage(filters: ManageFilters, *, db_session: Session) -> tuple[ManageFilters, list[StopView]]:
    """Stops of any status; upcoming ones by default, soonest first (past ones latest first)."""
    checked = stops_service.check_filters(
        StopFilters(sector=filters.sector, territory=filters.territory), db_session=db_session
    )
    status = (filters.status or "").strip().lower() or None
    when = (filters.when or "").strip().lower() or "upcoming"
    errors = Problems()
    if status is not None and status not in {s.value for s in StopStatus}:
        errors["status"] = _("Unknown status '%s'.") % status
    if when not in PERIODS:
        errors["when"] = _("Choose upcoming, past or all.")
    errors.check("query")
    normalised = ManageFilters(
        status=status,
        sector=checked.sector,
        territory=checked.territory,
        when=when,
        q=(filters.q or "").strip() or None,
    )
    query = select(Stop)
    if status:
        query = query.where(Stop.status == status)
    if checked.sector:
        query = query.where(Stop.sector_slug == checked.sector)
    if checked.territory:
        query = query.where(Stop.territory_code == checked.territory)
    if normalised.q:
        pattern = f"%{normalised.q.lower()}%"
        query = query.where(
            or_(
                col(Stop.title_it).ilike(pattern),
                col(Stop.title_en).ilike(pattern),
                col(Stop.city).ilike(pattern),
                col(Stop.venue).ilike(pattern),
            )
        )
    today = clock.today()
    if when == "upcoming":
        query = query.where(Stop.stop_date >= today).order_by(col(Stop.stop_date), col(Stop.id))
    elif when == "past":
        query = query.where(Stop.stop_date < today).order_by(col(Stop.stop_date).desc(), col(Stop.id))
    else:
        query = query.order_by(col(Stop.stop_date), col(Stop.id))
    views = stops_service.build_views(list(db_session.exec(query)), db_session=db_session)
    return normalised, views
