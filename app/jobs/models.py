"""A job: one run of the scheduler or the planner, queued by a page and run by a runner."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(SQLModel, table=True):
    __tablename__ = "job"

    id: int | None = Field(default=None, primary_key=True)
    # What to run: a kind registered by its area ("schedule", "plan").
    kind: str = Field(sa_type=String(20))
    stop_id: int | None = Field(default=None, foreign_key="stop.id", index=True, ondelete="CASCADE")
    scenario_id: int | None = Field(
        default=None, foreign_key="planning_scenario.id", index=True, ondelete="CASCADE"
    )
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: JobStatus = Field(default=JobStatus.QUEUED, sa_type=String(20), index=True)
    created_by_user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The best result so far, as the engine reported it: {"objective", "bound", "idle_gaps"}.
    progress: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # What the run wrote, and what it had to leave out because it changed meanwhile.
    result: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    error: str | None = None
    # Which runner took it ("host:pid:thread") and when that runner last said it was alive.
    claimed_by: str | None = Field(default=None, sa_type=String(200))
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
