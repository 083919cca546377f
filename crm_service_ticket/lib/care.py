# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer-care date rules (no database)."""
import calendar


def birthday_month_days(day):
    """'MM-DD' keys of birthdays celebrated on ``day``.

    People born on 29 February are celebrated on 28 February in common years.
    """
    keys = [day.strftime('%m-%d')]
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        keys.append('02-29')
    return keys
