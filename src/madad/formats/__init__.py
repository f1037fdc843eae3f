"""Madad's own date and number formats (settings.FORMAT_MODULE_PATH), as they are read in
Pakistan: the day before the month, a 24-hour clock, and in Urdu the Urdu word order.

Django's defaults put the month first (12/01/2026 reads as 12 January here) and ship no Urdu
formats at all. Templates name the formats (DATE_FORMAT, SHORT_DATE_FORMAT...), so these two
modules decide every date on every page. The first input format of each kind is ISO, because
a browser's date field sends and shows ISO.
"""
