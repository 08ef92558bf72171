"""What several test modules share: the clock's instants, databases, signing in."""
