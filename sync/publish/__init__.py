"""Registry -> page: what is listed, in which order and sections, and the targets that receive it."""
