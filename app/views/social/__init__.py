"""The social worker's consultation screen, assessment and action plan."""
