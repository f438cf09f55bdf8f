"""The incident stage: reports about one event become one Incident, and an Alert is decided.

engine     IncidentEngine.ingest(session, report, facts) -> Outcome (the pipeline's entry point)
matching   the in-memory index by country, time and place, and the joining rules
dedupe     URL and text keys that spot exact and syndicated duplicates
figures    claims with provenance, the current figure rule, conflicts
severity   levels 0..4 (info … critical) and how they are reached
baseline   a country's rolling 30-day toll against its past
summary    the alert body in Telegram HTML
queries    what /status reads: recent_incidents, render_status_line
cli        `alertbot cluster --jsonl FILE`
"""
