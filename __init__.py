"""aidgraph: a knowledge graph of Shanghai's paired-assistance work.

The repository root is this package. Its layers, and the one direction imports
go (a test walks them): ``schema`` (the domain core: the schema table, the
canonical graph, places and names, eras, typed records) <- ``loaders``
(sources -> canonical graph) and ``queries`` (stores and the named questions)
<- ``viz`` (views and export formats) <- ``graph_api`` (the composition root:
command line, HTTP API, pages). ``settings`` and ``errors`` sit beside them all.
"""

__version__ = "0.2.0"
