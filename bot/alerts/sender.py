"""The one place that sends through the Bot API: drains the outbox within Telegram's limits.

Order: critical alerts first, then other alerts, then broadcasts, digests and notices (the
Delivery.priority the fan-out wrote); within one priority, oldest first. The sender claims about
two seconds' worth of rows at a time, so a critical alert queued behind a long broadcast waits
at most that long.

Answers from Telegram:
- 429: the chat (or, when several chats are refused at once, the whole bot) waits the
  retry_after Telegram gave, then the message goes again; every 429 is kept for /stats.
- 403 (blocked, kicked, deactivated) and 400 "chat not found": the chat becomes inactive, its
  open deliveries 'blocked'; its subscriptions stay for when the user returns (/start).
- ChatMigrated: subscriptions and open deliveries move to the supergroup's new id.
- Other 400s cannot succeed on retry: the row fails at once with Telegram's answer.
- Network errors, timeouts and 5xx: retried with backoff (1, 2, 4, 8 s), then failed. A
  timeout may hide a message Telegram did deliver; that retry is the one duplicate we accept.

Crash bound: see bot.alerts.outbox. At most `claim_size` rows are in 'sending' at any moment;
after a kill -9 and a restart nothing is lost and at most those rows are sent twice.
One sender per bot token (Telegram's limits are per token).
"""

import asyncio
import contextlib
import logging
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.alerts import broadcast, outbox
from bot.alerts.outbox import Job, Outcomes, reactivate_chat
from bot.alerts.pacing import Pacer, chat_interval
from bot.alerts.render import render
from bot.config import Settings
from storage.db import session_scope
from storage.leader import SenderLock
from storage.types import utcnow

__all__ = ["DrainStats", "Sender", "reactivate_chat"]

log = logging.getLogger(__name__)

# Opt in to PTB's future timedelta periods: without it, building RetryAfter inside PTB's request
# layer warns (a deprecation), which a strict warnings policy turns into a lost 429.
os.environ.setdefault("PTB_TIMEDELTA", "true")

LOCK_RETRY = 5.0  # seconds between tries for the sender lock held by another replica
MAX_ATTEMPTS = 5
LONG_FLOOD = 60.0  # seconds; a longer retry_after is logged as a warning
CLAIM_SECONDS = 2.0  # claim about this much sending at a time (the in-flight bound)
MEMORY_WAIT = 5.0  # a chat ready within this long keeps its claimed rows in memory
FLUSH_EVERY = 0.25  # seconds between writes of outcomes
IDLE_POLL = 0.5  # seconds between looks at an empty outbox
SETTLE_EVERY = 5.0  # seconds between checks for finished broadcasts
RESTART_PAUSE = 5.0  # seconds before the loop starts again after a failure


@dataclass(slots=True)
class DrainStats:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    migrated: int = 0
    seconds: float = 0.0


def retry_seconds(exc: RetryAfter) -> float:
    """retry_after as seconds, without PTB's int/timedelta transition warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Sender:
    """Drains the outbox. `run(stop)` is the long-lived loop; `drain()` sends what is due."""

    def __init__(
        self,
        engine: Engine,
        bot: Bot,
        settings: Settings,
        *,
        claim_size: int | None = None,
        max_concurrency: int = 32,
        clock: Callable[[], datetime] = utcnow,
        backoff: float = 1.0,
    ) -> None:
        self.engine = engine
        self.bot = bot
        self.settings = settings
        self.pacer = Pacer(settings.send_rate)
        self.claim_size = claim_size or max(10, int(settings.send_rate * CLAIM_SECONDS))
        self.max_concurrency = max_concurrency
        self.clock = clock  # what "now" is for due rows (tests move it past quiet hours)
        self.backoff = backoff  # first retry delay in seconds; doubles with each attempt
        self._started_at = utcnow()
        self._reclaimed = False
        self._queue: list[Job] = []
        self._inflight: set[asyncio.Task] = set()
        self._outcomes = Outcomes.empty()
        self._held = 0  # rows this sender has in 'sending' and has not written back yet
        self._stats = DrainStats()
        self._wake: asyncio.Event | None = None
        self._claim_after = 0.0  # loop time before which the outbox is not asked again
        self._outbox_empty = False

    # -- public ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set; then finish the requests in flight and give back the rest.
        A failure (database gone, a bug) is logged and the loop starts again after a pause."""
        lock = SenderLock(self.engine)
        try:
            while not stop.is_set():
                if not lock.held:
                    if not await asyncio.to_thread(lock.acquire):  # another replica sends
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(stop.wait(), LOCK_RETRY)
                        continue
                    # Whoever sent before us is gone: what it claimed goes back in the queue.
                    self._started_at, self._reclaimed = utcnow(), False
                try:
                    await self._pump(stop=stop, deadline=None, until_idle=False)
                except Exception:
                    log.exception("the sender loop failed; restarting in %.0f s", RESTART_PAUSE)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), RESTART_PAUSE)
        finally:
            await asyncio.to_thread(lock.release)

    async def drain(self, max_seconds: float | None = None) -> DrainStats:
        """Send everything due now. With `max_seconds`, also wait for rows that become due
        (retries, flood waits) within that time; returns what this call did."""
        loop = asyncio.get_running_loop()
        deadline = None if max_seconds is None else loop.time() + max_seconds
        return await self._pump(stop=None, deadline=deadline, until_idle=True)

    def wake(self) -> None:
        """New rows were queued: look at the outbox now rather than at the next poll."""
        self._claim_after = 0.0
        if self._wake is not None:
            self._wake.set()

    # -- the loop -------------------------------------------------------------------------

    async def _pump(
        self, stop: asyncio.Event | None, deadline: float | None, until_idle: bool
    ) -> DrainStats:
        loop = asyncio.get_running_loop()
        self._stats = stats = DrainStats()
        self._wake = asyncio.Event()
        began = loop.time()
        if not self._reclaimed:
            back = await asyncio.to_thread(outbox.reclaim, self.engine, self._started_at)
            if back:
                log.info("put %d rows left by a previous sender back in the queue", back)
            self._reclaimed = True
        self._claim_after = 0.0
        self._outbox_empty = False
        db_task: asyncio.Task | None = None
        last_flush = last_settle = loop.time()
        try:
            while True:
                now = loop.time()
                if (stop is not None and stop.is_set()) or (
                    deadline is not None and now >= deadline
                ):
                    break
                if db_task is not None and db_task.done():
                    db_task = None
                if db_task is None:
                    want_claim = (
                        len(self._queue) <= self.claim_size // 2
                        and self._held < self.claim_size
                        and now >= self._claim_after
                    )
                    want_flush = self._outcomes.any() and (
                        now - last_flush >= FLUSH_EVERY or self._outcomes.rows >= 64
                    )
                    if want_claim or want_flush:
                        db_task = asyncio.create_task(self._db_round(want_claim))
                        last_flush = now
                        continue
                job = self._pick(now)
                if job is not None:
                    wait = self.pacer.global_wait(now)
                    if wait > 0:
                        await asyncio.sleep(wait)
                        continue
                    if len(self._inflight) >= self.max_concurrency:
                        await asyncio.wait(self._inflight, return_when=asyncio.FIRST_COMPLETED)
                        continue
                    self._start(job, now)
                    continue
                if self._queue or self._inflight or db_task is not None:
                    await self._nap(self._queue_wait(now), db_task)
                    continue
                if self._outcomes.any():
                    db_task = asyncio.create_task(self._db_round(False))
                    continue
                # Nothing held: the outbox has nothing due now.
                if now - last_settle >= SETTLE_EVERY or until_idle:
                    last_settle = now
                    if await self._settle_broadcasts():
                        self._claim_after = 0.0
                        continue
                if until_idle and self._outbox_empty:
                    pause = await self._until_next_due(deadline)
                    if pause is None:
                        break
                    await self._sleep_or_wake(pause, stop)
                    self._claim_after = 0.0
                    continue
                await self._sleep_or_wake(max(0.01, self._claim_after - now), stop)
        finally:
            await self._shutdown(db_task)
        stats.seconds = loop.time() - began
        return stats

    def _pick(self, now: float) -> Job | None:
        """The most urgent claimed job whose chat may receive a message now."""
        best: Job | None = None
        for job in self._queue:
            if self.pacer.ready_at(job.chat_id) > now:
                continue
            if best is None or (job.priority, job.delivery_id) < (best.priority, best.delivery_id):
                best = job
        return best

    def _queue_wait(self, now: float) -> float:
        if not self._queue:
            return 0.05
        soonest = min(self.pacer.ready_at(j.chat_id) for j in self._queue)
        return min(0.1, max(0.001, soonest - now, self.pacer.global_wait(now)))

    async def _nap(self, seconds: float, db_task: asyncio.Task | None) -> None:
        waits: set[asyncio.Task] = set(self._inflight)
        if db_task is not None:
            waits.add(db_task)
        if waits:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        else:
            await asyncio.sleep(seconds)

    async def _sleep_or_wake(self, seconds: float, stop: asyncio.Event | None) -> None:
        assert self._wake is not None
        events = [self._wake] + ([stop] if stop is not None else [])
        waiters = [asyncio.create_task(e.wait()) for e in events]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
        self._wake.clear()

    async def _until_next_due(self, deadline: float | None) -> float | None:
        """Seconds to wait for the next pending row, or None when drain() should return."""
        if deadline is None:
            return None
        due = await asyncio.to_thread(outbox.next_due, self.engine)
        if due is None:
            return None
        wait = max(0.0, (due - self.clock()).total_seconds())
        left = deadline - asyncio.get_running_loop().time()
        return wait + 0.01 if wait < left else None

    def _start(self, job: Job, now: float) -> None:
        self._queue.remove(job)
        self.pacer.take(job.chat_id, job.chat_kind, now)
        task = asyncio.create_task(self._send(job))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    # -- database rounds (worker thread) --------------------------------------------------

    async def _db_round(self, claim: bool) -> None:
        """Write the outcomes gathered so far; then, if asked, claim more rows."""
        done, self._outcomes = self._outcomes, Outcomes.empty()
        try:
            if done.any():
                await asyncio.to_thread(outbox.record, self.engine, done)
                self._held -= done.rows
            if claim:
                limit = self.claim_size - self._held
                jobs = await asyncio.to_thread(outbox.claim, self.engine, self.clock(), limit)
                self._held += len(jobs)
                self._accept(jobs)
                loop = asyncio.get_running_loop()
                self._outbox_empty = not jobs
                self._claim_after = loop.time() + (IDLE_POLL if not jobs else 0.0)
        except Exception:  # a locked or lost database: keep the outcomes, try again shortly
            log.exception("outbox write or claim failed; retrying")
            self._outcomes.merge(done)
            self._claim_after = asyncio.get_running_loop().time() + 1.0

    def _accept(self, jobs: list[Job]) -> None:
        """Queue claimed jobs in memory, except those a chat cannot take for a while."""
        now = asyncio.get_running_loop().time()
        per_chat: dict[int, float] = {}
        for job in jobs:
            if not job.chat_active:
                self._outcomes.blocked_rows.append({"b_id": job.delivery_id})
                self._outcomes.rows += 1
                self._stats.blocked += 1
                continue
            ready = per_chat.get(job.chat_id, max(now, self.pacer.ready_at(job.chat_id)))
            per_chat[job.chat_id] = ready + chat_interval(job.chat_kind)
            if ready - now > MEMORY_WAIT:
                when = self.clock() + timedelta(seconds=ready - now)
                self._requeue(job, when, job.attempts, None)
            else:
                self._queue.append(job)

    async def _settle_broadcasts(self) -> int:
        """Queue the reports of broadcasts that finished (a failure waits for the next look)."""

        def settle() -> int:
            with session_scope(self.engine) as session:
                return broadcast.settle_finished(session)

        try:
            return await asyncio.to_thread(settle)
        except Exception:
            log.exception("could not settle finished broadcasts")
            return 0

    async def _shutdown(self, db_task: asyncio.Task | None) -> None:
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        if db_task is not None:
            await asyncio.gather(db_task, return_exceptions=True)
        for job in self._queue:
            self._requeue(job, None, job.attempts, None)
        self._queue.clear()
        if self._outcomes.any():
            await self._db_round(False)

    # -- one message ----------------------------------------------------------------------

    async def _send(self, job: Job) -> None:
        try:
            message = await self.bot.send_message(
                job.chat_id,
                render(job),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except RetryAfter as exc:
            self._flood(job, retry_seconds(exc))
        except ChatMigrated as exc:
            await self._migrate(job, int(exc.new_chat_id))
        except Forbidden as exc:
            self._block(job, exc.message)
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                self._block(job, exc.message)
            else:
                self._fail(job, f"400: {exc.message}")
        except TelegramError as exc:
            self._retry(job, f"{type(exc).__name__}: {exc.message}")
        except Exception as exc:  # a bug must not kill the loop or lose the row
            log.exception("unexpected error sending delivery %s", job.delivery_id)
            self._retry(job, f"{type(exc).__name__}: {exc}")
        else:
            self._outcomes.sent.append(
                {"b_id": job.delivery_id, "b_message_id": message.message_id, "b_sent_at": utcnow()}
            )
            self._outcomes.rows += 1
            self._stats.sent += 1

    def _flood(self, job: Job, wait: float) -> None:
        now = asyncio.get_running_loop().time()
        scope = self.pacer.flood(job.chat_id, wait, now)
        self._stats.rate_limited += 1
        self._outcomes.floods.append(
            {"at": utcnow(), "chat_id": job.chat_id, "scope": scope, "retry_after": wait}
        )
        if wait >= LONG_FLOOD:
            log.warning("Telegram asked for a %.0f s pause (%s scope)", wait, scope)
        if wait <= MEMORY_WAIT:
            self._queue.append(job)  # goes again when the pacer allows
        else:
            self._requeue(
                job, self.clock() + timedelta(seconds=wait), job.attempts, "429 flood wait"
            )

    async def _migrate(self, job: Job, new_id: int) -> None:
        try:
            await asyncio.to_thread(outbox.migrate_chat, self.engine, job.chat_id, new_id)
        except Exception as exc:
            log.exception("could not move chat %s to its supergroup", job.chat_id)
            self._retry(job, f"migration to {new_id} failed: {type(exc).__name__}")
            return
        # migrate_chat put this chat's claimed rows back as pending under the new id.
        moved = [j for j in self._queue if j.chat_id == job.chat_id]
        self._queue = [j for j in self._queue if j.chat_id != job.chat_id]
        self._held -= 1 + len(moved)
        self._stats.migrated += 1
        self._claim_after = 0.0

    def _block(self, job: Job, reason: str) -> None:
        self._outcomes.blocked_chats[job.chat_id] = reason
        dropped = [j for j in self._queue if j.chat_id == job.chat_id]
        self._queue = [j for j in self._queue if j.chat_id != job.chat_id]
        self._outcomes.rows += 1 + len(dropped)
        self._stats.blocked += 1 + len(dropped)

    def _fail(self, job: Job, error: str) -> None:
        self._outcomes.failed.append(
            {"b_id": job.delivery_id, "b_attempts": job.attempts + 1, "b_last_error": error}
        )
        self._outcomes.rows += 1
        self._stats.failed += 1
        log.warning("delivery %s failed: %s", job.delivery_id, error)

    def _retry(self, job: Job, error: str) -> None:
        attempts = job.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self._fail(job, error)
            return
        self._stats.retried += 1
        backoff = timedelta(seconds=min(self.backoff * 2 ** (attempts - 1), 60))
        self._requeue(job, self.clock() + backoff, attempts, error)

    def _requeue(self, job: Job, when, attempts: int, error: str | None) -> None:
        self._outcomes.requeued.append(
            {
                "b_id": job.delivery_id,
                "b_not_before": when,
                "b_attempts": attempts,
                "b_last_error": error,
            }
        )
        self._outcomes.rows += 1
