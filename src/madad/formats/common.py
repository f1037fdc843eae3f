"""What Madad's English and Urdu formats share: day-first short dates, a 24-hour clock, the
week from Monday, ISO first among typed dates (a browser's date field sends and shows ISO),
thousands grouped with commas."""

TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # what a browser's date field sends
    "%d/%m/%Y",  # 04/03/2026: the 4th of March
    "%d-%m-%Y",
    "%d.%m.%Y",
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",  # a browser's datetime-local field
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
