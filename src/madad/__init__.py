"""Madad: documentation, assistance, relief fund and public information for a relief organisation."""
