"""Frozen records shared by every layer: targets and platform tags, index pages, distribution
file names, findings, verdicts."""
