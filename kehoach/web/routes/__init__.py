"""The application's routes, one router per part of the site; `create_app` includes them all."""

from __future__ import annotations

from . import admin, dashboard, drafts, duties, files, notices, plans, session, tasks

# matched in this order, one route after another: a department's work (the most frequent
# requests, an officer's reads and updates) first; no path of one router is another's
ROUTERS = (
    tasks.router,
    session.router,
    plans.router,
    drafts.router,
    files.router,
    dashboard.router,
    notices.router,
    duties.router,
    admin.router,
)
