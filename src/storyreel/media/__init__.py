"""Video files on the lowest floor: the H.264 settings and encoder every engine and the
cut share (`encode`), and any clip conformed to a film's size, rate and length
(`resample`)."""
