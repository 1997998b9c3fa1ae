"""API: budget and spend, the value model, ROI and scenarios, and the review of communication
activities. Every path is ``/workspaces/{slug}/finance/…``."""

from ninja import Router

from converge.finance.budget.api import router as budget_router
from converge.finance.review.api import router as review_router
from converge.finance.value.api import router as value_router

router = Router()
router.add_router("/", budget_router)
router.add_router("/", value_router)
router.add_router("/", review_router)
