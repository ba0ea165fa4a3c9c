"""``python -m aidgraph.graph_api.cli``: the ``aidgraph`` command."""
from . import main

main()
