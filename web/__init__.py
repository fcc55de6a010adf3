"""The web app: pages, feeds, JSON API and subscriptions (see web/app.py)."""
