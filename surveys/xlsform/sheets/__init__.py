"""One reader per XLSForm sheet; FormReader (surveys/xlsform/reader.py) combines them."""
