"""Integrity that survives an insider with database access: keyed seals and a hash chain.

Pure functions, no database: `keys` parses ASSESSMENT_SEAL_KEYS, `hashing` computes seals,
chain entries and signatures. Writing and verifying live in `assessment.services.integrity`.
"""
