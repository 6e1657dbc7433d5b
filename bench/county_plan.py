"""What the county_sync benchmark hands its load process: every kiosk's token, cursor and push bodies,
every office user, and the limits. Plain data, so the load process imports nothing of the server."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

PASSWORD = "白日依山尽-黄河入海流"  # a pass phrase the office accepts (not the user name, not common)


@dataclass(frozen=True)
class KioskPlan:
    school_id: str
    device_id: str
    token: str
    cursor: int  # the pull cursor the kiosk kept from the morning
    bodies: list[str]  # gzipped push bodies, base64
    events: int


@dataclass(frozen=True)
class OfficePlan:
    username: str
    school_id: str | None  # None: a bureau viewer, who opens the county overview


@dataclass(frozen=True)
class LoadPlan:
    host: str
    kiosks: list[KioskPlan]
    office: list[OfficePlan]
    semester: str
    spawn_seconds: float
    time_limit: float
    password: str = PASSWORD

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> LoadPlan:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            **{
                **data,
                "kiosks": [KioskPlan(**k) for k in data["kiosks"]],
                "office": [OfficePlan(**o) for o in data["office"]],
            }
        )
