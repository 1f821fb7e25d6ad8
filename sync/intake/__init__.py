"""Source -> responses: read the form's answers (a Google Sheet or a CSV) and turn rows into submissions."""
