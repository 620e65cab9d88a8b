"""Reading at the edge: one module per kind of source, each returning a validated frame or raising
:class:`~geo.errors.InputError` naming the file, line and column; the cross-checks between files; the embedded
bundle, its manifest and the SHA-256 of every file read."""
