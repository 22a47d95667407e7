"""Data retention: raw answers are deleted a set time after a consultation closes."""
