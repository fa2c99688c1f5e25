"""The annual report's sections, one module each; `reports.data.annual_report_data` puts them together."""
