"""Reads of the reports app."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import translation

from converge.core.models import Workspace
from converge.reports import builder
from converge.reports.document import Document
from converge.reports.models import BusinessCase


def business_cases(workspace: Workspace) -> QuerySet[BusinessCase]:
    return BusinessCase.objects.filter(workspace=workspace).select_related(
        "created_by", "workspace"
    )


def get_business_case(workspace: Workspace, uuid: UUID | str) -> BusinessCase:
    return get_object_or_404(business_cases(workspace), uuid=uuid)


def case_document(case: BusinessCase) -> Document:
    """The case built from the workspace's data, in the case's language."""
    with translation.override(case.language):
        return builder.build(case)
