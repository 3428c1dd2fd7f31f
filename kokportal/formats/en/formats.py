"""English display formats: 24-hour times as in German ("10:00", never "10 a.m."), the day before the month
("26 November 2020"), and no abbreviation that ends in a full stop, so a date or time at the end of a sentence
never gives "a.m.." or "Nov..". Django's ``en`` formats fill in everything not set here (input formats,
number separators)."""

DATE_FORMAT = "j F Y"  # 26 November 2020
TIME_FORMAT = "H:i"  # 09:30
DATETIME_FORMAT = "j F Y, H:i"  # 26 November 2020, 09:30
SHORT_DATE_FORMAT = "j M Y"  # 26 Nov 2020
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 26 Nov 2020, 09:30
MONTH_DAY_FORMAT = "j F"  # 26 November
