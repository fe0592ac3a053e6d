"""The local hub's capacity gate: the machine's memory is the capacity (SPEC §7).

Before a user's server starts, JupyterHub calls `refuse_spawn_beyond_capacity` (a
`Spawner.pre_spawn_hook`). It refuses the spawn, with a message the student can act on,
when another server's memory guarantee does not fit:

- in the hub's user memory budget (the servers running now each hold their guarantee), or
- in the memory the machine has available right now (`MemAvailable`, /proc/meminfo),

instead of letting the server start and the machine run out of memory. Written by
@hubfed/runtime-local beside the configuration; standard library and JupyterHub only.
"""

import datetime
import math

from jupyterhub import orm
from tornado import web

MEBIBYTE = 1024 * 1024


class HubAtCapacity(web.HTTPError):
    """A 503 whose message reaches the student's error page.

    JupyterHub marks every failed spawn with `reason = "error"` and its error page then
    shows a generic text for that reason; this error keeps its own message as its reason.
    """

    def __init__(self, minutes):
        self.message = (
            f"The hub is at capacity; try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )
        super().__init__(503, self.message.replace("%", "%%"))

    @property
    def reason(self):
        return self.message

    @reason.setter
    def reason(self, _value):
        pass


def available_memory_mib(meminfo_path="/proc/meminfo"):
    """The machine's MemAvailable in MiB, or None where the kernel does not report it."""
    try:
        with open(meminfo_path, encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def minutes_until_a_seat_frees(running, cull_timeout_seconds, now):
    """When the idle culler will next stop a server: the soonest last activity plus the timeout."""
    if cull_timeout_seconds <= 0 or not running:
        return 5
    soonest = min(
        (spawner.last_activity or spawner.started or now)
        + datetime.timedelta(seconds=cull_timeout_seconds)
        for spawner in running
    )
    return max(1, math.ceil((soonest - now).total_seconds() / 60))


def make_capacity_hook(budget_mib, guarantee_mib, cull_timeout_seconds):
    """The pre-spawn hook for one hub; `budget_mib` None means only the machine's memory counts."""

    def refuse_spawn_beyond_capacity(spawner):
        db = spawner.user.db
        running = (
            db.query(orm.Spawner)
            .filter(orm.Spawner.server_id.isnot(None))
            .filter(orm.Spawner.id != spawner.orm_spawner.id)
            .all()
        )
        fits_budget = budget_mib is None or (len(running) + 1) * guarantee_mib <= budget_mib
        available = available_memory_mib()
        fits_machine = available is None or available >= guarantee_mib
        if fits_budget and fits_machine:
            return
        now = datetime.datetime.utcnow()
        minutes = minutes_until_a_seat_frees(running, cull_timeout_seconds, now)
        spawner.log.warning(
            "hubfed: refusing %s's server: %d running, guarantee %d MiB, budget %s MiB, "
            "available %s MiB",
            spawner.user.name,
            len(running),
            guarantee_mib,
            budget_mib,
            available,
        )
        raise HubAtCapacity(minutes)

    return refuse_spawn_beyond_capacity
