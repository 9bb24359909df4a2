"""Test support: one of each.

- ``wheels.build_wheel`` / ``wheels.core_metadata``: the one wheel builder and METADATA writer;
- ``sdists.build_sdist`` (over ``make_tar`` / ``make_zip``): the one sdist builder;
- ``index_pages``: the one simple-index page writer (HTML and JSON, with explicit switches);
  ``indexgen`` (made-up releases), ``packse_index`` (packse scenarios) and ``mirror`` (the
  captured PyPI pages of ``tests/data/pypi``) decide what goes on the pages, not how they look;
- ``memory_source.MemorySource``: a ``ProjectSource`` over plain data, for resolver cases
  (``tests/data/resolve-cases``) with no HTTP;
- ``schemas.load_schema``: the one way tests load a shipped JSON schema;
- ``server``: loopback HTTP servers.

Raw or deliberately malformed archives (hostile zips, fuzzed members) stay beside their tests.
"""
