"""MkDocs hook of this documentation: reference sections generated from the code.

A page asks for one with an HTML comment on a line of its own, so the text never goes stale:

- ``<!-- tx:cli -->``: ``tx-mkdocs --help`` and the help of every command (from click);
- ``<!-- tx:plugin-options -->``: the options of the ``tx`` plugin (``TxConfig``), with their
  types, defaults and the ``#:`` comment above each;
- ``<!-- tx:webhook-settings -->``: the settings of ``tx-mkdocs webhook`` (``WebhookConfig``);
- ``<!-- tx:checks PATH … -->``: the message codes that the named source files or packages
  (relative to ``tx_mkdocs/``) report, with the message text.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import re
import tokenize
from pathlib import Path

import click
from mkdocs.config import config_options

import tx_mkdocs
from tx_mkdocs.cli import main
from tx_mkdocs.plugin import TxConfig
from tx_mkdocs.webhook import config as webhook_config

_MARKER = re.compile(r"^<!-- tx:([a-z-]+)((?: [\w./]+)*) -->$", re.M)
_PACKAGE = Path(tx_mkdocs.__file__).parent
MIB = 1024 * 1024


def on_page_markdown(markdown: str, **_: object) -> str:
    """Replace each marker by its generated section (an unknown marker fails the build)."""
    return _MARKER.sub(lambda m: _SECTIONS[m.group(1)](m.group(2).split()), markdown)


def cli_reference(_: list[str]) -> str:
    """The help of ``tx-mkdocs`` and of each of its commands, as the terminal prints them."""
    parts = []
    with click.Context(main, info_name="tx-mkdocs", terminal_width=100) as root:
        parts.append(_help_block("tx-mkdocs", main.get_help(root)))
        for name in main.list_commands(root):
            command = main.get_command(root, name)
            with click.Context(command, info_name=name, parent=root,
                               terminal_width=100) as ctx:
                parts.append(_help_block(f"tx-mkdocs {name}", command.get_help(ctx)))
    return "\n".join(parts)


def _help_block(title: str, text: str) -> str:
    return f"## `{title}`\n\n```text\n{text}\n```\n"


def plugin_options(_: list[str]) -> str:
    """A table of the plugin's options: name, type, default and the comment in the source."""
    comments = _attribute_comments(Path(tx_mkdocs.plugin.__file__), TxConfig.__name__)
    rows = ["| option | type | default | meaning |", "|---|---|---|---|"]
    for name, option in TxConfig._schema:
        optional = isinstance(option, config_options.Optional)
        inner = option.option if optional else option
        kind = inner._type.__name__ if type(inner) is config_options.Type else (
            type(inner).__name__.lower())
        default = "—" if option.default is None else f"`{option.default!r}`"
        # an option named by a Python keyword (``with``) is the attribute ``with_``
        meaning = _comment_markdown(comments.get(name) or comments.get(f"{name}_", ""))
        rows.append(f"| `{name}` | {kind} | {default} | {meaning} |")
    return "\n".join(rows) + "\n"


def _comment_markdown(text: str) -> str:
    """A ``#:`` comment (reStructuredText literals) as Markdown table content."""
    parts = text.replace("``", "`").split("`")
    parts[::2] = [html.escape(p, quote=False) for p in parts[::2]]
    return "`".join(parts).replace("|", "\\|")


def _attribute_comments(path: Path, class_name: str) -> dict[str, str]:
    """The ``#:`` comment lines right above each attribute of ``class_name`` in ``path``."""
    with tokenize.open(path) as stream:
        lines = stream.read().splitlines()
    tree = ast.parse("\n".join(lines))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    found = {}
    for node in cls.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name):
            above = []
            row = node.lineno - 2
            while row >= 0 and lines[row].strip().startswith("#:"):
                above.insert(0, lines[row].strip()[2:].strip())
                row -= 1
            found[target.id] = " ".join(above)
    return found


def webhook_settings(_: list[str]) -> str:
    """A table of the webhook service's settings (``WebhookConfig``): key, environment
    variable, default and the comment in the source."""
    comments = _attribute_comments(Path(webhook_config.__file__), "WebhookConfig")
    rows = ["| key | environment | default | meaning |", "|---|---|---|---|"]
    for item in dataclasses.fields(webhook_config.WebhookConfig):
        value = item.default_factory() if item.default_factory is not dataclasses.MISSING else (
            item.default)
        if value in ("", []):
            default = "—"
        elif isinstance(value, int) and value >= MIB and value % MIB == 0:
            default = f"{value // MIB} MiB"
        else:
            default = f"`{value!r}`"
        meaning = _comment_markdown(comments.get(item.name, ""))
        env = f"`{webhook_config.ENV_PREFIX}{item.name.upper()}`"
        rows.append(f"| `{item.name}` | {env} | {default} | {meaning} |")
    return "\n".join(rows) + "\n"


def checks(paths: list[str]) -> str:
    """Every ``code="…"`` a log call in the given files makes, with its message text."""
    found: dict[str, set[str]] = {}
    for rel in paths:
        target = _PACKAGE / rel
        for source in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            for call in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if not isinstance(call, ast.Call):
                    continue
                code = next((k.value for k in call.keywords if k.arg == "code"), None)
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    # the message: the first text argument (``warn(row, where, text, code=…)``)
                    text = next((_message_text(a) for a in call.args
                                 if isinstance(a, ast.Constant | ast.JoinedStr | ast.BinOp)), "")
                    found.setdefault(code.value, set()).add(text)
    if not found:
        raise ValueError(f"no message codes in {paths}")
    rows = ["| code | message |", "|---|---|"]
    for code, texts in sorted(found.items()):
        message = "<br>".join(_escaped(t) for t in sorted(texts) if t)
        rows.append(f"| `{code}` | {message} |")
    return "\n".join(rows) + "\n"


def _escaped(text: str) -> str:
    """Message text as literal Markdown table content."""
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", html.escape(text))


def _message_text(node: ast.expr) -> str:
    """A message as its source writes it, with ``{…}`` where values go."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "…" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _message_text(node.left) + _message_text(node.right)
    return "…"


_SECTIONS = {"cli": cli_reference, "plugin-options": plugin_options, "checks": checks,
             "webhook-settings": webhook_settings}
