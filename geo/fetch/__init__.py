"""``python -m geo fetch``: download a district's inputs from their publishers (:mod:`geo.fetch.core`), with the
query APIs (:mod:`geo.fetch.query`) and the police force found in the archive (:mod:`geo.fetch.force`)."""
