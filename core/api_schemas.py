"""Schemas every app's API router shares. Core imports no domain app."""

from ninja import Field, Schema


class Error(Schema):
    """The one shape of every API error."""

    detail: str = Field(description="What went wrong and what to do about it, in words.")
    errors: list[str] = Field(
        default_factory=list,
        description="When a request has several problems: each of them, in words.",
    )


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
