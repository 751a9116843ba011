"""The assessment logic: no Qt here, ever (tests/core/test_qt_free.py enforces it)."""
