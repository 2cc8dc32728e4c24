"""Write a repository as a plain MkDocs project (``docs/`` + ``mkdocs.yml``) on disk.

The result builds with MkDocs, ProperDocs or Zensical without our plugin (only the Markdown
extension :mod:`tx_mkdocs.mdext` must be importable), and it is a handy debugging artefact.
``tests/test_compat.py`` builds it with ProperDocs and Zensical (0.0.73) and compares the pages
with ``tx-mkdocs build``. For Zensical, the TOC tokens carry every key of Python-Markdown's
(:func:`tx_mkdocs.pagefile.page_source`) and ``templates/`` call no Python methods (minijinja
has none).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from .build import build_site
from .core.model import Site
from .outdir import OutputDirError, own_folder, replaced_folder
from .pagefile import page_source, theme_text
from .theme import extra_config, nav_config, search_config, template_dirs, theme_config


def materialize(repo: Path, out: Path) -> Site:
    """Build the site model of ``repo`` and write it as an MkDocs project into ``out``.

    ``out``, its ``docs/`` and ``overrides/`` are output folders
    (:func:`~tx_mkdocs.outdir.replaced_folder`); :class:`~tx_mkdocs.outdir.OutputDirError`
    if one of them, or ``out/mkdocs.yml``, is a symbolic link.
    """
    out = own_folder(out)
    for folder in ("docs", "overrides"):  # refused before anything is written
        own_folder(out / folder)
    config_file = out / "mkdocs.yml"
    if config_file.is_symlink():
        raise OutputDirError(f"{config_file} is a symbolic link: refused")
    site = build_site(repo, record=False)  # no record: nothing here publishes or compares
    with replaced_folder(out / "docs") as docs:
        for page in site.pages:
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_source(page, lang=site.theme.language,
                                          direction=site.theme.direction,
                                          body_class=site.theme.body_class), encoding="utf-8")
    with replaced_folder(out / "overrides") as overrides:
        for templates in template_dirs():
            shutil.copytree(templates, overrides, dirs_exist_ok=True)
    config = {
        "site_name": theme_text(site.name),
        "use_directory_urls": False,
        "theme": {"name": "material", "custom_dir": "overrides", **theme_config(site)},
        "plugins": [{"search": search_config(site)}],
        "markdown_extensions": ["toc", "tx_mkdocs.mdext"],
        "nav": nav_config(site.nav),
        "extra": {"tx": extra_config(site)},
    }
    config_file.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return site
