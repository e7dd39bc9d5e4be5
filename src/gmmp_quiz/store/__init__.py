"""The progress store: the state, its journal, backups, transfer and checks of stored records."""
