"""Forces (tenants), users, roles, permissions, sessions and API tokens."""
