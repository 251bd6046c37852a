"""Intake's pages: the resident's file (``residents``), corrections to what was recorded
(``corrections``), and her privacy rights: withdrawal, erasure, retention (``erasure``) and a
copy of her data (``data_copies``)."""
