"""The fund's staff pages, by what they are about (see urls.py)."""
