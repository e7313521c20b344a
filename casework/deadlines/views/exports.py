"""The warning board's exports use the workspace's one table writer (casework/kernel/tables.py)."""

from casework.kernel.tables import XLSX_TYPE, Column, csv_response, xlsx_response

__all__ = ["XLSX_TYPE", "Column", "csv_response", "xlsx_response"]
