"""The portal's own date and time formats per language (``FORMAT_MODULE_PATH``), overriding Django's where they
mix styles. Only display formats: the input formats stay Django's."""
