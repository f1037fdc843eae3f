"""Madad: documentation, assistance, relief fund and public information."""
