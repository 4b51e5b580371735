"""Long work (the B2B scheduler, the calendar planner) run off the request path as jobs."""
