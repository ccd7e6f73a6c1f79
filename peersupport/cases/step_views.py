"""The supporter records a step in a case: one POST per step, checked by the
workflow, and nothing saved when anything is wrong."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peersupport.cases.access import CaseAction, get_case_for
from peersupport.cases.constants import Action
from peersupport.cases.models import Case
from peersupport.cases.models.case import StaleStep
from peersupport.cases.step_forms import (
    CloseForm,
    ConversationForm,
    CorrectionForm,
    OfferForm,
    ProfessionalHelpForm,
)
from peersupport.cases.views import render_case
from peersupport.cases.workflow import TransitionNotAllowed
from peersupport.handovers import models as handovers
from peersupport.people.http import AuthenticatedHttpRequest
from peersupport.people.models import User

Do = Callable[[Case, dict[str, Any], User], Any]


@dataclass(frozen=True)
class Step:
    form: type[forms.Form] | None
    do: Do
    access: CaseAction = CaseAction.RECORD


STEPS: dict[Action, Step] = {
    Action.CONTACT_ATTEMPT: Step(None, lambda c, d, by: c.record_contact_attempt(by=by)),
    Action.OFFER: Step(
        OfferForm, lambda c, d, by: c.record_offer(at=d["at"], mode=d["mode"], by=by)
    ),
    Action.ACCEPT: Step(None, lambda c, d, by: c.accept(by=by)),
    Action.DECLINE: Step(None, lambda c, d, by: c.decline(by=by)),
    Action.NO_ANSWER: Step(None, lambda c, d, by: c.record_no_answer(by=by)),
    Action.PLAN_CONVERSATION: Step(
        ConversationForm,
        lambda c, d, by: c.plan_conversation(d["number"], d["at"], d["mode"], by=by),
    ),
    Action.HOLD_CONVERSATION: Step(
        ConversationForm,
        lambda c, d, by: c.hold_conversation(d["number"], d["at"], d["mode"], by=by),
    ),
    Action.REFER: Step(
        ProfessionalHelpForm,
        # With consent, the referral becomes a hand-over to HR or the coordinator.
        lambda c, d, by: handovers.refer(
            c, d["kind"], route=d["route"], consent=d["consent"], by=by
        ),
    ),
    Action.CLOSE: Step(CloseForm, lambda c, d, by: c.close(d["reason"], by=by)),
    Action.REOPEN: Step(None, lambda c, d, by: c.reopen(by=by), access=CaseAction.MANAGE),
    Action.UNDO: Step(None, lambda c, d, by: c.undo_last(by=by)),
    Action.CORRECT: Step(
        CorrectionForm,
        lambda c, d, by: c.correct_last(d["reason"], by=by),
        access=CaseAction.MANAGE,
    ),
}


@require_POST
@login_required
def record_step(request: AuthenticatedHttpRequest, case_id: int, action: str) -> HttpResponse:
    try:
        step = STEPS[Action(action)]
    except (ValueError, KeyError):
        raise Http404 from None
    case = get_case_for(request.user, case_id, step.access)
    form = step.form(request.POST, prefix=action) if step.form else None
    if form is not None and not form.is_valid():
        return render_case(request, case, forms={action: form}, status=400)
    seen = request.POST.get("seen")
    if seen is not None:  # the case page's forms carry it; a step sent twice is refused
        case.seen_history = int(seen) if seen.isdigit() and len(seen) < 19 else -1
    try:
        StaleStep.check(case)  # before the step's own rules, to say what happened
        step.do(case, form.cleaned_data if form else {}, request.user)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("cases:detail", case_id=case.pk)
        for field, errors in error.message_dict.items():
            form.add_error(_field_for(field, form), errors)
        return render_case(request, case, forms={action: form}, status=400)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
        return redirect("cases:detail", case_id=case.pk)
    last = case.history.select_related("corrects").order_by("-at", "-pk").first()
    done = last.describe() if last is not None else Action(action).label
    if action in (Action.UNDO, Action.CORRECT):
        messages.success(request, done)  # "Undone: conversation 1 held"
    else:
        messages.success(request, _("Recorded: %(step)s.") % {"step": done})
    return redirect("cases:detail", case_id=case.pk)


def _field_for(model_field: str, form: forms.Form) -> str | None:
    """Errors about the conversation's moment belong to its date field on the form."""
    if model_field == "at":
        return "day"
    return model_field if model_field in form.fields else None
