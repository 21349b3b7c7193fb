"""The program's pages: the academic calendar (program admins) and announcements."""
