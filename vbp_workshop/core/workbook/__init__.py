"""The Excel workbook: the export (`export` and its sheets), each poll kind's block
(`kind_blocks`), the XlsxWriter layer (`xlsx`), and reading imports (`imports`)."""
