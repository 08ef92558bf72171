"""Demo people held by the sandbox back office.

Names and phone numbers are fictional (Ofcom's drama ranges). Visits are laid out
relative to today, so the portal always has a fortnight behind and ahead to show.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from portal.clock import LONDON, today, utcnow

# The councils the demo people live in: where each one's record is held when the
# sandbox serves several councils (embedded mode), each with a back office of its own.
GWYNEDD, CEREDIGION, MERTHYR_TUDFUL = "W06000002", "W06000008", "W06000024"


@dataclass
class DemoPerson:
    person: dict[str, Any]
    council: str = GWYNEDD  # the council whose back office holds the record
    plan: dict[str, Any] | None = None
    # (start, minutes) of each daily visit, local time.
    rounds: list[tuple[time, int]] = field(default_factory=list)
    carers: list[str] = field(default_factory=list)
    # Day offsets from today and round index -> status override.
    exceptions: dict[tuple[int, int], str] = field(default_factory=dict)
    related: list[dict[str, Any]] = field(default_factory=list)
    # As an unpaid carer: the support plan the council agreed with them, and the
    # carer's needs assessment requests they made (by phone, say) before the portal.
    carer_plan: dict[str, Any] | None = None
    carer_requests: list[dict[str, Any]] = field(default_factory=list)
    # Financial assessments asked for through the portal, as the council holds them.
    financial_assessments: list[dict[str, Any]] = field(default_factory=list)
    # For the area's figures: when care at home began and ended (None: before and
    # after any date asked about), since when the person has waited for it, and
    # how often a visit goes wrong, in thousandths (late, missed, cancelled).
    care_from: date | None = None
    care_until: date | None = None
    waiting_since: date | None = None
    mishaps: tuple[int, int, int] = (0, 0, 0)
    direct_payment: bool = False  # met by a direct payment (the plan, when held, says so)

    @property
    def paid_directly(self) -> bool:
        return self.direct_payment or bool(self.plan and self.plan.get("direct_payment"))

    def receiving_care_on(self, day: date) -> bool:
        return bool(self.plan or self.rounds or self.direct_payment) and (
            self.care_from is None or self.care_from <= day) and (
            self.care_until is None or day <= self.care_until)

    def waiting_on(self, day: date) -> bool:
        return self.waiting_since is not None and self.waiting_since <= day and (
            self.care_from is None or day < self.care_from)


def person_record(pid: str, ref: str, given: str, family: str, born: str, lang: str,
            lines: list[str], city: str, postcode: str, nhs: str | None,
            prefers_post: bool = False) -> dict[str, Any]:
    return {
        "prefers_post": prefers_post,
        "id": pid,
        "council_reference": ref,
        "nhs_number": nhs,
        "name": {"given": given, "family": family},
        "birth_date": born,
        "preferred_language": lang,
        "address": {"line": lines, "city": city, "postal_code": postcode},
    }


def _carer_request(request_id: str, carer_id: str, cared_for: str, priority: str,
                   steps: list[tuple[str, int]]) -> dict[str, Any]:
    """A carer's needs assessment request the council holds (FHIR ServiceRequest), with
    each step (business status, days ago) it has been through."""
    now = utcnow().replace(hour=9, minute=0, second=0, microsecond=0)
    history = [{"business_status": status, "at": _utc(now - timedelta(days=days))}
               for status, days in steps]
    return {"id": request_id, "status": "completed" if steps[-1][0] in (
        "plan-agreed", "closed") else "active", "business_status": steps[-1][0],
        "priority": priority, "portal_reference": None, "carer_person_id": carer_id,
        "cared_for_name": cared_for, "authored_on": history[0]["at"], "history": history}


def financial_assessment(task_id: str, person_id: str, asked_days_ago: int,
                         decided_days_ago: int | None, weekly_charge_pence: int
                         ) -> dict[str, Any]:
    """A financial assessment asked for through the portal (a FHIR Task), decided or
    not yet, as the area's figures count them."""
    now = utcnow().replace(hour=10, minute=0, second=0, microsecond=0)
    history = [{"status": "received", "at": _utc(now - timedelta(days=asked_days_ago))}]
    if decided_days_ago is not None:
        history.append({"status": "completed",
                        "at": _utc(now - timedelta(days=decided_days_ago))})
    return {"id": task_id, "person_id": person_id, "evidence": [], "priority": "routine",
            "status": history[-1]["status"], "portal_reference": None,
            "authored_on": history[0]["at"], "answer": None, "answer_language": None,
            "outcome": {"weekly_charge_pence": weekly_charge_pence}
            if decided_days_ago is not None else None, "history": history}


def assessment_request(request_id: str, reference: str | None,
                       steps: list[tuple[str, int]]) -> dict[str, Any]:
    """A request for an assessment of care and support needs the council holds (FHIR
    ServiceRequest), with each step (business status, days ago) it has been through."""
    now = utcnow().replace(hour=11, minute=0, second=0, microsecond=0)
    history = [{"business_status": status, "at": _utc(now - timedelta(days=days))}
               for status, days in steps]
    return {"id": request_id, "status": "completed" if steps[-1][0] in (
        "assessed", "closed") else "active", "business_status": steps[-1][0],
        "priority": "routine", "portal_reference": reference, "authored_on": history[0]["at"],
        "history": history, "assessment_at": None, "outcome": None, "closed_reason": None,
        "person_id": None, "asked": {}}


def _review_date(months_ahead: int) -> str:
    now = today()
    month = now.month - 1 + months_ahead
    return date(now.year + month // 12, month % 12 + 1, min(now.day, 28)).isoformat()


def people() -> dict[str, DemoPerson]:
    """The demo people, keyed by back-office id."""
    gwen = DemoPerson(
        person=person_record("p-1001", "C104233", "Gwen", "Morgan", "1941-03-14", "cy",
                       ["7 Stryd y Plas"], "Caernarfon", "LL55 1RR", "9434765919"),
        plan={
            "id": "cp-1001",
            "status": "active",
            "language": "cy",
            "period_start": "2026-02-02",
            "eligible_needs": [
                {"id": "n1", "description": "Mae angen help ar Gwen i godi, ymolchi a gwisgo yn y "
                 "bore a pharatoi at y gwely gyda'r nos, oherwydd arthritis yn ei dwylo a'i "
                 "phengliniau."},
                {"id": "n2", "description": "Mae angen help arni i baratoi prydau bwyd poeth ac i "
                 "gofio cymryd ei meddyginiaeth ar yr adeg iawn."},
            ],
            "outcomes": [
                {"id": "o1", "description": "Rydw i eisiau aros yn fy nghartref fy hun yng "
                 "Nghaernarfon, yn agos at fy nheulu.", "rating": "sustaining",
                 "rating_comment": "Dwi'n hapus adra, diolch i'r genod sy'n dod bob dydd.",
                 "need_ids": ["n1", "n2"]},
                {"id": "o2", "description": "Rydw i eisiau mynd i'r capel ar fore Sul a gweld fy "
                 "ffrindiau.", "rating": "improving",
                 "rating_comment": "Wedi bod dair gwaith y mis yma.", "need_ids": ["n1"]},
            ],
            "actions": [
                {"id": "a1", "by": "council", "performer": "Gofal Menai",
                 "description": "Gofal cartref: dau ymweliad bob dydd, bore a min nos, i helpu "
                 "Gwen i ymolchi, gwisgo a pharatoi bwyd, ac i'w hatgoffa i gymryd ei "
                 "thabledi.", "outcome_ids": ["o1"]},
                {"id": "a2", "by": "council", "performer": "Therapydd galwedigaethol",
                 "description": "Gosod canllaw wrth y grisiau a sedd yn y bath.",
                 "outcome_ids": ["o1"]},
                {"id": "a3", "by": "other", "performer": "Siân Morgan (merch)",
                 "description": "Siopa bob dydd Sadwrn a chasglu presgripsiynau o'r fferyllfa.",
                 "outcome_ids": ["o1"]},
                {"id": "a4", "by": "other", "performer": "Capel Salem",
                 "description": "Aelod o'r capel yn rhoi lifft i Gwen bob bore Sul.",
                 "outcome_ids": ["o2"]},
            ],
            "monitoring": "Bydd y gweithiwr arweiniol yn ffonio Gwen a Siân bob mis. Bydd Gofal "
            "Menai yn rhoi gwybod i'r tîm o fewn diwrnod os bydd anghenion Gwen yn newid.",
            "review": {"arrangements": "Adolygiad wyneb yn wyneb yng nghartref Gwen gyda Siân yn "
                       "bresennol, o leiaf bob 12 mis, neu'n gynt os bydd pethau'n newid.",
                       "next_review_date": _review_date(2), "last_review_date": "2026-02-02"},
            "direct_payment": None,
            "lead_worker": {"name": "Elin Roberts", "role": "Gweithiwr cymdeithasol",
                            "team": "Tîm Oedolion Arfon", "language": "cy",
                            "phone": "01632 960 101",
                            "email": "elin.roberts@example.gov.wales"},
        },
        rounds=[(time(8, 0), 45), (time(18, 30), 30)],
        carers=["Nia", "Bethan", "Llinos"],
        exceptions={(3, 1): "cancelled"},
        related=[{
            "id": "r-2001", "person_id": "p-2001",
            "name": {"given": "Siân", "family": "Morgan"}, "relationship": "DAU",
            "authorities": [{"type": "lpa-health-welfare", "status": "registered",
                             "start": "2023-09-12", "end": None, "organisation": None}],
        }],
    )
    dafydd = DemoPerson(
        person=person_record("p-1002", "C208871", "Dafydd", "Hughes", "1958-07-02", "en",
                       ["Flat 3", "12 Ffordd y Môr"], "Aberystwyth", "SY23 2AZ", "9434765870"),
        council=CEREDIGION,
        plan={
            "id": "cp-1002",
            "status": "active",
            "language": "en",
            "period_start": "2025-11-17",
            "eligible_needs": [
                {"id": "n1", "description": "Dafydd needs help with personal care each morning "
                 "and evening because of a spinal cord injury (T6, 2019)."},
                {"id": "n2", "description": "Dafydd needs support to get to work and to take part "
                 "in community life, including transfers in and out of his car."},
            ],
            "outcomes": [
                {"id": "o1", "description": "I want to choose who helps me and when, so my day "
                 "fits round my job.", "rating": "achieved",
                 "rating_comment": "Having my own PAs has changed everything.",
                 "need_ids": ["n1"]},
                {"id": "o2", "description": "I want to keep working three days a week at the "
                 "university library.", "rating": "sustaining", "rating_comment": None,
                 "need_ids": ["n2"]},
                {"id": "o3", "description": "I want to get back to watching Aberystwyth Town at "
                 "home games.", "rating": "in-progress",
                 "rating_comment": "Went twice this season; parking is the problem.",
                 "need_ids": ["n2"]},
            ],
            "actions": [
                {"id": "a1", "by": "council", "performer": "Direct payments team",
                 "description": "Direct payment so that Dafydd can employ two personal "
                 "assistants (about 21 hours a week).", "outcome_ids": ["o1", "o2"]},
                {"id": "a2", "by": "council", "performer": "Direct payments support service",
                 "description": "Payroll and employer advice for Dafydd's personal assistants.",
                 "outcome_ids": ["o1"]},
                {"id": "a3", "by": "other", "performer": "Huw Hughes (brother)",
                 "description": "Drives Dafydd to home games when a PA is not working.",
                 "outcome_ids": ["o3"]},
            ],
            "monitoring": "Dafydd sends his direct payment account statements every 12 weeks. "
            "His lead worker checks in by email each quarter and after any change of PA.",
            "review": {"arrangements": "A review by video call with Dafydd every 12 months, or "
                       "sooner if he asks.", "next_review_date": _review_date(5),
                       "last_review_date": "2025-11-17"},
            "direct_payment": {"amount_pence": 41850, "frequency": "weekly",
                               "need_ids": ["n1", "n2"],
                               "description": "Pays for about 21 hours of personal assistance a "
                               "week, employer's costs and insurance."},
            "lead_worker": {"name": "Mark Evans", "role": "Social worker",
                            "team": "Adult Services, Aberystwyth", "language": "en",
                            "phone": "01632 960 202",
                            "email": "mark.evans@example.gov.wales"},
        },
        # His advocate's own record is held where Rhys works from, in Merthyr Tudful.
        related=[{
            "id": "r-1002", "person_id": "p-3001",
            "name": {"given": "Rhys", "family": "Thomas"}, "relationship": "ADVOCATE",
            "authorities": [{"type": "advocacy", "status": "active",
                             "start": "2026-09-01", "end": "2027-08-31",
                             "organisation": "Eiriolaeth Cymoedd / Valleys Advocacy"}],
        }],
    )
    eleri = DemoPerson(
        person=person_record("p-1003", "C315502", "Eleri", "Price", "1949-11-20", "en",
                       ["24 Heol Dowlais"], "Merthyr Tudful", "CF47 0AB", "9434765838"),
        council=MERTHYR_TUDFUL,
        plan={
            "id": "cp-1003",
            "status": "active",
            "language": "en",
            "period_start": "2026-06-08",
            "eligible_needs": [
                {"id": "n1", "description": "Since her stroke in April, Eleri needs help with "
                 "washing, dressing and moving safely around her home."},
                {"id": "n2", "description": "Eleri needs meals prepared and prompts to take her "
                 "medication four times a day."},
                {"id": "n3", "description": "Eleri is at risk of becoming lonely: she has not "
                 "left the house since coming home from hospital."},
            ],
            "outcomes": [
                {"id": "o1", "description": "I want to be safe at home and not end up back in "
                 "hospital.", "rating": "improving", "rating_comment": None,
                 "need_ids": ["n1", "n2"]},
                {"id": "o2", "description": "I want to get out to the market on a Tuesday again.",
                 "rating": "no-progress",
                 "rating_comment": "Not yet. I get too tired.", "need_ids": ["n3"]},
            ],
            "actions": [
                {"id": "a1", "by": "council", "performer": "Valleys Homecare",
                 "description": "Four home care visits a day: morning, lunch, tea and bedtime.",
                 "outcome_ids": ["o1"]},
                {"id": "a2", "by": "council", "performer": "Community occupational therapist",
                 "description": "Assessment for a perching stool and a second stair rail.",
                 "outcome_ids": ["o1"]},
                {"id": "a3", "by": "other", "performer": "Merthyr Tydfil Friends of the Elderly",
                 "description": "A volunteer befriender visits on Thursday afternoons.",
                 "outcome_ids": ["o2"]},
            ],
            "monitoring": "Valleys Homecare records each visit. The lead worker reads the "
            "visit log every week for the first three months and phones Eleri every fortnight.",
            "review": {"arrangements": "A first review at Eleri's home three months after the "
                       "plan started, then every 12 months.", "next_review_date": _review_date(1),
                       "last_review_date": None},
            "direct_payment": None,
            "lead_worker": {"name": "Carys Jones", "role": "Social worker",
                            "team": "Adult Services, Merthyr Tydfil", "language": "en",
                            "phone": "01632 960 303",
                            "email": "carys.jones@example.gov.wales"},
        },
        rounds=[(time(8, 0), 45), (time(12, 30), 30), (time(16, 30), 30), (time(20, 30), 30)],
        carers=["Kelly", "Joanne", "Rhian"],
        exceptions={(-2, 1): "missed", (-1, 0): "late"},
        related=[{
            "id": "r-3001", "person_id": "p-3001",
            "name": {"given": "Rhys", "family": "Thomas"}, "relationship": "ADVOCATE",
            "authorities": [{"type": "advocacy", "status": "active",
                             "start": "2026-06-08", "end": "2027-03-31",
                             "organisation": "Eiriolaeth Cymoedd / Valleys Advocacy"}],
        }],
    )
    # Owen has been assessed and is waiting for his care at home to start.
    owen = DemoPerson(
        person=person_record("p-1004", "C420019", "Owen", "Jenkins", "1962-01-09", "en",
                       ["5 Heol y Nant"], "Merthyr Tudful", "CF47 9AA", None, prefers_post=True),
        council=MERTHYR_TUDFUL,
        waiting_since=today() - timedelta(days=23),
        related=[{
            "id": "r-4001", "person_id": "p-3001",
            "name": {"given": "Rhys", "family": "Thomas"}, "relationship": "ADVOCATE",
            "authorities": [{"type": "advocacy", "status": "ended",
                             "start": "2026-01-12", "end": "2026-06-30",
                             "organisation": "Eiriolaeth Cymoedd / Valleys Advocacy"}],
        }],
    )
    sian = DemoPerson(
        person=person_record("p-2001", "C104988", "Siân", "Morgan", "1968-05-30", "cy",
                       ["Fflat 2", "40 Ffordd Caergybi"], "Bangor", "LL57 2EU", "9434765781"),
        carer_plan={
            "id": "csp-2001",
            "status": "active",
            "language": "cy",
            "period_start": "2026-04-20",
            "eligible_needs": [
                {"id": "n1", "description": "Mae Siân yn gofalu am ei mam bob dydd ar ôl gwaith "
                 "ac yn cysgu'n wael oherwydd ei bod yn poeni amdani yn y nos."},
                {"id": "n2", "description": "Mae Siân wedi rhoi'r gorau i'w dosbarth nofio ac nid "
                 "oes ganddi amser iddi hi ei hun."},
            ],
            "outcomes": [
                {"id": "o1", "description": "Rydw i eisiau dal i weithio'n llawn amser yn y "
                 "llyfrgell.", "rating": "sustaining", "rating_comment": None,
                 "need_ids": ["n1"]},
                {"id": "o2", "description": "Rydw i eisiau un noson yr wythnos i mi fy hun, i "
                 "fynd i nofio eto.", "rating": "improving",
                 "rating_comment": "Wedi bod i nofio ddwywaith ers mis Mai.", "need_ids": ["n2"]},
            ],
            "actions": [
                {"id": "a1", "by": "council", "performer": "Gofal Menai",
                 "description": "Gofal seibiant: tair awr bob nos Fercher gyda Gwen, er mwyn i "
                 "Siân gael noson iddi hi ei hun.", "outcome_ids": ["o2"]},
                {"id": "a2", "by": "other", "performer": "Gofalwyr Gwynedd",
                 "description": "Grŵp cymorth i ofalwyr bob mis a chyngor ar hawliau gwaith.",
                 "outcome_ids": ["o1"]},
            ],
            "monitoring": "Bydd Elin Roberts yn ffonio Siân bob tri mis i weld sut mae pethau.",
            "review": {"arrangements": "Adolygiad dros y ffôn gyda Siân bob 12 mis, neu'n gynt "
                       "os bydd hi'n gofyn neu os bydd anghenion Gwen yn newid.",
                       "next_review_date": _review_date(5), "last_review_date": None},
            "direct_payment": {"amount_pence": 2500, "frequency": "monthly",
                               "need_ids": ["n2"],
                               "description": "At wersi nofio ac amser iddi hi ei hun."},
            "lead_worker": {"name": "Elin Roberts", "role": "Gweithiwr cymdeithasol",
                            "team": "Tîm Oedolion Arfon", "language": "cy",
                            "phone": "01632 960 101",
                            "email": "elin.roberts@example.gov.wales"},
        },
        carer_requests=[_carer_request(
            "car-2001", "p-2001", "Gwen Morgan", "routine",
            [("received", 240), ("contacted", 236), ("assessment-booked", 230),
             ("assessed", 222), ("plan-agreed", 218)])],
    )
    # Dafydd's brother, who drives him to the football: his request, made by phone,
    # is waiting at the council.
    huw = DemoPerson(
        person=person_record("p-2002", "C208990", "Huw", "Hughes", "1961-02-17", "en",
                       ["8 Heol y Wig"], "Aberystwyth", "SY23 2LN", None),
        council=CEREDIGION,
        carer_requests=[_carer_request("car-2002", "p-2002", "Dafydd Hughes", "routine",
                                       [("received", 6)])],
    )
    # Eleri is moving to Ceredigion, near her daughter: its council has opened a record
    # of its own for her, which she links when she tells the portal she has moved.
    eleri_moving = DemoPerson(
        person=person_record("p-2005", "C209310", "Eleri", "Price", "1949-11-20", "en",
                       ["3 Maes y Môr"], "Aberaeron", "SA46 0AA", None),
        council=CEREDIGION,
    )
    # The council records independent advocates so that they can link to the portal.
    rhys = DemoPerson(
        person=person_record("p-3001", "A300117", "Rhys", "Thomas", "1985-09-04", "en",
                       ["Eiriolaeth Cymoedd", "2 Stryd y Castell"], "Merthyr Tudful",
                       "CF47 8AA", None),
        council=MERTHYR_TUDFUL,
    )
    return {d.person["id"]: d for d in (gwen, dafydd, eleri, owen, sian, huw, eleri_moving,
                                         rhys)}


def _jitter(key: str, spread: int) -> int:
    """A repeatable offset in minutes (-spread..spread) so actual times look real."""
    digest = hashlib.sha256(key.encode()).digest()
    return digest[0] % (2 * spread + 1) - spread


def visits(demo: DemoPerson, start: date, end: date, now: datetime,
           news: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Visits whose planned start falls between start and end (inclusive), with what
    the call monitoring said of each since (`news`, by visit id) laid over them."""
    today = now.astimezone(LONDON).date()
    result = []
    day = start
    while day <= end:
        if (demo.care_from and day < demo.care_from) or (demo.care_until and day > demo.care_until):
            day += timedelta(days=1)
            continue
        for index, (at, minutes) in enumerate(demo.rounds):
            planned_start = datetime.combine(day, at, LONDON)
            planned_end = planned_start + timedelta(minutes=minutes)
            vid = f"v-{demo.person['id']}-{day.isoformat()}-{index}"
            carer: str | None = demo.carers[(day.toordinal() + index) % len(demo.carers)]
            status = demo.exceptions.get(((day - today).days, index))
            if status is None and planned_start <= now and any(demo.mishaps):
                status = _mishap(vid, demo.mishaps)
            actual: dict[str, datetime | None] | None = None
            if status == "late":
                late_start = planned_start + timedelta(minutes=55)
                actual = {"start": late_start, "end": late_start + timedelta(minutes=minutes)}
            elif status in ("missed", "cancelled"):
                carer = carer if status == "missed" else None
            elif planned_end <= now:
                status = "completed"
                shift = timedelta(minutes=_jitter(vid, 8))
                actual = {"start": planned_start + shift, "end": planned_end + shift}
            elif planned_start <= now:
                status = "in-progress"
                actual = {"start": planned_start, "end": None}
            else:
                status = "booked"
            result.append({
                "id": vid,
                "planned": {"start": _utc(planned_start), "end": _utc(planned_end)},
                "actual": None if actual is None or actual["start"] is None else {
                    "start": _utc(actual["start"]),
                    "end": None if actual["end"] is None else _utc(actual["end"]),
                },
                "carer_first_name": carer,
                "status": status,
                "expected_start": None,
                "moved_to": None,
                **{k: v for k, v in (news or {}).get(vid, {}).items() if k != "record"},
            })
        day += timedelta(days=1)
    return result


# What the care workers do at each visit, and the medicines they prompt, by person, in
# the language the provider records in: the tasks of the plan, as its provider lists them.
VISIT_TASKS: dict[str, tuple[str, list[str], list[str]]] = {
    "p-1001": ("cy", ["Help i ymolchi a gwisgo", "Paratoi pryd o fwyd", "Gwneud paned"],
               ["Paracetamol 500 mg"]),
    "p-1003": ("en", ["Help with washing and dressing", "Make a meal", "Check the pressure "
                      "areas on her heels"], ["Paracetamol 500 mg", "Amlodipine 5 mg"]),
}


def visit_record(visit: dict[str, Any]) -> dict[str, Any] | None:
    """What the care worker recorded of a finished visit (None before it finished):
    every task done but now and then one, with why not; each medicine taken but now
    and then one refused, repeatably."""
    if not (visit.get("actual") or {}).get("end"):
        return None
    person = "-".join(visit["id"].split("-")[1:3])  # v-p-1001-2026-12-07-0
    language, tasks, medicines = VISIT_TASKS.get(person, ("en", [], []))
    roll = _jitter(f"record:{visit['id']}", 5) + 5  # 0..10
    welsh = language == "cy"
    not_done = len(tasks) - 1 if roll == 3 else None  # the last task, now and then
    refused = 0 if roll == 7 else None                 # the first medicine, now and then
    why_not = "Dywedodd nad oedd eisiau un heddiw." if welsh \
        else "She said she did not want it done today."
    why_refused = "Dywedodd ei bod yn teimlo'n iawn." if welsh \
        else "Said she felt fine without it."
    return {
        "language": language, "recorded_at": visit["actual"]["end"],
        "note": ("Roedd hi'n hwyliog heddiw ac wedi bwyta'n dda." if welsh else
                 "In good spirits today and ate well.") if roll % 2 else None,
        "tasks": [{"description": task, "done": n != not_done,
                   "reason": why_not if n == not_done else None}
                  for n, task in enumerate(tasks)],
        "medicines": [{"medicine": medicine,
                       "outcome": "refused" if n == refused else "taken",
                       "note": why_refused if n == refused else None}
                      for n, medicine in enumerate(medicines)],
    }


def _mishap(visit_id: str, mishaps: tuple[int, int, int]) -> str | None:
    """late, missed, cancelled or None, repeatably, at the rates given (per 1,000)."""
    roll = int.from_bytes(hashlib.sha256(f"mishap:{visit_id}".encode()).digest()[:4]) % 1000
    for status, rate in zip(("late", "missed", "cancelled"), mishaps, strict=True):
        if roll < rate:
            return status
        roll -= rate
    return None


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# The reviewing team's free times on weekdays: (local start, minutes, modes offered).
REVIEW_TIMES = [
    (time(10, 0), 60, ("home",)),
    (time(11, 30), 45, ("phone", "video")),
    (time(14, 0), 60, ("home", "office")),
    (time(15, 30), 45, ("phone", "video")),
]


def review_slots(person_id: str, start: date, end: date, now: datetime) -> list[dict[str, Any]]:
    """Review slots (FHIR Slot) from the day after `now` for weekdays between start and
    end, inclusive. Each time is offered once per way the review can happen."""
    first = max(start, now.astimezone(LONDON).date() + timedelta(days=1))
    slots = []
    day = first
    while day <= end:
        if day.weekday() < 5:
            for at, minutes, modes in REVIEW_TIMES:
                begins = datetime.combine(day, at, LONDON)
                for mode in modes:
                    slots.append({
                        "id": f"s-{person_id}-{day.isoformat()}-{at:%H%M}-{mode}",
                        "status": "free", "mode": mode,
                        "start": _utc(begins), "end": _utc(begins + timedelta(minutes=minutes)),
                    })
        day += timedelta(days=1)
    return slots


# What each person pays towards their care each week, in pence.
WEEKLY_CHARGES = {"p-1001": 2410, "p-1002": 10000, "p-1003": 6550, "p-1004": 0}


def invoices(person_id: str, today: date) -> list[dict[str, Any]]:
    """Four-weekly invoices (FHIR Invoice) laid out relative to today: for Gwen one paid,
    one overdue and one due; for Dafydd one due; for Eleri one part paid."""
    weekly = WEEKLY_CHARGES.get(person_id, 0)
    reference = {"p-1001": "104233", "p-1002": "208871", "p-1003": "315502"}.get(person_id)
    if reference is None or not weekly:
        return []
    kind = "direct-payment-contribution" if person_id == "p-1002" else "home-care"
    # (weeks ago the period ended, days until due (negative: overdue), paid so far)
    layouts = {"p-1001": [(8, -42, 4 * weekly), (4, -14, 0), (0, 14, 0)],
               "p-1002": [(0, 10, 0)],
               "p-1003": [(0, 5, 10000)]}
    found = []
    for number, (weeks_ago, due_in, paid) in enumerate(layouts[person_id], start=1):
        end = today - timedelta(weeks=weeks_ago)
        amount = 4 * weekly
        invoice = {
            "id": f"inv-{person_id}-{number}", "number": f"INV-{reference}-{number:02d}",
            "kind": kind,
            "period": {"start": (end - timedelta(days=27)).isoformat(), "end": end.isoformat()},
            "amount_pence": amount, "amount_paid_pence": paid,
            "issued": (end + timedelta(days=1)).isoformat(),
            "due_date": (today + timedelta(days=due_in)).isoformat(),
            "status": "balanced" if paid >= amount else "issued",
            "payments": [] if not paid else [{
                "id": f"pay-{person_id}-{number}", "amount_pence": paid,
                "paid_at": _utc(datetime.combine(end + timedelta(days=10), time(9, 0), LONDON)),
                "provider": "council", "provider_reference": None,
                "portal_reference": None}],
        }
        found.append(invoice)
    return found


def direct_payment_account(person: DemoPerson, today: date) -> dict[str, Any] | None:
    """A direct-payment account, for someone whose plan is met by a direct payment: the
    last 12 weeks' payments in (each Monday), the balance as last accounted for, and the
    12 weeks just over asked to be accounted for within 28 days of their end."""
    plan = person.plan or {}
    paid = plan.get("direct_payment")
    if not paid:
        return None
    monday = today - timedelta(days=today.weekday())
    every = {"weekly": 7, "four-weekly": 28, "monthly": 30}[paid["frequency"]]
    payments = [{"paid_on": (monday - timedelta(days=every * n)).isoformat(),
                 "amount_pence": paid["amount_pence"]}
                for n in range(max(1, 84 // every))]
    ended = monday - timedelta(days=1)
    began = ended - timedelta(weeks=12) + timedelta(days=1)
    return {"balance_pence": 186_420, "balance_on": (began - timedelta(days=1)).isoformat(),
            "payments_in": payments,
            "periods_due": [{"id": f"dpp-{person.person['id']}-{began.isoformat()}",
                             "start": began.isoformat(), "end": ended.isoformat(),
                             "due": (ended + timedelta(days=28)).isoformat()}]}


# What a return of a direct payment's spending may say (the contract's
# DirectPaymentReturnNew).
DIRECT_PAYMENT_RETURN_FIELDS = ("period_id", "spending_pence", "receipts", "declared",
                                "told_by", "portal_reference")
SPENDING_KINDS = ("personal_assistants", "agency_care", "equipment", "other")


def direct_payment_return_problem(body: dict[str, Any]) -> str | None:
    """What in a return breaks the contract, or None."""
    wrong = carer_request_problem(body, {"period_id": _TEXT, "declared": (bool,),
                                         "told_by": _MAYBE_TEXT, "portal_reference": _TEXT})
    if wrong is not None:
        return wrong
    if body["declared"] is not True:
        return "declared must be true"
    spending = body.get("spending_pence")
    if not isinstance(spending, dict) or set(spending) != set(SPENDING_KINDS) or any(
            not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in spending.values()):
        return f"spending_pence must be pence for each of {', '.join(SPENDING_KINDS)}"
    return _files_problem(body.get("receipts"), "receipts", 5)


def _files_problem(files: Any, name: str, most: int) -> str | None:
    if not isinstance(files, list) or len(files) > most or any(
            not isinstance(f, dict) or set(f) != {"filename", "content_type", "data"}
            or f["content_type"] not in EVIDENCE_KINDS or not isinstance(f["data"], str)
            or not isinstance(f["filename"], str) or not f["filename"] for f in files):
        return f"{name} must be up to {most} files of filename, content_type and data"
    return None


# The plans a review may be of.
PLANS = ("care-and-support-plan", "carer-support-plan")

# What a carer's needs assessment request may say (the contract's CarerAssessmentRequestNew).
CARER_REQUEST_STEPS = ("received", "contacted", "assessment-booked", "assessed",
                       "plan-agreed", "closed")
CARER_REQUEST_FIELDS = ("portal_reference", "priority", "carer", "cared_for", "caring",
                        "able_and_willing", "able_and_willing_detail", "what_matters",
                        "what_matters_detail", "contact")
_TEXT = (str,)
_MAYBE_TEXT = (str, type(None))
_CARER_REQUEST_SHAPE: dict[str, Any] = {
    "portal_reference": _TEXT, "priority": ("routine", "urgent"),
    "carer": {"person_id": _MAYBE_TEXT, "name": _TEXT, "preferred_language": ("cy", "en")},
    "cared_for": {"person_id": _MAYBE_TEXT, "name": _TEXT, "relationship": _TEXT,
                  "lives_with_carer": (bool,), "gets_council_care": ("yes", "no", "not-sure")},
    "caring": {"tasks": ["personal-care", "medicines", "meals", "housework", "shopping",
                         "getting-about", "emotional-support", "watching-over",
                         "money-and-paperwork", "other"],
               "tasks_detail": _MAYBE_TEXT,
               "hours_per_week": ("under-20", "20-34", "35-49", "50-or-more")},
    "able_and_willing": ("yes", "with-more-support", "no"),
    "able_and_willing_detail": _MAYBE_TEXT,
    "what_matters": ["work", "learning", "health", "sleep", "time-for-myself", "other"],
    "what_matters_detail": _MAYBE_TEXT,
    "contact": {"by": ("email", "phone"), "email": _MAYBE_TEXT, "phone": _MAYBE_TEXT,
                "best_times": _MAYBE_TEXT, "access_needs": _MAYBE_TEXT},
}
_OPTIONAL = {"person_id", "tasks_detail", "able_and_willing_detail", "what_matters_detail",
             "email", "phone", "best_times", "access_needs", "details", "reported_by",
             "told_by"}


def carer_request_problem(body: dict[str, Any], shape: dict[str, Any] | None = None,
                          at: str = "") -> str | None:
    """What in a carer's needs assessment request (or, given its shape, another body)
    breaks the contract, or None.
    A tuple of types is a type check, a tuple of strings an enum, a list of strings an
    array of one or more of them, a dict an object closed to its keys."""
    shape = _CARER_REQUEST_SHAPE if shape is None else shape
    for key, rule in shape.items():
        where = f"{at}{key}"
        if key not in body:
            if key in _OPTIONAL:
                continue
            return f"{where} is required"
        value = body[key]
        if isinstance(rule, dict):
            if not isinstance(value, dict):
                return f"{where} must be an object"
            if set(value) - set(rule):
                return f"{where} may not have {', '.join(sorted(set(value) - set(rule)))}"
            wrong = carer_request_problem(value, rule, f"{where}.")
            if wrong:
                return wrong
        elif isinstance(rule, list):
            if not isinstance(value, list) or not value or any(v not in rule for v in value):
                return f"{where} must list one or more of {', '.join(rule)}"
        elif isinstance(rule[0], type):
            if not isinstance(value, rule) or (bool not in rule and isinstance(value, bool)):
                return f"{where} has the wrong type"
        elif value not in rule:
            return f"{where} must be one of {', '.join(rule)}"
    return None


# What a request for an assessment of care and support needs may say (the
# contract's AssessmentRequestNew), and where the council may take it.
ASSESSMENT_REQUEST_STEPS = ("received", "contacted", "assessment-booked", "assessed",
                            "closed")
ASSESSMENT_OUTCOMES = ("eligible", "information-and-advice")
ASSESSMENT_REQUEST_FIELDS = ("portal_reference", "priority", "at_risk_now", "asked_by",
                             "subject", "agreement", "what_matters", "what_is_hard",
                             "who_helps", "advocate")
_ASSESSMENT_REQUEST_SHAPE: dict[str, Any] = {
    "portal_reference": _TEXT, "priority": ("routine", "urgent"), "at_risk_now": (bool,),
    "asked_by": {"relation": ("self", "someone-else", "advocate"), "name": _TEXT,
                 "relationship": _MAYBE_TEXT, "preferred_language": ("cy", "en"),
                 "contact": {"by": ("email", "phone"), "email": _MAYBE_TEXT,
                             "phone": _MAYBE_TEXT, "best_times": _MAYBE_TEXT}},
    "subject": {"name": _TEXT, "birth_date": _MAYBE_TEXT, "address": _TEXT,
                "postal_code": _TEXT, "phone": _MAYBE_TEXT,
                "preferred_language": ("cy", "en")},
    "agreement": ("own-request", "agreed", "lacks-capacity", "at-risk"),
    "what_matters": _TEXT, "what_is_hard": _TEXT, "who_helps": _MAYBE_TEXT,
    "advocate": ("wanted", "not-wanted", "not-sure", "is-advocate"),
}


def assessment_request_problem(body: dict[str, Any]) -> str | None:
    """What in a request for an assessment of care and support needs breaks the
    contract, or None."""
    wrong = carer_request_problem(body, _ASSESSMENT_REQUEST_SHAPE)
    if wrong is None and (body["asked_by"]["relation"] == "self") != (
            body["agreement"] == "own-request"):
        return "agreement is own-request when, and only when, asked_by.relation is self"
    return wrong


# What a carer's emergency plan says (the contract's CarerEmergencyPlanNew).
EMERGENCY_PLAN_FIELDS = ("portal_reference", "version", "language", "carer", "cared_for",
                         "contacts", "daily_needs", "medicines", "routines", "keys",
                         "step_in", "other")
_EMERGENCY_PLAN_SHAPE: dict[str, Any] = {
    "portal_reference": _TEXT, "version": (int,), "language": ("cy", "en"),
    "carer": {"person_id": _MAYBE_TEXT, "name": _TEXT, "phone": _MAYBE_TEXT},
    "cared_for": {"person_id": _MAYBE_TEXT, "name": _TEXT},
    "contacts": _TEXT, "daily_needs": _TEXT, "medicines": _MAYBE_TEXT,
    "routines": _MAYBE_TEXT, "keys": _MAYBE_TEXT, "step_in": _MAYBE_TEXT,
    "other": _MAYBE_TEXT,
}


def emergency_plan_problem(body: dict[str, Any]) -> str | None:
    """What in a carer's emergency plan breaks the contract, or None."""
    wrong = carer_request_problem(body, _EMERGENCY_PLAN_SHAPE)
    if wrong is None and body["version"] < 1:
        return "version must be 1 or more"
    return wrong


# What a report about a visit may say (the contract's VisitReportNew).
VISIT_PROBLEMS = ("nobody-came", "came-late", "left-early", "someone-unexpected")
VISIT_REPORT_FIELDS = ("visit_id", "what_happened", "at_risk", "details", "reported_by",
                       "portal_reference")
_VISIT_REPORT_SHAPE: dict[str, Any] = {
    "visit_id": _TEXT, "what_happened": VISIT_PROBLEMS, "at_risk": (bool,),
    "details": _MAYBE_TEXT, "reported_by": _MAYBE_TEXT, "portal_reference": _TEXT,
}


def visit_report_problem(body: dict[str, Any]) -> str | None:
    """What in a report about a visit breaks the contract, or None."""
    return carer_request_problem(body, _VISIT_REPORT_SHAPE)


# What a change may say (the contract's ChangeNew), and what each kind must give.
CHANGE_KINDS = ("going-into-hospital", "home-from-hospital", "new-address", "new-phone",
                "needs-changed", "carer-stopping")
URGENT_CHANGES = frozenset({"going-into-hospital", "home-from-hospital", "carer-stopping"})
CHANGE_NEEDS = ("health", "getting-about", "memory", "mood", "daily-living", "other")
CHANGE_FIELDS = ("kind", "effective_date", "hospital", "address", "phone", "needs",
                 "carer_name", "at_risk", "details", "told_by", "portal_reference")
_CHANGE_SHAPE: dict[str, Any] = {
    "kind": CHANGE_KINDS, "effective_date": _MAYBE_TEXT, "hospital": _MAYBE_TEXT,
    "phone": _MAYBE_TEXT, "carer_name": _MAYBE_TEXT, "at_risk": (bool,),
    "details": _MAYBE_TEXT, "told_by": _MAYBE_TEXT, "portal_reference": _TEXT,
}
_CHANGE_GIVES = {"going-into-hospital": ("effective_date",),
                 "home-from-hospital": ("effective_date",),
                 "new-address": ("address", "effective_date"), "new-phone": ("phone",),
                 "needs-changed": ("needs", "details"),
                 "carer-stopping": ("carer_name", "effective_date")}


def change_problem(body: dict[str, Any]) -> str | None:
    """What in a change breaks the contract, or None."""
    wrong = carer_request_problem({k: v for k, v in body.items() if k not in ("address", "needs")},
                                  _CHANGE_SHAPE)
    if wrong is not None:
        return wrong
    for key in ("address", "needs"):
        if key not in body:
            return f"{key} is required"
    needs, address = body["needs"], body["address"]
    if not isinstance(needs, list) or any(n not in CHANGE_NEEDS for n in needs):
        return f"needs must list only {', '.join(CHANGE_NEEDS)}"
    if address is not None and not (
            isinstance(address, dict) and set(address) == {"line", "city", "postal_code"}
            and isinstance(address["line"], list) and 1 <= len(address["line"]) <= 2
            and all(isinstance(v, str) and v for v in [*address["line"], address["city"],
                                                        address["postal_code"]])):
        return "address must be null or an object of line (one or two), city and postal_code"
    if body["effective_date"] is not None:
        try:
            date.fromisoformat(body["effective_date"])
        except ValueError:
            return "effective_date must be a date"
    missing = [key for key in _CHANGE_GIVES[body["kind"]] if not body[key]]
    return f"{body['kind']} needs {', '.join(missing)}" if missing else None


# What a request for a financial assessment may say (the contract's
# FinancialAssessmentNew): the answers, a week's amounts in pence, and the evidence.
FINANCIAL_ASSESSMENT_FIELDS = ("answers", "estimate_pence", "evidence", "declared", "told_by",
                               "portal_reference")
CHARGING_REVIEW_FIELDS = ("financial_assessment_id", "reasons", "told_by", "portal_reference")
LONGEST_REASONS = 5000


def charging_review_problem(body: dict[str, Any]) -> str | None:
    """What in a request to look again at a charging decision breaks the contract, or
    None (whether the assessment is theirs and decided is the back office's to say)."""
    wrong = carer_request_problem(body, {"financial_assessment_id": _TEXT, "reasons": _TEXT,
                                         "told_by": _MAYBE_TEXT, "portal_reference": _TEXT})
    if wrong is not None:
        return wrong
    if not 1 <= len(body["reasons"]) <= LONGEST_REASONS:
        return f"reasons must be 1 to {LONGEST_REASONS} characters"
    return None


INCOME_KINDS = ("state_pension", "pension_credit", "universal_credit", "other_pensions",
                "earnings", "other_income")
_PENCE = (int,)
_FINANCIAL_ANSWERS_SHAPE: dict[str, Any] = {
    "pension_age": (bool,),
    "disability_benefit": ("attendance-allowance-higher", "attendance-allowance-lower",
                           "pip-enhanced", "pip-standard", "none"),
    "night_care": ("yes", "no", "not-sure"), "savings_pence": _PENCE,
    "housing_costs_pence": _PENCE, "disability_costs_pence": _PENCE,
    "care_cost_pence": (int, type(None)), "owns_home": ("yes", "no", "shared"),
    "lives_with_partner": (bool,),
}
EVIDENCE_KINDS = ("application/pdf", "image/jpeg", "image/png")


def financial_assessment_problem(body: dict[str, Any]) -> str | None:
    """What in a request for a financial assessment breaks the contract, or None."""
    wrong = carer_request_problem(body, {"estimate_pence": _PENCE, "declared": (bool,),
                                         "told_by": _MAYBE_TEXT, "portal_reference": _TEXT})
    if wrong is not None:
        return wrong
    if body["declared"] is not True:
        return "declared must be true"
    answers = body.get("answers")
    if not isinstance(answers, dict):
        return "answers must be an object"
    income = answers.get("weekly_income_pence")
    if not isinstance(income, dict) or set(income) - set(INCOME_KINDS) or any(
            not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in income.values()):
        return f"answers.weekly_income_pence must be pence for {', '.join(INCOME_KINDS)}"
    rest = {k: v for k, v in answers.items() if k != "weekly_income_pence"}
    if extra := sorted(set(rest) - set(_FINANCIAL_ANSWERS_SHAPE)):
        return f"answers may not have {', '.join(extra)}"
    wrong = carer_request_problem(rest, _FINANCIAL_ANSWERS_SHAPE, "answers.")
    if wrong is not None:
        return wrong
    if any(isinstance(v, int) and not isinstance(v, bool) and v < 0 for v in
           [*rest.values(), body["estimate_pence"]]):
        return "amounts may not be less than 0"
    return _files_problem(body.get("evidence"), "evidence", 3)
