from ninja import Schema


class Error(Schema):
    detail: str


# The responses every authenticated operation may give besides its own.
ERRORS = {401: Error, 403: Error, 404: Error}
