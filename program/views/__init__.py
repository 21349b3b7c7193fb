"""The program's pages: the academic calendar (program admins), announcements and the rules."""
