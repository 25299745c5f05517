"""The live call simulator: scenarios and background calls played through Heard's public API."""
