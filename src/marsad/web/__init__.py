"""marsad's web app (FastAPI + Jinja2) and static report: stories, entities, outlets, search, JSON API."""
