"""A planning scenario: the organiser's inputs, the stops held across re-plans, the last answer."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class ScenarioStatus(StrEnum):
    PLANNING = "planning"  # a job is solving its instance (``app.planning.plan_job``)
    PLANNED = "planned"
    INFEASIBLE = "infeasible"
    NO_PLAN = "no_plan"
    ACCEPTED = "accepted"


class PlanningScenario(SQLModel, table=True):
    __tablename__ = "planning_scenario"

    id: int | None = Field(default=None, primary_key=True)
    # The form as the organiser filled it in (validated), so it can be shown and edited again.
    inputs: dict[str, Any] = Field(sa_type=JSON)
    # Stops the organiser pinned or changed: they go into the instance's `fixed` on every re-plan.
    held: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    # The last `roadshow.plan/1` instance built, its result, or the explanation of its failure.
    instance: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # Reasons as data ({"code": ..., params}, see engine/why.py); older scenarios hold plain strings.
    explanation: list[dict[str, Any] | str] | None = Field(default=None, sa_type=JSON)
    status: ScenarioStatus = Field(default=ScenarioStatus.PLANNED, sa_type=String(20))
    created_by: int | None = Field(
        default=None, foreign_key="user_account.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
