"""Running a make as jobs: content keys (`keys`), the take and voice caches (`cache`),
executors (`executors`), progress events (`events`) and the project lock (`lock`).

Nothing is imported here, so `storyreel.store` can use `run.events` without a cycle.
"""
