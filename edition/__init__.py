"""edition: publish scholarly critical editions from TEI P5.

The package root is the public API; the command line (``edition``) is a thin
layer over it.

    >>> import edition
    >>> findings = edition.validate()            # the whole edition
    >>> findings = edition.validate(["xml/kh-mao-1958.xml"])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .config import CONFIG_NAME, Config, ConfigError, load_config
from .diagnostics import Diagnostic

__version__ = "0.1.0"
__all__ = ["Config", "ConfigError", "Diagnostic", "__version__", "build", "load_config", "validate"]


def validate(
    files: Sequence[str | Path] | None = None,
    config: Config | str | Path | None = None,
    jobs: int | None = None,
    cache: bool = False,
) -> list[Diagnostic]:
    """Check the edition (or the given files) and return every finding.

    Pointers in the given files may reach any file of the edition named in
    the configuration. Without a configuration, only the given files form
    the edition. Raises :class:`ConfigError` for an unusable configuration.
    With ``cache`` (and a configuration), files unchanged since an earlier
    check are not checked again (see :mod:`edition.cache`; the builds do this).
    """
    from .validation import validate_files

    if config is None and (not files or Path(CONFIG_NAME).exists()):
        config = Path(CONFIG_NAME)
    if isinstance(config, (str, Path)):
        config = load_config(Path(config))
    edition_files = config.edition_files() if config else []
    targets = [Path(f) for f in files] if files else edition_files
    output = config.output if cache and config else None
    return validate_files(targets, edition=edition_files, jobs=jobs, output=output)


def build(
    formats: Sequence[str] | None = None,
    files: Sequence[str | Path] | None = None,
    config: Config | str | Path | None = None,
    jobs: int | None = None,
    options: dict | None = None,
    progress=None,
) -> list:
    """Build the edition (or the given TEI files) in each format; return the results.

    The edition's own sources are validated (first, or beside the build when only a
    few files changed: see :mod:`edition.source_check`): a build with errors stops
    with :class:`edition.builders.BuildError` and leaves the previous output
    untouched; so does a build that finds another one writing the same output.
    TEI files from elsewhere are parsed safely and rendered as they are.
    ``options`` maps a format to options that override edition.yaml's, e.g.
    ``{"pdf": {"variant": "pdfa-3b"}}``. ``progress`` (an :class:`edition.progress.Progress`)
    is told of each stage; by default nothing is printed.
    """
    from .builders import FORMATS, BuildError, builder_class
    from .progress import SILENT

    if config is None:
        config = Path(CONFIG_NAME)
    if isinstance(config, (str, Path)):
        config = load_config(Path(config))
    documents = [Path(f) for f in files] if files else None
    progress = progress or SILENT
    wanted = list(formats) if formats else [
        name for name, options in config.formats.items() if options.get("enabled", True) and name in FORMATS]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"no builder for format(s): {', '.join(unknown)}; available: {', '.join(FORMATS)}")
    builders = [builder_class(name) for name in wanted]
    from .lock import Locked, output_lock
    from .source_check import SourceCheck

    try:
        with output_lock(config.output), SourceCheck(config, jobs, progress) as check:  # one build at a time
            if documents is None:  # TEI files from elsewhere are rendered as they are
                check.start()
            results = []
            for name, builder_type in zip(wanted, builders, strict=True):
                builder = builder_type(config, documents, jobs, (options or {}).get(name))
                builder.progress = check.watching(progress)
                builder.gate = check.verdict
                try:
                    results.append(builder.run())
                except Exception:
                    check.verdict()  # a failed check explains a broken source better than the build
                    raise
            return results
    except Locked as exc:
        raise BuildError(exc.diagnostics) from None
