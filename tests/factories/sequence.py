"""A number that grows with every row made, so that names, emails and VAT numbers never collide."""

from itertools import count

PASSWORD = "correct horse battery"

_numbers = count(1)


def next_number() -> int:
    return next(_numbers)
