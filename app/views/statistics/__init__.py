"""The activity dashboard (issue 15): filters, headline figures, charts (QtCharts) and tables
of the statistics service, computed off the UI thread; CSV and PDF exports."""
