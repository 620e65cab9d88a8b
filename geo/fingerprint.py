"""The build's fingerprint: one hash of every file a build makes, stamped into the addresses its pages give its
scripts and data (``?v=…``), so that a browser or the service worker never mixes files of two builds.

Kept apart from the rendering code so that the orchestrator can stamp a build without importing it.
"""

from __future__ import annotations

from geo.read.hashing import sha256_of_parts

FINGERPRINT = "__GEO_FINGERPRINT__"
"""Written wherever the build's fingerprint goes; :func:`stamp_fingerprint` replaces it once every file is made."""


def stamp_fingerprint(store: dict) -> str:
    """Hash every file the build made into one fingerprint and write it wherever :data:`FINGERPRINT` stands.

    The hash covers the content as made (with the placeholder), so it is the same for the same build.
    """

    def parts():
        for k, v in sorted(store.items()):
            yield from (k.encode(), b"\0", v.encode() if isinstance(v, str) else v, b"\0")

    digest = sha256_of_parts(parts())[:16]
    for key, value in store.items():
        if isinstance(value, str) and FINGERPRINT in value:
            store[key] = value.replace(FINGERPRINT, digest)
    return digest
