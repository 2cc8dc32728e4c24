"""tx-mkdocs: Door43 Resource Container repositories → static websites.

The package is layered (see docs/architecture.md; ``make lint`` checks it): ``tx_mkdocs.core``
(no MkDocs import, no import of the rest of the package) turns a repository into pages, nav,
theme settings and a build log, and holds the contract of a resource type; ``tx_mkdocs.types``
holds one package per resource type, found through the entry-point group ``tx_mkdocs.types``;
``tx_mkdocs.build`` orchestrates a build; ``plugin``, ``cli``, ``materialize``, ``publish`` and
``webhook`` adapt it to MkDocs, the command line and the services.
"""

__version__ = "0.1.0"
