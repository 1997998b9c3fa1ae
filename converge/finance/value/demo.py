"""Demo data: value (part of the Nordvik demo; deterministic and idempotent)."""

from converge.core.models import User, Workspace


def build_demo(workspace: Workspace, actor: User) -> None:
    """Nothing yet."""
