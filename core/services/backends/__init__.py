"""Where a queued run trains: `local` (a worker process on this machine) or `dask` (a Dask cluster).

`core.services.training_queue.TrainingQueue` keeps the queue (order, places,
Stop before start) and hands each run to one backend when it has a free
slot. A backend only starts runs, stops them, and says how the ones it
started ended.
"""
