"""Anatomy scenes for the B-mode model: each reports tissue on the beam grid at a time t."""
