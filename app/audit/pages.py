"""The audit log for admins: who changed what, when, before and after."""

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.accounts.deps import AdminUser
from app.audit import service
from app.db import SessionDep, TransactionRoute
from app.i18n import gettext as _
from app.web import render

router = APIRouter(prefix="/manage/audit", tags=["pages"], route_class=TransactionRoute)

PER_PAGE = 50


def _parse_date(value: str, field: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None


def _parse_int(value: str, field: str, errors: dict[str, str]) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        errors[field] = _("Choose someone from the list.")
        return None
    return int(value)


def show_value(value: Any) -> str:
    """Text as it is; numbers, lists and the like as JSON, accents kept."""
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@router.get("", response_class=HTMLResponse, name="audit_log")
def audit_log(
    request: Request,
    db_session: SessionDep,
    user: AdminUser,
    *,
    actor: Annotated[str, Query()] = "",
    entity_type: Annotated[str, Query()] = "",
    action: Annotated[str, Query()] = "",
    date_from: Annotated[str, Query()] = "",
    date_to: Annotated[str, Query()] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    errors: dict[str, str] = {}
    filters = service.AuditFilters(
        actor_id=_parse_int(actor, "actor", errors),
        entity_type=entity_type or None,
        action=action or None,
        date_from=_parse_date(date_from, "date_from", errors),
        date_to=_parse_date(date_to, "date_to", errors),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["date_to"] = _("The end date comes before the start date.")
    values = {
        "actor": actor,
        "entity_type": entity_type,
        "action": action,
        "date_from": date_from,
        "date_to": date_to,
    }
    result = None
    if not errors:
        result = service.search(db_session=db_session, filters=filters, page=page, per_page=PER_PAGE)
    context = {
        "user": user,
        "values": values,
        "errors": errors,
        "result": result,
        "choices": service.filter_choices(db_session=db_session),
        "changes": service.changes,
        "show_value": show_value,
        "query": {k: v for k, v in values.items() if v},
    }
    return render(request, "audit/manage/audit_log.html", context, status=422 if errors else 200)
