"""Call intake: storing calls durably, linking the people on them, and the safeguarding context."""
