"""Alert bodies: what a subscriber reads, escaped, sourced and short."""

import html
import re

from bot.analysis.facts import Figure, Place
from bot.incidents.engine import IncidentEngine
from bot.incidents.summary import safe_link, visible_length
from storage.db import session_scope
from tests.test_incidents_support import JABLEH, at, facts, report

ALLOWED_TAG = re.compile(r"</?(b|i|a)( href=\"[^\"<>]*\")?>")


def _alert_body(engine, rep, fa):
    with session_scope(engine) as session:
        outcome = IncidentEngine().ingest(session, rep, fa)
        assert outcome.alert is not None
        return outcome.alert.body_html, outcome


def test_hostile_titles_sources_and_urls_are_escaped(sqlite_engine):
    rep = report(
        '<script>alert("x")</script> 40 killed',
        'Gunmen <b>stormed</b> the village & killed 40 people, "officials" said. '
        "<a href='javascript:alert(1)'>more</a>",
        when=at(7),
        source='Evil "Outlet" <i>',
        url='https://evil.example/a?b=1&c="><script>alert(1)</script>',
    )
    evil_place = Place("Jableh<script>", "SYR", "Latakia & <Co>", None, None, None)
    body, _ = _alert_body(
        sqlite_engine, rep, facts(evil_place, killed=Figure(40, "exact", "<the> ministry"))
    )
    assert "<script" not in body and "javascript:" not in body
    assert "&lt;script&gt;" in body or "&lt;" in body
    leftover = ALLOWED_TAG.sub("", body)
    assert "<" not in leftover and ">" not in leftover  # every other angle bracket is escaped
    href = re.search(r'href="([^"]*)"', body).group(1)
    assert html.unescape(href) == rep.url  # the link still goes where the report is
    assert "&lt;the&gt; ministry" in body


def test_only_web_links_are_linked():
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("data:text/html,hi") is None
    assert safe_link("/relative/path") is None
    assert safe_link("https://ok.example/a b") is None
    assert safe_link(" https://ok.example/a ") == "https://ok.example/a"


def test_body_stays_within_limits_with_long_text_and_long_urls(sqlite_engine):
    sentence = "Heavy rains flooded the districts around Jableh and 3,000 people fled their homes. "
    rep = report(
        "Floods displace 3,000 near Jableh",
        sentence * 200,
        when=at(7),
        url="https://news.example/" + "x" * 5000,
    )
    body, _ = _alert_body(
        sqlite_engine,
        rep,
        facts(JABLEH, displaced=Figure(3000, "exact", "OCHA"), topics=("flood",)),
    )
    assert visible_length(body) <= 1000
    assert len(body) <= 4096
    assert "3,000 displaced" in body and "(OCHA, via Example Wire)" in body


def test_alert_quotes_the_sentence_with_the_figure_and_names_the_reporter(sqlite_engine):
    rep = report(
        "Clashes on the Syrian coast",
        "The region has been tense for weeks. Clashes in Jableh killed at least 52 people on "
        "Thursday, the health ministry said. Schools were closed in several districts.",
        when=at(7),
        source="Wire One",
        url="https://wire-one.example/52",
    )
    body, outcome = _alert_body(
        sqlite_engine, rep, facts(JABLEH, killed=Figure(52, "at_least", "the health ministry"))
    )
    assert body.splitlines()[0].startswith("🟠 <b>Medium</b> · <b>Syria</b> · Latakia: Jableh")
    assert "<b>at least 52 killed</b>" in body
    assert "Killed: at least 52 (the health ministry, via Wire One)" in body
    assert "Clashes in Jableh killed at least 52 people on Thursday" in body
    assert "tense for weeks" not in body
    assert '<a href="https://wire-one.example/52">Wire One</a>' in body
    assert outcome.reason.startswith("first report (medium)")


def test_disagreeing_sources_are_shown_side_by_side(sqlite_engine):
    incidents = IncidentEngine()
    lead = (
        "Fighting on the Syrian coast around Jableh has killed {n} people since Thursday, {who} "
        "said on Sunday, as security forces pressed a campaign against gunmen."
    )
    with session_scope(sqlite_engine) as session:
        incidents.ingest(
            session,
            report(
                "Syria coast toll reaches 745, ministry says",
                lead.format(n=745, who="the interior ministry"),
                when=at(9, 9),
                source="Wire One",
                url="https://wire-one.example/745",
            ),
            facts(JABLEH, killed=Figure(745, "exact", "the ministry")),
        )
        later = incidents.ingest(
            session,
            report(
                "More than 1,000 killed on Syria's coast, monitor says",
                lead.format(n="more than 1,000", who="SOHR"),
                when=at(9, 11),
                source="Gulf Daily",
                url="https://gulf-daily.example/1000",
            ),
            facts(JABLEH, killed=Figure(1000, "more_than", "SOHR")),
        )
    assert later.decision == "escalation"
    body = later.alert.body_html
    assert (
        "Figures differ (killed): SOHR, via Gulf Daily: more than 1,000; "
        "the ministry, via Wire One: 745"
    ) in body
    assert "Toll up from 745 to more than 1,000" in body
