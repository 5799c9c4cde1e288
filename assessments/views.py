"""Assessment pages. Each loads through a scoped query, calls one service and
renders; the policy decides who may do what."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import (
    Permission,
    Step,
    has_permission,
    may_take_step,
    require_permission,
)
from assessments import exchange, presenters, queries, services, workflow
from assessments.evidence import render_note
from assessments.forms import (
    AnswerForm,
    AsItStoodForm,
    DownloadForm,
    EvidenceForm,
    OpenRoundForm,
    StepForm,
)
from assessments.workflow import (
    AnswerValue,
    AssessmentError,
    AssessmentStatus,
    Change,
    NotAllowed,
    RoundStatus,
    StaleAnswer,
    SubmissionRefused,
)
from core.forms import error_summary as core_error_summary
from core.presenters import datetime as datetime_words
from core.redirects import safe_next
from core.tables import table_response


def _assessment(request, round, ods_code, care_setting):
    return queries.assessment_for(
        request.user, round_slug=round, ods_code=ods_code, care_setting=care_setting
    )


# --- Lists -------------------------------------------------------------------


@login_required
def index(request):
    visible = queries.assessments_visible_to(request.user)
    return render(
        request,
        "assessments/index.jinja",
        {
            "rounds": presenters.round_rows(queries.rounds(), visible),
            "yours": [
                (a, presenters.status_tag(a.status, a.get_status_display()))
                for a in queries.own_assessments(request.user)
            ],
            "may_open": _may_manage_rounds(request.user),
            "breadcrumbs": presenters.breadcrumbs()[:1],
        },
    )


def _may_manage_rounds(user):
    return has_permission(user, Permission.MANAGE_ROUNDS)


@login_required
@require_http_methods(["GET", "POST"])
def open_round(request):
    require_permission(request.user, Permission.MANAGE_ROUNDS)
    form = OpenRoundForm(request.POST or None, versions=queries.published_versions())
    if request.method == "POST" and form.is_valid():
        try:
            round = services.open_round(**form.cleaned_data, by=request.user)
        except AssessmentError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Round {round.name} is open.")
            return redirect("assessments:round", round.slug)
    return render(
        request,
        "assessments/open_round.jinja",
        {
            "form": form,
            "error_summary": core_error_summary(form),
            "breadcrumbs": presenters.breadcrumbs()[:2],
        },
        status=400 if form.errors else 200,
    )


@login_required
def round_page(request, round):
    found = queries.round_by_slug(round)
    return render(
        request,
        "assessments/round.jinja",
        {
            "round": found,
            "assessments": queries.assessments_in_round(request.user, found),
            "may_close": _may_manage_rounds(request.user) and found.closed_at is None,
            "breadcrumbs": presenters.breadcrumbs()[:2],
        },
    )


@login_required
@require_POST
def close_round(request, round):
    found = queries.round_by_slug(round)
    try:
        published = workflow.close_round(round=found, by=request.user)
    except AssessmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Round {found.name} is closed. {presenters.plural(published, 'validated assessment')} "
            "published.",
        )
    return redirect("assessments:round", found.slug)


# --- One assessment ----------------------------------------------------------


@login_required
def assessment(request, round, ods_code, care_setting):
    found = _assessment(request, round, ods_code, care_setting)
    return _assessment_page(request, found)


def _assessment_page(request, found, *, error_summary=None, step_form=None, status=200):
    domains = queries.domains_of(found)
    answers = queries.answers_of(found)
    moment = AsItStoodForm(request.GET if request.GET.get("at") else None)
    at = moment.cleaned_data["at"] if moment.is_valid() else None
    error_summary = error_summary or core_error_summary(moment)
    progress = queries.progress(found, domains, answers)
    context = {
        "assessment": found,
        "title": presenters.title(found),
        "status": presenters.status_tag(found.status, found.get_status_display()),
        "progress": progress,
        "measures": presenters.measure_rows(found, progress),
        "problems": queries.problems_of(found, domains, answers)
        if found.status == AssessmentStatus.DRAFT
        else None,
        "steps": presenters.steps_for(request.user, found),
        "may_answer": _may_answer(request.user, found),
        "transitions": presenters.transition_rows(queries.transitions_of(found)),
        "step_form": step_form or StepForm(),
        "moment_form": moment,
        "at": at,
        "error_summary": error_summary,
        "breadcrumbs": presenters.breadcrumbs(assessment=found)[:-1],
    }
    if at is not None:
        context["then"] = presenters.as_it_stood(
            found, domains, queries.revisions_at(found, at), queries.status_at(found, at)
        )
    return render(request, "assessments/assessment.jinja", context, status=status)


@login_required
@require_POST
def take_step(request, round, ods_code, care_setting):
    found = _assessment(request, round, ods_code, care_setting)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _assessment_page(
            request,
            found,
            error_summary=core_error_summary(form, anchors={"step": "steps"}),
            status=400,
        )
    step = form.cleaned_data["step"]
    try:
        workflow.take_step(
            assessment=found, step=step, by=request.user, comment=form.cleaned_data["comment"]
        )
    except SubmissionRefused as refused:
        summary = [
            {"text": p.text, "href": presenters.domain_url(found, p.domain)}
            for p in refused.problems
        ]
        return _assessment_page(request, found, error_summary=summary, status=400)
    except AssessmentError as error:
        href = "#id_comment" if error.field == "comment" else "#steps"
        return _assessment_page(
            request,
            found,
            error_summary=[{"text": error.message, "href": href}],
            step_form=form,
            status=403 if isinstance(error, NotAllowed) else 400,
        )
    messages.success(request, presenters.STEP_DONE[step])
    return redirect(presenters.assessment_url(found))


@login_required
@require_http_methods(["GET", "POST"])
def measure(request, round, ods_code, care_setting, measure):
    found = _assessment(request, round, ods_code, care_setting)
    domains = queries.domains_of(found)
    in_measure = [d for d in domains if d.measure.key == measure]
    if not in_measure:
        raise Http404("This assessment has no measure at this address")
    the_measure = in_measure[0].measure
    error_summary = None
    if request.method == "POST":
        try:
            confirmed = workflow.confirm_measure(
                assessment=found, measure=the_measure, by=request.user
            )
        except AssessmentError as error:
            error_summary = [{"text": error.message, "href": "#confirm"}]
        else:
            messages.success(
                request,
                f"{presenters.plural(confirmed, 'answer')} in {the_measure.name} confirmed unchanged.",
            )
            return redirect(presenters.assessment_url(found))
    answers = queries.answers_of(found)
    progress = queries.progress(found, in_measure, answers)
    rows = presenters.domain_rows(
        found, in_measure, answers, queries.not_carried(found, in_measure)
    )
    return render(
        request,
        "assessments/measure.jinja",
        {
            "assessment": found,
            "measure": the_measure,
            "rows": rows,
            "progress": progress,
            "may_answer": _may_answer(request.user, found),
            "error_summary": error_summary,
            "breadcrumbs": presenters.breadcrumbs(assessment=found),
        },
        status=400 if error_summary else 200,
    )


def _may_answer(user, found):
    return workflow.may_take(user, Step.ANSWER, found)


def _domain_of(found, key):
    domains = queries.domains_of(found)
    for index, domain in enumerate(domains):
        if domain.key == key:
            return domain, (domains[index + 1] if index + 1 < len(domains) else None)
    raise Http404("This assessment has no domain at this address")


def _value(form):
    data = form.cleaned_data
    return AnswerValue(
        elements=tuple(sorted(data["elements"])),
        not_applicable=data["not_applicable"],
        not_applicable_reason=data["not_applicable_reason"] if data["not_applicable"] else "",
        comment=data["comment"],
        evidence_ids=tuple(sorted(int(i) for i in data["evidence"])),
    )


def _save(request, found, domain, form):
    """Save a valid form; returns ``(answer, changed)``, or raises the writer's errors."""
    change = Change(found, domain, _value(form), version=form.cleaned_data["version"])
    return workflow.apply_answers(changes=[change], by=request.user).results[0]


# Names the signed-in person answering, so that what they send after their
# session has ended can be kept for them alone (see _keep_until_signed_in).
ANSWERING_AS = settings.ANSWERING_AS_COOKIE


def _names_who_is_answering(view):
    @wraps(view)
    def named(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            response.set_signed_cookie(
                ANSWERING_AS,
                request.user.pk,
                salt=ANSWERING_AS,
                max_age=settings.SESSION_COOKIE_AGE,
                path=reverse("assessments:index"),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Strict",
            )
        return response

    return named


def _who_was_answering(request):
    """The person the request's signed cookie names, if it is theirs and recent."""
    user_id = request.get_signed_cookie(
        ANSWERING_AS, default=None, salt=ANSWERING_AS, max_age=settings.SESSION_COOKIE_AGE
    )
    return None if user_id is None else queries.active_person(user_id)


@require_http_methods(["GET", "POST"])
@_names_who_is_answering
def domain(request, round, ods_code, care_setting, domain):
    if not request.user.is_authenticated:
        return _keep_until_signed_in(request)
    found = _assessment(request, round, ods_code, care_setting)
    the_domain, following = _domain_of(found, domain)
    evidence = list(queries.evidence_of(found.organisation, found.round))
    answer = queries.answer_of(found, the_domain)
    kept = None
    if request.method == "GET" and request.GET.get("kept"):
        kept = services.take_kept_input(
            token=request.GET["kept"], path=request.path, by=request.user
        )
    data = request.POST if request.method == "POST" else _as_query_dict(kept)
    form = AnswerForm(data, evidence=evidence)
    conflict = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _save(request, found, the_domain, form)
            except StaleAnswer as stale:
                conflict = presenters.conflict(stale, the_domain, _titles(evidence))
                data = request.POST.copy()
                data["version"] = str(stale.answer.version)
                form = AnswerForm(data, evidence=evidence)
                answer = stale.answer
                status = 409
            except AssessmentError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 400
            else:
                messages.success(request, f"Your answer to {the_domain.name} has been saved.")
                if following is None:
                    return redirect(presenters.assessment_url(found))
                return redirect(presenters.domain_url(found, following))
        else:
            status = 400
    return render(
        request,
        "assessments/domain.jinja",
        presenters.domain_page(
            found,
            the_domain,
            answer=answer,
            form=form,
            evidence=evidence,
            conflict=conflict,
            kept=kept is not None,
            may_answer=_may_answer(request.user, found),
            not_carried=queries.not_carried(found, [the_domain]).get(the_domain.id),
            following=following,
        ),
        status=status,
    )


def _as_query_dict(kept):
    if kept is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in kept.items():
        data.setlist(key, values)
    return data


def _titles(evidence):
    return {e.id: f"{e.number}. {e.title}" for e in evidence}


def _keep_until_signed_in(request):
    """A signed-out GET goes to sign in. A signed-out POST from someone whose
    session ended while they typed (their signed cookie says who) keeps what
    they sent, so that nothing is lost, and brings it back to them once they
    have signed in again. Anyone else's POST keeps nothing."""
    if request.method != "POST" or not queries.assessment_exists(**request.resolver_match.kwargs):
        return redirect_to_login(request.get_full_path())
    person = _who_was_answering(request)
    if person is None:
        messages.warning(
            request, "You are not signed in, so nothing was saved. Sign in, then enter your answer."
        )
        return redirect_to_login(request.get_full_path())
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    try:
        token = services.keep_input(path=request.path, data=data, by=person)
    except AssessmentError as refusal:
        messages.warning(
            request, f"Your session had ended, so your answer has not been saved. {refusal}"
        )
        return redirect_to_login(request.get_full_path())
    back = f"{request.path}?{urlencode({'kept': token})}"
    messages.info(
        request,
        "Your session had ended, so your answer has not been saved yet. Sign in again: "
        "what you entered has been kept, and you can check it and save it.",
    )
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': back})}")


@require_POST
def autosave(request, round, ods_code, care_setting, domain):
    """Save one answer from the page's script; answers in JSON."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "detail": "Your session has ended, so this was not saved. Press “Save and "
                "continue”: what you entered will be kept while you sign in again."
            },
            status=401,
        )
    found = _assessment(request, round, ods_code, care_setting)
    the_domain, _ = _domain_of(found, domain)
    evidence = list(queries.evidence_of(found.organisation, found.round))
    form = AnswerForm(request.POST, evidence=evidence)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return JsonResponse({"detail": errors[0], "field": field}, status=400)
    try:
        answer, changed = _save(request, found, the_domain, form)
    except StaleAnswer as stale:
        return JsonResponse(
            presenters.conflict_json(stale, the_domain, _titles(evidence)), status=409
        )
    except AssessmentError as error:
        return JsonResponse(
            {"detail": error.message, "field": error.field},
            status=403 if isinstance(error, NotAllowed) else 400,
        )
    return JsonResponse(
        {
            "saved": changed,
            "version": answer.version,
            "level": answer.level,
            "level_text": presenters.level_words(answer.level, answer.not_applicable),
            "next_level": presenters.next_level_words(
                the_domain, form.cleaned_data["elements"], answer.level
            ),
            "at": datetime_words(answer.updated_at),
        }
    )


@login_required
def history(request, round, ods_code, care_setting, domain):
    found = _assessment(request, round, ods_code, care_setting)
    the_domain, _ = _domain_of(found, domain)
    evidence = queries.evidence_of(found.organisation, found.round)
    return render(
        request,
        "assessments/history.jinja",
        {
            "assessment": found,
            "domain": the_domain,
            "rows": presenters.history_rows(
                queries.history_of(found, the_domain), _titles(evidence)
            ),
            "breadcrumbs": presenters.breadcrumbs(
                (the_domain.name, presenters.domain_url(found, the_domain)),
                assessment=found,
                measure=the_domain.measure,
            ),
        },
    )


# --- Evidence ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request, round, ods_code):
    assessments = queries.assessments_of(
        request.user, round=queries.round_by_slug(round), ods_code=ods_code
    )
    if not assessments:
        raise Http404("There is no evidence at this address that you may see")
    first = assessments[0]
    form = EvidenceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                added = services.add_evidence(
                    assessment=first, by=request.user, **form.cleaned_data
                )
            except AssessmentError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 400
            else:
                messages.success(
                    request, f"Evidence {added.number}, “{added.title}”, has been added."
                )
                return redirect(safe_next(request, request.GET.get("back"), request.path))
        else:
            status = 400
    return render(
        request,
        "assessments/evidence.jinja",
        {
            "round": first.round,
            "organisation": first.organisation,
            "assessments": assessments,
            "items": queries.evidence_of(first.organisation, first.round),
            "form": form,
            "may_add": may_take_step(request.user, Step.ANSWER, first)
            and first.round.status == RoundStatus.OPEN,
            "error_summary": core_error_summary(form),
            "breadcrumbs": presenters.breadcrumbs(assessment=first)[:-1],
        },
        status=status,
    )


@login_required
def evidence_item(request, round, ods_code, number):
    item = queries.evidence_for(request.user, round_slug=round, ods_code=ods_code, number=number)
    if "download" in request.GET:
        if item.kind != item.Kind.FILE:
            raise Http404("This evidence is not a file")
        path = services.evidence_folder() / item.stored_name
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=item.original_name,
            content_type=item.content_type,
        )
    return render(
        request,
        "assessments/evidence_item.jinja",
        {
            "item": item,
            "note": render_note(item.note) if item.note else "",
            "answers": queries.answers_supported_by(item),
            "breadcrumbs": presenters.breadcrumbs()[:2]
            + [
                {"text": "Evidence", "href": presenters.evidence_url(item.round, item.organisation)}
            ],
        },
    )


# --- Downloads ---------------------------------------------------------------


def _download(request, assessments, filename, context):
    form = DownloadForm(request.GET) if "format" in request.GET else None
    if form is not None and form.is_valid():
        return table_response(
            f"{filename}.{form.cleaned_data['format']}",
            exchange.COLUMNS,
            exchange.export_rows(assessments),
        )
    return render(
        request,
        "assessments/download.jinja",
        {
            **context,
            "error_summary": [{"text": form.errors["format"][0], "href": "#csv"}]
            if form is not None
            else None,
        },
        status=400 if form is not None else 200,
    )


@login_required
def download(request, round, ods_code, care_setting):
    found = _assessment(request, round, ods_code, care_setting)
    return _download(
        request,
        queries.one_assessment(request.user, found),
        f"answers-{found.round.slug}-{found.organisation.ods_code}-{found.care_setting}",
        {
            "heading": f"Download {presenters.title(found).lower()} answers",
            "caption": found.organisation.name,
            "breadcrumbs": presenters.breadcrumbs(assessment=found),
        },
    )


@login_required
def round_download(request, round):
    found = queries.round_by_slug(round)
    visible = queries.assessments_in_round(request.user, found)
    return _download(
        request,
        visible,
        f"answers-{found.slug}",
        {
            "heading": f"Download answers for round {found.name}",
            "caption": f"{presenters.plural(visible.count(), 'assessment')} you can see",
            "breadcrumbs": presenters.breadcrumbs(
                (found.name, reverse("assessments:round", args=[found.slug]))
            ),
        },
    )
