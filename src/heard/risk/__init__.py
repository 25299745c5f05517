"""Risk assessments and MARAC referrals."""
