"""Rendering: the signatory section (Jinja2) and the marker region of a page."""
