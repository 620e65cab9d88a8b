"""One module per kind of input; each returns a validated frame or raises :class:`geo.errors.InputError`."""
