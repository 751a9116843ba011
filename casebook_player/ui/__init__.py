"""Qt widgets: render core state, forward the user's intents."""
