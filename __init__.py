"""aidgraph: a knowledge graph of Shanghai's paired-assistance work.

The repository root is this package; its sub-packages follow the design card:
``schema`` (types, ids, vocabularies), ``loaders`` (sources -> canonical graph,
writers into stores), ``queries`` (named questions, one interface for every
store), ``graph_api`` (FastAPI app and the ``aidgraph`` command) and ``viz``.
"""

from pathlib import Path
import os

__version__ = "0.1.0"


def data_dir() -> Path:
    """Folder holding ``sources/`` and ``curated/`` (``AIDGRAPH_DATA`` overrides)."""
    env = os.environ.get("AIDGRAPH_DATA")
    return Path(env) if env else Path(__file__).resolve().parent / "data"
