"""Where the team's shared ground truth lies: `../shared` beside the checkout (never copied in)."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DATA_DIR") or REPO.parent / "shared")
OFSTED_PDFS = SHARED / "data" / "ofsted" / "pdfs"
OFSTED_LABELS = SHARED / "data" / "ofsted" / "labels.csv"
REPORT_NOT_FOUND_HTML = SHARED / "data" / "ofsted" / "report-not-found.html"
PROVIDER_LOOKUP = SHARED / "data" / "authorities" / "provider_lookup.csv"
NEWS = SHARED / "data" / "news"
