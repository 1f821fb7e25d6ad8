"""signsync's tests (a package, so `python -m tests.sheets_emulator` and plugin imports work)."""
