"""The roadshow planner, pure: a contract instance in, a plan out (no database, no web)."""
