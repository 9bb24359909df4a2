"""Frozen records shared by every layer: targets, index pages, distribution files."""
