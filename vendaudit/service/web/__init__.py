"""The web layer: Starlette pages, ``/api/v1`` and Atom feeds over the service store."""

from vendaudit.service.web.app import ExtraPage, create_app

__all__ = ["ExtraPage", "create_app"]
