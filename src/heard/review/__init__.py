"""Review: the specialist queue, claims, advice, outcomes and service-level timers (modules here);
missed-opportunity rules (`rules/`) and findings (`findings/`)."""
