"""Programme analytics: a results archive, item statistics in SQL, standard setting, and a
generator of synthetic result archives (docs/analytics.md)."""
