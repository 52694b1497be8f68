"""Digital-capability self-assessment, personal learning plans and the practitioner survey."""
