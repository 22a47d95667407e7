"""The coalition: its member organisations, the areas it works in, its challenge areas."""
