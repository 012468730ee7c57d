"""The application's routes, one router per part of the site; `create_app` includes them all."""

from __future__ import annotations

from . import admin, dashboard, drafts, duties, files, notices, plans, session, tasks

ROUTERS = (
    session.router,
    plans.router,
    drafts.router,
    tasks.router,
    files.router,
    dashboard.router,
    notices.router,
    duties.router,
    admin.router,
)
