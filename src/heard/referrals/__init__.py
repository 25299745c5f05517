"""Services directory, referrals, Operation Encompass notifications, MARAC packs and delivery."""
