"""What the data-quality API answers (``GET /api/v1/registry/data-quality``)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from casework.base import Lang, label
from casework.pagination import Page
from casework.registry.quality import Listing, Problem


class FindingRead(BaseModel):
    problem: Problem
    message: str


class QualityRowRead(BaseModel):
    child_id: int
    full_name: str
    birth_year: int
    date_of_birth: date | None
    village: str | None
    problems: list[FindingRead]


class VillageQualityRead(BaseModel):
    village_id: int | None
    village: str | None
    total: int
    clean: int
    to_fix: int
    by_problem: dict[Problem, int]


class ProblemCountRead(BaseModel):
    problem: Problem
    label: str
    count: int


class DataQualityRead(BaseModel):
    """The commune's records: how many, how many clean, each problem's count (in all and
    per village), and one page of the records to fix with what is wrong, in words."""

    total: int
    clean: int
    problems: list[ProblemCountRead]
    villages: list[VillageQualityRead]
    rows: Page[QualityRowRead]

    @classmethod
    def of(cls, found: Listing, lang: Lang) -> DataQualityRead:
        counts, page = found.counts, found.page
        return cls(
            total=counts.total,
            clean=counts.clean,
            problems=[
                ProblemCountRead(problem=p, label=label(p, lang), count=counts.by_problem[p])
                for p in Problem
            ],
            villages=[
                VillageQualityRead(
                    village_id=v.village_id,
                    village=v.village,
                    total=v.total,
                    clean=v.clean,
                    to_fix=v.to_fix,
                    by_problem=v.by_problem,
                )
                for v in counts.villages
            ],
            rows=Page[QualityRowRead](
                items=[
                    QualityRowRead(
                        child_id=row.child_id,
                        full_name=row.full_name,
                        birth_year=row.birth_year,
                        date_of_birth=row.date_of_birth,
                        village=row.village,
                        problems=[
                            FindingRead(problem=f.problem, message=f.message) for f in row.findings
                        ],
                    )
                    for row in page.items
                ],
                total=page.total,
                page=page.page,
                page_size=page.page_size,
                pages=page.pages,
            ),
        )
