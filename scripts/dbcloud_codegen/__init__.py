"""The spec pipeline behind scripts/: fetch → normalize → overlays → validate → generate.

The entry points in scripts/ are thin; everything they do lives here so tests can drive it.
"""
