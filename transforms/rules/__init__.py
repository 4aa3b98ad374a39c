"""Rule modules of the event extractor: lexicon, type rules, status scopes, roles."""
