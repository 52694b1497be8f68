"""Form reading and validation with GOV.UK Design System error messages.

Messages are written once here, in the Design System's words ("Enter ...",
"Select ..."), and shown both in the error summary and next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from starlette.datastructures import FormData, UploadFile

from safeside.uktime import UK


@dataclass(slots=True)
class Form:
    """Submitted values and the errors found in them, in field order."""

    data: FormData | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        value = self.data.get(name) if self.data is not None else None
        return value.strip() if isinstance(value, str) else ""

    def file(self, name: str) -> UploadFile | None:
        value = self.data.get(name) if self.data is not None else None
        if isinstance(value, UploadFile) and value.filename:
            return value
        return None

    def require(self, name: str, message: str, *, max_length: int = 5000) -> str:
        """The stripped value; records ``message`` if it is empty or too long."""
        value = self.text(name)
        if not value:
            self.errors[name] = message
        elif len(value) > max_length:
            self.errors[name] = f"{message.split(' ', 1)[0]} {max_length:,} characters or fewer"
        return value

    def choice(self, name: str, choices: dict[str, str] | tuple[str, ...], message: str) -> str:
        value = self.text(name)
        if value not in choices:
            self.errors[name] = message
        return value

    def values(self, name: str) -> list[str]:
        """Every value of a multi-value field (checkboxes), stripped, empties dropped."""
        if self.data is None:
            return []
        return [v.strip() for v in self.data.getlist(name) if isinstance(v, str) and v.strip()]

    def day(self, name: str, message: str, *, required: bool = True) -> date | None:
        """A ``YYYY-MM-DD`` (date input) value; records ``message`` if missing or invalid."""
        value = self.text(name)
        if not value:
            if required:
                self.errors[name] = message
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors[name] = message
            return None

    def optional_datetime(self, name: str, message: str) -> datetime | None:
        """A ``YYYY-MM-DDTHH:MM`` (datetime-local) value, read as UK time (what people
        see on their clocks), returned in UTC for storing. When the clocks go back, the
        hour that happens twice is read as the first (BST)."""
        value = self.text(name)
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.errors[name] = message
            return None
        local = parsed if parsed.tzinfo else parsed.replace(tzinfo=UK)
        return local.astimezone(UTC)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_list(self) -> list[dict[str, str]]:
        """Items for ``govukErrorSummary``."""
        return [{"text": message, "href": f"#{name}"} for name, message in self.errors.items()]

    def error(self, name: str) -> dict[str, str] | None:
        """An ``errorMessage`` for a GOV.UK macro, or None."""
        return {"text": self.errors[name]} if name in self.errors else None
