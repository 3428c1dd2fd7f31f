"""The documents of an event: the documentation PDF and the printables for the day (contact list, sign-in
sheet, name badges), their selectors, the WeasyPrint rendering and the downloads."""
