"""API: review. Paths under /workspaces/{slug}/finance/."""

from ninja import Router

router = Router(tags=["finance"])
