"""Wiring: the Application, its handlers in order, and the periodic jobs.

Jobs: `poll` every second (each source has its own interval; the database knows which are
due), the sender as a background task draining the outbox, `digests` every minute.
"""

import asyncio
import logging
from datetime import timedelta
from functools import partial

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.alerts.digest import queue_due_digests
from bot.alerts.sender import Sender
from bot.config import Settings
from bot.pipeline import Pipeline
from bot.services import Services, services
from bot.sources.catalogue import load_catalogue, seed_sources
from bot.sources.poller import poll_due
from handlers import broadcast, commands, errors, membership, preferences
from handlers import sources as source_handlers
from storage.db import open_database, session_scope
from storage.types import utcnow

log = logging.getLogger(__name__)

POLL_TICK = timedelta(seconds=1)
DIGEST_TICK = timedelta(minutes=1)


def build_application(settings: Settings) -> Application:
    engine = open_database(settings.database_url)
    if settings.sources_file.exists():
        with session_scope(engine) as session:
            seed_sources(session, load_catalogue(settings.sources_file, settings.poll_interval))
    else:
        log.warning("sources file %s not found: no source will be polled", settings.sources_file)
    application = (
        ApplicationBuilder()
        .token(settings.token())
        .base_url(settings.telegram_api_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data["services"] = Services(settings=settings, engine=engine)
    application.bot_data["pipeline"] = Pipeline(engine)
    application.bot_data["poll_lock"] = asyncio.Lock()
    # Order matters only within a group; each module's commands are distinct.
    commands.register(application)
    membership.register(application)
    preferences.register(application)
    broadcast.register(application)
    source_handlers.register(application)
    application.add_error_handler(errors.on_error)
    # A cycle may outlast the tick; poll_tick's lock skips the overlap, quietly (APScheduler
    # would warn every second if it had to refuse the run itself).
    application.job_queue.run_repeating(
        poll_tick, interval=POLL_TICK, first=1, name="poll", job_kwargs={"max_instances": 100}
    )
    application.job_queue.run_repeating(digest_tick, interval=DIGEST_TICK, first=5, name="digests")
    return application


async def poll_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Fetch the due sources; what each stored batch brings is analysed, clustered and fanned
    out at once, so one slow source never holds back the others' alerts."""
    lock: asyncio.Lock = context.application.bot_data["poll_lock"]
    if lock.locked():  # the previous cycle is still running; the next tick catches up
        return
    async with lock:
        svc = services(context)
        await poll_due(svc.engine, svc.settings, on_stored=partial(_process, context.application))


async def _process(application: Application, report_ids: list[int]) -> None:
    pipeline: Pipeline = application.bot_data["pipeline"]
    result = await asyncio.to_thread(pipeline.process, report_ids)
    if result.deliveries:
        application.bot_data["sender"].wake()
    log.info(
        "processed %d report(s): %d alert(s), %d deliveries queued, %d failed",
        result.reports, len(result.alerts), result.deliveries, result.failed,
    )


async def digest_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue the daily digests whose hour has come in each chat's time zone."""
    engine = services(context).engine

    def run() -> int:
        with session_scope(engine) as session:
            return queue_due_digests(session, utcnow())

    await asyncio.to_thread(run)


async def _post_init(application: Application) -> None:
    svc: Services = application.bot_data["services"]
    await _set_commands(application, svc)
    stop = asyncio.Event()
    sender = Sender(svc.engine, application.bot, svc.settings)
    application.bot_data["sender"] = sender
    application.bot_data["sender_stop"] = stop
    application.bot_data["sender_task"] = asyncio.create_task(sender.run(stop), name="sender")
    log.info("bot @%s started", application.bot.username)


async def _post_shutdown(application: Application) -> None:
    stop: asyncio.Event | None = application.bot_data.get("sender_stop")
    task: asyncio.Task | None = application.bot_data.get("sender_task")
    if stop is not None and task is not None:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except TimeoutError:
            task.cancel()


async def _set_commands(application: Application, svc: Services) -> None:
    """Everyone sees the user commands; admins also see theirs, in their private chat."""
    user = [*commands.COMMANDS, *preferences.COMMANDS]
    admin = [*user, *broadcast.ADMIN_COMMANDS, *source_handlers.ADMIN_COMMANDS]
    await application.bot.set_my_commands(
        [BotCommand(c, d) for c, d in user], scope=BotCommandScopeDefault()
    )
    for admin_id in svc.settings.admin_ids:
        try:
            await application.bot.set_my_commands(
                [BotCommand(c, d) for c, d in admin], scope=BotCommandScopeChat(admin_id)
            )
        except TelegramError:  # the admin has not opened the bot yet
            log.info("admin menu not set for one admin (no chat with the bot yet)")
