"""Serving the app to a browser: the web server (over textual-serve) and its page."""
