"""The route inventory: every route of the app, with the action the policy knows it by."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount

from casework.accounts.auth import current_actor
from casework.app import PUBLIC_ROUTES
from casework.authz.deps import action_of
from casework.authz.policy import Action


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    action: Action | None
    authenticated: bool

    @property
    def public(self) -> bool:
        return (self.method, self.path) in PUBLIC_ROUTES

    @property
    def params(self) -> list[str]:
        return [part[1:-1].split(":")[0] for part in self.path.split("/") if part[:1] == "{"]


def _calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every (method, path) the app answers, API and web pages alike, with the router-level
    dependencies included routers add (FastAPI keeps those on the effective route)."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            found.append(Endpoint("GET", route.path, None, False))
            continue
        methods = sorted((context.methods or set()) - {"HEAD"})
        dependant = getattr(context, "dependant", None) if isinstance(route, APIRoute) else None
        if dependant is not None:
            calls = list(_calls(dependant))
            actions = {action_of(call) for call in calls} - {None}
            action = actions.pop() if len(actions) == 1 else None
            authenticated = current_actor in calls
        else:
            action, authenticated = None, False
        found.extend(Endpoint(m, context.path, action, authenticated) for m in methods)
    return found


def unguarded(app: FastAPI) -> list[Endpoint]:
    """Routes that are neither public nor both authenticated and named in the policy."""
    return [e for e in endpoints(app) if not e.public and not (e.authenticated and e.action)]
