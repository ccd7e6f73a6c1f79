"""What the system holds about one employee, for them to read and download (R-16).

It holds everything about them and nothing about anyone else: the people in
their case appear only as the role they had, except their own supporter, whose
name and phone they were given anyway. Who referred them is not included: it is
kept for the access log only."""

from typing import Any

from peersupport.audit.models import entries_about
from peersupport.cases.access import LOGGED_AS
from peersupport.cases.models import Case
from peersupport.people.models import Employee


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_for(employee: Employee) -> dict[str, Any]:
    user = employee.user
    cases = (
        Case.objects.filter(employee=employee)
        .select_related("event__department", "request", "supporter__employee")
        .prefetch_related("conversations", "referrals__hand_over__steps", "history")
        .order_by("pk")
    )
    case_ids = [c.pk for c in cases]
    log = entries_about(LOGGED_AS, case_ids, allowed_only=True)
    return {
        "employee": {
            "staff_number": employee.staff_number,
            "name": employee.name,
            "email": employee.email,
            "phone": employee.phone,
            "preferred_phone": employee.preferred_phone,
            "preferred_call_time": employee.preferred_call_time,
            "department": employee.department.name,
            "function": employee.function.name,
            "employed": employee.is_active,
        },
        "account": None
        if user is None
        else {
            "username": user.username,
            "email": user.email,
            "language": user.language,
            "roles": sorted(user.role_set),
            "last_login": _moment(user.last_login),
        },
        "supporter_profile": _supporter_profile(employee),
        "cases": [_case(case) for case in cases],
        "access_log": [
            {"case": e.object_id, "at": _moment(e.at), "role": e.role, "action": e.action}
            for e in log.order_by("at")
        ],
        "deletion_requests": [
            {"requested_at": _moment(r.requested_at), "carried_out_at": _moment(r.carried_out_at)}
            for r in employee.deletion_requests.all()
        ],
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        "case": case.pk,
        "event": {
            "category": case.event.category,
            "date": case.event.event_date.isoformat(),
            "department": case.event.department.name,
            "offer_mandatory": case.event.offer_mandatory,
        },
        "request": {
            "channel": case.request.channel,
            "received_at": _moment(case.request.received_at),
        },
        "status": case.status,
        "supporter": None
        if case.supporter is None
        else {"name": case.supporter.employee.name, "phone": case.supporter.reach_at},
        "contact_attempts": case.contact_attempts,
        "first_contact_at": _moment(case.first_contact_at),
        "offered_at": _moment(case.offered_at),
        "answered_at": _moment(case.answered_at),
        "closure_reason": case.closure_reason or None,
        "closed_at": _moment(case.closed_at),
        "next_deadline": {
            "kind": case.next_deadline_kind or None,
            "due_at": _moment(case.next_deadline_at),
        },
        "conversations": [
            {
                "number": c.number,
                "planned_at": _moment(c.planned_at),
                "held_at": _moment(c.held_at),
                "mode": c.mode,
            }
            for c in case.conversations.all()
        ],
        "referrals": [
            {
                "to": r.kind,
                "via": r.route,
                "agreed": r.consent,
                "at": _moment(r.referred_at),
                "hand_over": _hand_over(getattr(r, "hand_over", None)),
            }
            for r in case.referrals.all()
        ],
        # Who did each step is left out: those are other people.
        "history": [
            {
                "at": _moment(h.at),
                "action": h.action,
                "status": h.to_status,
                "reason": h.reason or None,
            }
            for h in case.history.all()
        ],
    }


def _hand_over(hand_over: Any) -> dict[str, Any] | None:
    """The hand-over's status and its steps; who recorded them is left out."""
    if hand_over is None:
        return None
    return {
        "status": hand_over.status,
        "sent_at": _moment(hand_over.sent_at),
        "steps": [{"status": s.status, "on": s.on.isoformat()} for s in hand_over.steps.all()],
    }


def _supporter_profile(employee: Employee) -> dict[str, Any] | None:
    supporter = getattr(employee, "supporter", None)
    if supporter is None:
        return None
    return {
        "phone": supporter.phone,
        "capacity": supporter.capacity,
        "trained_on": supporter.trained_on.isoformat() if supporter.trained_on else None,
        "listed_in_directory": supporter.listed_in_directory,
        "departments_known": sorted(d.name for d in supporter.departments_known.all()),
        "experience": sorted(e.category for e in supporter.experiences.all()),
        "approach": sorted(a.approach for a in supporter.approaches.all()),
        "languages": sorted(x.language for x in supporter.languages.all()),
        "absences": [
            {"from": a.starts_on.isoformat(), "until": a.ends_on.isoformat()}
            for a in supporter.absences.all()
        ],
        # The cases they support belong to others: only how many.
        "cases_supported": supporter.cases.count(),
    }
