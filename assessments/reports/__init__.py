"""Progress reports: plain report data first (data.py), then HTML and PDF (rendering.py, pdf.py)."""
