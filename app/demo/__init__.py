"""Demo data: a believable coalition taken from the seeds, for trying Medskapa out."""
