"""XLSForm in and out: the authoring and exchange format of questionnaires (see README.md here).

- `xlsform_import(*, file, filename, user=None, questionnaire=None, publish=False)` -> ImportResult
  (`readiness.imports`: `.version`, `.problems` refusing the file, `.warnings`)
- `xlsform_export(version)` -> bytes of an .xlsx of the same shape, which imports back identical.
"""

from surveys.xlsform.exporter import xlsform_export
from surveys.xlsform.importer import read_form, xlsform_import

__all__ = ["read_form", "xlsform_export", "xlsform_import"]
