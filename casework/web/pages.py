"""Rendering a page: the layout's context (who is logged in, the menu they may use, the
language, the time the page was made) in one place, so views only pass their own data.

The menu comes from the policy (``casework.authz.policy.gate``): a person sees the links
to what their role may do, and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from casework.actors import Actor
from casework.authz import policy
from casework.authz.policy import Action
from casework.web.i18n import N_


@dataclass(frozen=True)
class MenuItem:
    href: str
    text: str  # Vietnamese; translated in the template
    action: Action


# Each page's home in the service navigation, in the order people use them.
MENU = (
    MenuItem("/trang-cua-toi", N_("Trang của tôi"), Action.dashboard),
    MenuItem("/bao-cao/moi", N_("Báo cáo mới"), Action.intake_create),
    MenuItem("/ho-so", N_("Hồ sơ"), Action.case_list),
    MenuItem("/nhiem-vu", N_("Nhiệm vụ của tôi"), Action.task_act),
    MenuItem("/leo-thang", N_("Việc cần lãnh đạo xử lý"), Action.escalation_list),
    MenuItem("/tre-em", N_("Trẻ em"), Action.child_list),
    MenuItem("/dang-ky", N_("Sổ theo dõi"), Action.child_list),
    MenuItem("/ra-soat", N_("Rà soát thôn"), Action.review_manage),
    MenuItem("/ra-soat-thon", N_("Rà soát thôn"), Action.review_do),
    MenuItem("/dang-ky/lam-sach", N_("Làm sạch dữ liệu"), Action.cleaning_manage),
    MenuItem("/viec-lam-sach", N_("Xác minh dữ liệu trẻ em"), Action.cleaning_task),
    MenuItem("/bao-cao-dinh-ky", N_("Báo cáo định kỳ"), Action.report_read),
    MenuItem("/thong-ke", N_("Thống kê"), Action.stats_read),
    MenuItem("/chi-tieu", N_("Chỉ tiêu kế hoạch"), Action.stats_read),
    MenuItem("/lich-lam-viec", N_("Lịch làm việc"), Action.calendar_manage),
    MenuItem("/lich-bao-cao", N_("Lịch báo cáo"), Action.calendar_manage),
    MenuItem("/ban-giao", N_("Bàn giao công việc"), Action.case_assign),
    MenuItem("/nhat-ky", N_("Nhật ký truy cập"), Action.audit_read),
    MenuItem("/tinh", N_("Các xã của tỉnh"), Action.province_manage),
    MenuItem("/quan-tri", N_("Quản trị"), Action.admin),
)


def menu_for(actor: Actor | None) -> list[MenuItem]:
    if actor is None:
        return []
    return [item for item in MENU if policy.gate(actor, item.action).allowed]


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    actor: Actor | None,
    status_code: int = 200,
) -> Response:
    """The page ``template`` with the layout's context; 422 when a form was refused."""
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "user": actor,
            "menu": menu_for(actor),
            "now": request.app.state.clock.now(),
            **(context or {}),
        },
        status_code=status_code,
    )


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site (no //host, no scheme): never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def redirect(url: str) -> RedirectResponse:
    """After a successful POST: see the result with a GET (a reload posts nothing twice)."""
    return RedirectResponse(url, status_code=303)
