"""Screens of the app."""

# Every screen but home and help loads this stylesheet (relative to its module) when first shown:
# starting the app then parses only what home needs (app.tcss).
SCREENS_CSS = "../screens.tcss"
