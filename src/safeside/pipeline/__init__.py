"""The analysis pipeline, assembled above the engine core.

:mod:`safeside.engine` holds the core (document, signals, detector protocol, registry,
typed results, entity resolution, aggregation) and imports nothing above it. This
package puts a pipeline together from it: the configuration file (:mod:`.config`,
``SAFESIDE_CONFIG``) names the detectors and their options, and :class:`Analyzer` runs
them, then the arbiter, the guidance playbook and the safer rewrite.
"""
