"""The demo's money: budget and spend, the value model and scenarios, and the review of
communication activities, consistent with the demo's strategy and measurements."""

from converge.core.models import User, Workspace
from converge.finance.budget.demo import build_demo as build_budget_demo
from converge.finance.review.demo import build_demo as build_review_demo
from converge.finance.value.demo import build_demo as build_value_demo


def build_finance_demo(workspace: Workspace, actor: User) -> None:
    build_budget_demo(workspace, actor)
    build_value_demo(workspace, actor)
    build_review_demo(workspace, actor)
