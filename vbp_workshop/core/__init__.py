"""The workshop domain, the workshop file, and the Excel workbook. Qt-free by contract."""
