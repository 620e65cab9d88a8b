"""Ward indicators and maps for the Safer Maidstone Partnership Strategic Assessment 2014-15.

Data flow (one direction): ``geo.read`` reads and validates the raw inputs, ``geo.analysis`` holds the pure
stages (wards, rates with confidence intervals, deprivation, hotspots, control charts), ``geo.render`` turns
figures into pages, charts and maps, and ``geo.build`` is the one orchestrator that writes files.
"""

from geo.errors import InputError

__all__ = ["InputError"]
