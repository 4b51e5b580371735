"""The meeting scheduler, pure: a contract instance in, a schedule out (no database, no web)."""
