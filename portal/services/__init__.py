"""Use cases. Services take plain arguments (who is acting, for whom, which
language) and return plain results; they never touch Flask's request globals."""
