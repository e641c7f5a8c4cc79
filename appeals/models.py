# Urgent appeals arrive with their own issue; the app exists so URLs and templates have a home.
