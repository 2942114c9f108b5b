"""Printed and exported reports: the PDF summaries, Excel workbooks and fill-in templates."""
