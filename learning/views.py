"""The library's pages. Reading published entries is open to everyone;
writing needs a role at an organisation; moderation needs a platform admin."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.policy import Permission, has_permission, require_permission
from core.forms import error_summary
from core.redirects import safe_next
from core.tables import table_response
from learning import attachments, feeds, markdown, presenters, queries, services
from learning.forms import (
    AttachmentForm,
    CompareForm,
    EntryForm,
    FollowTopicForm,
    LibrarySearch,
    PerspectiveForm,
    ReturnForm,
    UpdateForm,
)
from learning.models import TEXT_FIELDS, FollowKind
from learning.search import search as full_text_search
from learning.vocabulary import measure_name, measures
from scoring import queries as scoring

PAGE_SIZE = 20


def _crumbs(*pages):
    items = [
        ("Home", reverse("home")),
        ("Blueprints and redprints", reverse("learning:index")),
    ]
    return [{"text": text, "href": href} for text, href in (*items, *pages)]


def _form_errors(form, error):
    """Put a service's ``ValidationError`` on the form, by field."""
    for field, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


# --- Reading ------------------------------------------------------------------


@require_GET
def index(request):
    form = LibrarySearch(request.GET, topics=queries.topics(), suppliers=queries.suppliers())
    q, filters = form.filters()
    entries = queries.library(**filters)
    if q.strip():
        cards = [
            presenters.card(hit.entry, snippet=hit.snippet) for hit in full_text_search(q, entries)
        ]
    else:
        cards = [presenters.card(entry) for entry in entries]
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    followable = None
    if filters["topic"] and not form.errors.get("topic"):
        followable = (FollowKind.TOPIC, filters["topic"], queries.topic_by(filters["topic"]).name)
    elif filters["measure"] and not form.errors.get("measure"):
        followable = (FollowKind.MEASURE, filters["measure"], measure_name(filters["measure"]))
    return render(
        request,
        "learning/index.jinja",
        {
            "form": form,
            "searched": bool(q.strip()),
            "page": page,
            "query": query.urlencode(),
            "followable": followable,
            "following": followable
            and queries.is_following(request.user, followable[0], followable[1]),
            "error_summary": error_summary(form),
            "can_write": bool(queries.home_organisation(request.user))
            and has_permission(request.user, Permission.WRITE_LEARNING),
            "can_moderate": has_permission(request.user, Permission.MODERATE_LEARNING),
            "breadcrumbs": [{"text": "Home", "href": reverse("home")}],
        },
    )


@require_GET
def entry(request, entry):
    access = queries.entry_for(request.user, entry)
    item = access.entry
    perspectives = list(queries.approved_perspectives(item))
    return render(
        request,
        "learning/entry.jinja",
        {
            "entry": item,
            "access": access,
            "author": presenters.author(item),
            "kind": presenters.kind_tag(item),
            "status": presenters.status_tag(item),
            "summary_rows": presenters.summary_rows(item),
            "summary_html": markdown.render(item.summary),
            "sections": presenters.sections(item),
            "links": presenters.links_of(item.links),
            "attachments": queries.attachments_of(item),
            "timeline": presenters.timeline(item, queries.updates_of(item)),
            "perspectives": presenters.perspective_items(item, perspectives),
            "coverage": presenters.perspective_coverage(perspectives),
            "pending_perspectives": queries.own_pending_perspectives(request.user, item).count(),
            "can_add_perspective": item.is_published
            and has_permission(request.user, Permission.ADD_PERSPECTIVE),
            "following_entry": queries.is_following(request.user, FollowKind.ENTRY, item.reference),
            "following_organisation": item.organisation_id
            and queries.is_following(
                request.user, FollowKind.ORGANISATION, item.organisation.ods_code
            ),
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def history(request, entry):
    access = queries.entry_for(request.user, entry)
    revisions = list(queries.revisions_for(access))
    return render(
        request,
        "learning/history.jinja",
        {
            "entry": access.entry,
            "rows": presenters.revision_rows(access.entry, revisions),
            "numbers": [r.number for r in revisions],
            "breadcrumbs": _crumbs((access.entry.title, presenters.entry_url(access.entry))),
        },
    )


@require_GET
def compare(request, entry):
    access = queries.entry_for(request.user, entry)
    revisions = {r.number: r for r in queries.revisions_for(access)}
    numbers = sorted(revisions)
    form = CompareForm(request.GET, numbers=numbers)
    changes = []
    if form.is_valid():
        first, second = (revisions[form.cleaned_data[name]] for name in ("from", "to"))
        changes = presenters.differences(first.content, second.content)
    return render(
        request,
        "learning/compare.jinja",
        {
            "entry": access.entry,
            "form": form,
            "changes": changes,
            "error_summary": error_summary(form) if numbers else None,
            "breadcrumbs": _crumbs(
                (access.entry.title, presenters.entry_url(access.entry)),
                ("Revision history", reverse("learning:history", args=[access.entry.reference])),
            ),
        },
        status=400 if form.errors and numbers else 200,
    )


@require_GET
def attachment(request, entry, number):
    """A page about one file; with ``?download``, the file itself."""
    access = queries.entry_for(request.user, entry)
    item = queries.attachment_of(access.entry, number)
    if item is None:
        messages.info(request, "That file is no longer attached to this entry.")
        return redirect("learning:entry", access.entry.reference)
    if "download" in request.GET:
        path = attachments.path_of(item)
        if not path.exists():
            return HttpResponse("This file is missing. Tell the Northstar team.", status=410)
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=item.download_name,
            content_type=item.content_type,
        )
    return render(
        request,
        "learning/attachment.jinja",
        {
            "entry": access.entry,
            "file": item,
            "breadcrumbs": _crumbs((access.entry.title, presenters.entry_url(access.entry))),
        },
    )


@require_GET
def export(request):
    """What the export holds; with ``?format=csv``, every published entry as CSV."""
    if request.GET.get("format") == "csv":
        return table_response(
            "blueprints-and-redprints.csv",
            presenters.CSV_COLUMNS,
            (presenters.csv_row(item) for item in queries.library()),
        )
    return render(
        request,
        "learning/export.jinja",
        {"columns": presenters.CSV_COLUMNS, "breadcrumbs": _crumbs()},
    )


def _collection(request, *, kind, value, name, feed, entries):
    if request.GET.get("format") == "atom":
        return feed(request, **{kind: value})
    return render(
        request,
        "learning/collection.jinja",
        {
            "kind": kind,
            "value": value,
            "name": name,
            "cards": [presenters.card(item) for item in entries],
            "following": queries.is_following(request.user, kind, value),
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def topic(request, topic):
    """Entries about a topic, to follow or read as a feed (``?format=atom``)."""
    found = queries.topic_by(topic)
    return _collection(
        request,
        kind=FollowKind.TOPIC,
        value=found.slug,
        name=found.name,
        feed=feeds.TopicFeed(),
        entries=queries.library(topic=found.slug),
    )


@require_GET
def measure(request, measure):
    """Entries for a success measure, to follow or read as a feed (``?format=atom``)."""
    name = measures().get(measure)
    if name is None:
        raise Http404(f"There is no success measure “{measure}”.")
    return _collection(
        request,
        kind=FollowKind.MEASURE,
        value=measure,
        name=name,
        feed=feeds.MeasureFeed(),
        entries=queries.library(measure=measure),
    )


@login_required
@require_GET
def journeys(request):
    organisation, suggestions = queries.journeys_like_yours(
        request.user, measure_scores=scoring.latest_measure_profiles
    )
    return render(
        request,
        "learning/journeys.jinja",
        {
            "organisation": organisation,
            "cards": [presenters.card(s.entry, reasons=s.reasons) for s in suggestions],
            "breadcrumbs": _crumbs(),
        },
    )


# --- Writing ------------------------------------------------------------------


NOT_AN_AUTHOR = "Only people at the organisation that wrote this entry can change it."


def for_authors(view):
    """Give the view the entry if the user is one of its authors; send anyone
    else who may read it to the entry, saying why."""

    @wraps(view)
    def wrapper(request, entry, **kwargs):
        item = queries.entry_for_editing(request.user, entry)
        if item is None:
            queries.entry_for(request.user, entry)  # not found for those who may not read it
            messages.info(request, NOT_AN_AUTHOR)
            return redirect("learning:entry", entry)
        return view(request, item, **kwargs)

    return wrapper


def _entry_form_page(request, form, item=None):
    return render(
        request,
        "learning/entry_form.jinja",
        {
            "form": form,
            "entry": item,
            "text_fields": list(TEXT_FIELDS),
            "anonymity_fixed": item is not None and item.published_at is not None,
            "error_summary": error_summary(form),
            "breadcrumbs": _crumbs(*([(item.title, presenters.entry_url(item))] if item else [])),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    require_permission(request.user, Permission.WRITE_LEARNING)
    organisations = list(queries.writing_organisations(request.user))
    if not organisations:
        messages.info(request, "You need a role at an organisation to write for the library.")
        return redirect("learning:index")
    form = EntryForm(
        request.POST or None,
        topics=queries.topics(),
        organisations=organisations,
        initial={"kind": "redprint"},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("organisation", str(organisations[0].pk))
        organisation = next(o for o in organisations if str(o.pk) == chosen)
        try:
            item = services.create_entry(
                by=request.user, organisation=organisation, content=form.content()
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, "Your draft has been saved. Only your organisation can see it."
            )
            return redirect("learning:entry", item.reference)
    return _entry_form_page(request, form)


def _initial(item):
    data = {
        field: getattr(item, field)
        for field in ("kind", "title", *TEXT_FIELDS, "outcome", "anonymous")
    }
    data["show_org_type"] = bool(item.shown_org_type)
    data["topics"] = [t.slug for t in item.topics.all()]
    data["measures"] = presenters.tag_values(item, "measure")
    data["org_types"] = presenters.tag_values(item, "org_type")
    data["suppliers"] = "\n".join(presenters.tag_values(item, "supplier"))
    return data


@login_required
@require_http_methods(["GET", "POST"])
@for_authors
def edit(request, item):
    form = EntryForm(request.POST or None, topics=queries.topics(), initial=_initial(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_entry(entry=item, by=request.user, content=form.content())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("learning:entry", item.reference)
    return _entry_form_page(request, form, item)


@login_required
@require_http_methods(["GET", "POST"])
@for_authors
def publish(request, item):
    hits = services.identifying_hits(entry=item, by=request.user) if item.anonymous else []
    summary = None
    if request.method == "POST":
        try:
            services.publish(entry=item, by=request.user)
        except ValidationError as error:
            summary = [{"text": m, "href": "#hits"} for m in error.messages]
        else:
            if item.anonymous:
                messages.success(
                    request,
                    "Your redprint has been sent to a moderator. It will show once they approve it.",
                )
            else:
                messages.success(request, "Your entry has been published.")
            return redirect("learning:entry", item.reference)
    return render(
        request,
        "learning/publish.jinja",
        {
            "entry": item,
            "hits": hits,
            "error_summary": summary,
            "breadcrumbs": _crumbs((item.title, presenters.entry_url(item))),
        },
        status=400 if summary else 200,
    )


def _attachments_page(request, item, form):
    return render(
        request,
        "learning/attachments.jinja",
        {
            "entry": item,
            "form": form,
            "attachments": queries.attachments_of(item),
            "error_summary": error_summary(form),
            "breadcrumbs": _crumbs((item.title, presenters.entry_url(item))),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@for_authors
def manage_attachments(request, item):
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_attachment(
                entry=item,
                by=request.user,
                name=upload.name,
                data=upload.read(attachments.MAX_SIZE + 1),
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, "The file has been attached, without its name or hidden details."
            )
            return redirect("learning:attachments", item.reference)
    return _attachments_page(request, item, form)


@login_required
@require_POST
@for_authors
def remove_attachment(request, item, number):
    attachment = queries.attachment_of(item, number)
    if attachment is not None:
        services.remove_attachment(attachment=attachment, by=request.user)
    messages.success(request, "The file has been removed.")
    return redirect("learning:attachments", item.reference)


@login_required
@require_http_methods(["GET", "POST"])
@for_authors
def new_update(request, item):
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(entry=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Your journey update has been posted.")
            return redirect(presenters.entry_url(item) + "#journey")
    return render(
        request,
        "learning/update_form.jinja",
        {
            "entry": item,
            "form": form,
            "error_summary": error_summary(form),
            "breadcrumbs": _crumbs((item.title, presenters.entry_url(item))),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_perspective(request, entry):
    require_permission(request.user, Permission.ADD_PERSPECTIVE)
    access = queries.entry_for(request.user, entry)
    form = PerspectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_perspective(entry=access.entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, "Thank you. Your perspective will show once a moderator has approved it."
            )
            return redirect("learning:entry", access.entry.reference)
    return render(
        request,
        "learning/perspective_form.jinja",
        {
            "entry": access.entry,
            "form": form,
            "error_summary": error_summary(form),
            "breadcrumbs": _crumbs((access.entry.title, presenters.entry_url(access.entry))),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def mine(request):
    return render(
        request,
        "learning/mine.jinja",
        {
            "entries": [
                {
                    **presenters.card(item),
                    "status": presenters.status_tag(item),
                    "note": item.review_note,
                }
                for item in queries.own_entries(request.user)
            ],
            "breadcrumbs": _crumbs(),
        },
    )


# --- Moderation ---------------------------------------------------------------


@login_required
@require_GET
def moderation(request):
    require_permission(request.user, Permission.MODERATE_LEARNING)
    return render(
        request,
        "learning/moderation.jinja",
        {
            "entries": [
                {
                    **presenters.card(item),
                    "review_href": reverse("learning:review_entry", args=[item.reference]),
                }
                for item in queries.entries_waiting()
            ],
            "perspectives": [
                {
                    "id": p.id,
                    "role": p.get_role_display(),
                    "entry": presenters.card(p.entry),
                    "anonymous": p.entry.anonymous,
                    "html": markdown.render(p.body),
                }
                for p in queries.perspectives_waiting()
            ],
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_entry(request, entry):
    require_permission(request.user, Permission.MODERATE_LEARNING)
    item = queries.entry_waiting(entry)
    if item is None:
        queries.entry_for(request.user, entry)
        messages.info(request, "This entry is not waiting for a moderator.")
        return redirect("learning:entry", entry)
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("decision") == "approve":
            services.approve_entry(entry=item, by=request.user)
            messages.success(request, f"“{item.title}” is published.")
            return redirect("learning:moderation")
        if form.is_valid():
            services.return_entry(entry=item, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, f"“{item.title}” has been sent back to its authors.")
            return redirect("learning:moderation")
    return render(
        request,
        "learning/review.jinja",
        {
            "entry": item,
            "summary_rows": presenters.summary_rows(item),
            "summary_html": markdown.render(item.summary),
            "sections": presenters.sections(item),
            "links": presenters.links_of(item.links),
            "timeline": presenters.timeline(item, queries.updates_of(item)),
            "attachments": queries.attachments_of(item),
            "form": form,
            "error_summary": error_summary(form),
            "breadcrumbs": _crumbs(("Moderation", reverse("learning:moderation"))),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def review_perspective(request, perspective_id):
    require_permission(request.user, Permission.MODERATE_LEARNING)
    perspective = queries.perspective_waiting(perspective_id)
    approve = request.POST.get("decision") == "approve"
    services.review_perspective(perspective=perspective, by=request.user, approve=approve)
    messages.success(
        request,
        "The perspective is published." if approve else "The perspective will not be shown.",
    )
    return redirect("learning:moderation")


# --- Following ----------------------------------------------------------------


def _back(request, fallback):
    return safe_next(request, request.POST.get("next"), fallback)


@login_required
@require_POST
def follow(request):
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    try:
        services.follow(by=request.user, kind=kind, value=value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "You are following it. New entries, updates and perspectives will appear in your notifications.",
        )
    return redirect(_back(request, reverse("learning:following")))


@login_required
@require_POST
def unfollow(request):
    services.unfollow(
        by=request.user, kind=request.POST.get("kind", ""), value=request.POST.get("value", "")
    )
    messages.success(request, "You are no longer following it.")
    return redirect(_back(request, reverse("learning:following")))


@login_required
@require_GET
def following(request):
    topic_names = {t.slug: t.name for t in queries.topics()}
    measure_names = measures()
    rows = []
    for item in queries.follows_of(request.user):
        if item.kind == FollowKind.TOPIC:
            text, href = (
                topic_names.get(item.value, item.value),
                reverse("learning:topic", args=[item.value]),
            )
        elif item.kind == FollowKind.MEASURE:
            text, href = (
                measure_names.get(item.value, item.value),
                reverse("learning:measure", args=[item.value]),
            )
        elif item.kind == FollowKind.ENTRY:
            found = queries.readable_entry(request.user, item.value)
            if found is None:
                continue
            text, href = found.title, presenters.entry_url(found)
        else:
            organisation = queries.followed_organisation(item.value)
            if organisation is None:
                continue
            text, href = organisation.name, reverse("organisations:detail", args=[item.value])
        rows.append(
            {
                "kind": item.get_kind_display(),
                "raw_kind": item.kind,
                "value": item.value,
                "text": text,
                "href": href,
            }
        )
    return render(
        request,
        "learning/following.jinja",
        {
            "rows": rows,
            "topic_form": FollowTopicForm(topics=queries.topics()),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    if request.method == "POST":
        services.mark_notifications_read(by=request.user)
        messages.success(request, "All your notifications are marked as read.")
        return redirect("learning:notifications")
    return render(
        request,
        "learning/notifications.jinja",
        {
            "rows": presenters.notification_rows(queries.notifications_of(request.user)),
            "unread": queries.unread_count(request.user),
            "breadcrumbs": _crumbs(),
        },
    )
