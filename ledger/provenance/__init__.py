"""Provenance: the hash-chained history, verified quotes, PROV-JSON and the audit of one figure.

Each idea is its own module: ``chain`` (entries, hashes, replay), ``quotes``
(finding a quote in its document), ``prov`` (W3C PROV-JSON), ``audit`` (one
claim's provenance as a view). Import the module you need.
"""
