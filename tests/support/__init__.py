"""Test helpers shared across test modules: fixture index builders and servers."""
