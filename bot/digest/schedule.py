"""When a watchlist's digest is due: its local time in its zone, across DST, one catch-up after downtime (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.rules import DigestSchedule


def scheduled_before(schedule: DigestSchedule, now: datetime) -> datetime:
    """The latest scheduled digest time at or before `now` (UTC), in the schedule's zone and across DST."""
    zone = ZoneInfo(schedule.timezone)
    hour, minute = (int(x) for x in schedule.time.split(":"))
    local_day = now.astimezone(zone).date()
    for back in range(0, 3):
        day = local_day - timedelta(days=back)
        candidate = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
        if candidate <= now:
            return candidate
    raise AssertionError("unreachable: a scheduled time within three days")


def digest_end(schedule: DigestSchedule, day: date) -> datetime:
    """When the digest of a local `day` is due (UTC): the schedule's time on that day, in its zone."""
    hour, minute = (int(x) for x in schedule.time.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(schedule.timezone)).astimezone(UTC)


def due_period(schedule: DigestSchedule, *, last_end: datetime | None, now: datetime) -> tuple[datetime, datetime] | None:
    """The [start, end) a digest should cover now, or None. After downtime: one period covering the whole gap."""
    end = scheduled_before(schedule, now)
    if last_end is not None and last_end >= end:
        return None
    start = last_end if last_end is not None else end - timedelta(days=1)
    return start, end
