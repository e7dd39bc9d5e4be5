"""Question-set files: loading, the parse cache, checks, schema, templates, editing, writing."""
