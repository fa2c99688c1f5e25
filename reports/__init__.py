"""The annual report: one set of figures (`data.annual_report_data`) rendered as XLSX, PDF and a print-ready page."""
