"""Variants at scale: a matrix of films (languages x aspects x lengths x calls to
action) from one brief, sharing the project's cast and takes; see docs/variants.md.

    storyreel variants spring_tea.md --languages en,zh --aspect 16:9,9:16 --length 15,30

The pure core is `matrix` (the frozen values), `transform` (a variant's script) and
`manifest` (what was made); `run` makes the films.
"""
