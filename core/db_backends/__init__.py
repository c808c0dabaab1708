"""Database backends of unikom: Django's, with what this project changes (see each)."""
