"""Data retention: raw answers are deleted a set time after a consultation closes. The same
job (`flask retention run`) forgets the create forms' used tokens after two days
(app/core/once.py)."""
