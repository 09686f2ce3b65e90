"""One screen per view; modal screens for search, help and the review dialogs."""
