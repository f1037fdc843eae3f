"""The public portal's benchmark (see portal.py)."""
