"""A record's reference, AS-YYYY-NNNNN: the year of submission and that year's counter (at least
five digits). Defined here once: issued by submission and the demo seeder, enforced by the
database constraint, parsed by the verification form."""

import re

# Also the database's check constraint (Record.Meta), so it uses only portable regex syntax.
REFERENCE_PATTERN = r"^AS-[0-9]{4}-[0-9]{5,}$"
REFERENCE = re.compile(REFERENCE_PATTERN)


def format_reference(year: int, number: int) -> str:
    return f"AS-{year}-{number:05d}"
