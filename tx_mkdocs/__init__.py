"""tx-mkdocs: Door43 Resource Container repositories → static websites.

The package has three layers (see docs/architecture.md): ``tx_mkdocs.core`` (no MkDocs import)
turns a repository into pages, nav, theme settings and a build log; ``tx_mkdocs.types`` holds one
module per resource type; ``tx_mkdocs.plugin`` / ``tx_mkdocs.cli`` adapt the core to MkDocs and
the command line.
"""

__version__ = "0.1.0"
