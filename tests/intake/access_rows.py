from tests.access_matrix import Row, expect  # noqa: F401

ROWS: list = []
