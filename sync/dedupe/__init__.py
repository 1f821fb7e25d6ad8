"""Names -> registry: match each new reading against the registry's entries and decide what changes."""
