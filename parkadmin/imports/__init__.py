"""The one import pipeline, shared by every app's `importers.py`, the import pages and `manage.py import_data`.

- `pipeline`: `Importer` and `ImportColumn`, the run (header, cells, existing records, batches) and its record
- `kinds`: `register_importer` and the registry of kinds
- `reading`: an uploaded XLSX or CSV file read into rows, within the limits (`limits`)
- `parsers`: cell parsers (numbers, dates, choices, related records …)
- `results`: what a run reports, row by row
- `bulk`: new records inserted together with their history; `history_user`
- `fastpaths`: every reliance on Django's and django-simple-history's insides (tests/imports/test_fastpaths.py)
- `templates`: the blank template a user downloads
- `views`, `urls`: the import pages under /imports/
"""
