"""Input formats for English: Django's put ISO first for dates already; date-times start with the
``datetime-local`` form so a widget without its own format still fills that input."""

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # '2006-10-25T14:30': what <input type="datetime-local"> sends
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
]
