"""Input formats for Chinese: Django's, with ISO first.

A date widget formats its value with the first input format; Django's Chinese list starts with ``%Y/%m/%d``,
which ``<input type="date">`` rejects. Only the input formats are set here: display formats stay Django's."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05': what <input type="date"> sends and shows
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日' (strptime reads one-digit months and days with %m/%d)
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # '2016-09-05T20:45': what <input type="datetime-local"> sends
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
]
