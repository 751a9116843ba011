"""The assessment logic, headless: no Qt here, ever (the import contracts in pyproject.toml
and tests/core/test_qt_free.py enforce it)."""
