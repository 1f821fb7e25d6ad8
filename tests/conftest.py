pytest_plugins = ["tests.conftest_sheets"]
