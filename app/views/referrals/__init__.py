"""Referrals between GPs and the social worker: the send dialog, the lists, the guide."""
