"""Schemas every app's API router shares. Core imports no domain app."""

from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator


class Error(Schema):
    """The one shape of every API error."""

    detail: str = Field(description="What went wrong and what to do about it, in words.")
    errors: list[str] = Field(
        default_factory=list,
        description="When a request has several problems: each of them, in words.",
    )


def _not_text_nor_true_or_false(value):
    if isinstance(value, str | bool):
        raise ValueError("Input should be a whole number, not text or true or false")
    return value


def whole_number(**limits):
    """A JSON integer as JSON Schema means it (2 and 2.0, not "2" nor true), where
    pydantic's int alone would also take "2" and true, and StrictInt refuses 2.0.
    ``limits`` (ge, le) come first so that the description states them."""
    return Annotated[int, Field(**limits), BeforeValidator(_not_text_nor_true_or_false)]


WholeNumber = whole_number()


# The statuses an operation's handler may answer besides those every
# operation documents (see core.api_errors.document_errors).
NOT_FOUND = {404: Error}
FORBIDDEN = {403: Error}

# A download described as what it is, not as JSON.
CSV = {
    200: {
        "description": "A CSV file with a header row.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
