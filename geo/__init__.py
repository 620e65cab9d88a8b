"""Ward indicators and maps for the Safer Maidstone Partnership Strategic Assessment 2014-15.

Data flow (one direction): ``geo.sources`` read and validate the raw inputs, ``geo.wards`` assigns
points to wards, ``geo.indicators`` turns counts into rates with confidence intervals, ``geo.deprivation``
summarises the Indices of Deprivation by ward, ``geo.maps`` draws folium maps, and ``geo.build`` is the
one orchestrator that writes files.
"""

from geo.errors import InputError

__all__ = ["InputError"]
