"""QTI exchange: exports of question selections and imports of question files."""
