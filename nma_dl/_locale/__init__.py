"""Japanese catalogs of the package's messages (see :mod:`nma_dl.i18n`), one module per area."""
