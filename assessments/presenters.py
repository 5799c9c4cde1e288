"""How assessments read on a page: titles, tags, answers in words, history."""

from django.urls import reverse

from accounts.policy import Step
from assessments.forms import AnswerForm
from assessments.workflow import AssessmentStatus, may_take, pending_step
from core.forms import error_summary
from core.presenters import datetime, plural
from frameworks.queries import levels_of

STATUS_COLOURS = {
    AssessmentStatus.DRAFT: "grey",
    AssessmentStatus.SUBMITTED: "blue",
    AssessmentStatus.APPROVED: "aqua-green",
    AssessmentStatus.VALIDATED: "green",
    AssessmentStatus.PUBLISHED: "purple",
}
STEP_BUTTONS = {
    "submit": "Submit for approval",
    "approve": "Approve",
    "validate": "Validate",
    "publish": "Publish",
}


def status_tag(status, label=None):
    return {"text": label or status.capitalize(), "colour": STATUS_COLOURS.get(status, "grey")}


def title(assessment):
    return f"{assessment.get_care_setting_display()} self-assessment {assessment.round.name}"


def args(assessment):
    return [assessment.round.slug, assessment.organisation.ods_code, assessment.care_setting]


def assessment_url(assessment):
    return reverse("assessments:assessment", args=args(assessment))


def measure_url(assessment, measure):
    return reverse("assessments:measure", args=[*args(assessment), measure.key])


def domain_url(assessment, domain):
    return reverse("assessments:domain", args=[*args(assessment), domain.key])


def history_url(assessment, domain):
    return reverse("assessments:history", args=[*args(assessment), domain.key])


def evidence_url(round, organisation, number=None):
    if number is None:
        return reverse("assessments:evidence", args=[round.slug, organisation.ods_code])
    return reverse("assessments:evidence_item", args=[round.slug, organisation.ods_code, number])


def breadcrumbs(*pages, assessment=None, measure=None):
    crumbs = [("Home", reverse("home")), ("Assessments", reverse("assessments:index"))]
    if assessment is not None:
        crumbs.append(
            (assessment.round.name, reverse("assessments:round", args=[assessment.round.slug]))
        )
        crumbs.append(
            (
                f"{assessment.organisation.name}, {assessment.get_care_setting_display()}",
                assessment_url(assessment),
            )
        )
    if measure is not None:
        crumbs.append((measure.name, measure_url(assessment, measure)))
    crumbs.extend(pages)
    return [{"text": text, "href": href} for text, href in crumbs]


def level_words(level, not_applicable=False):
    if not_applicable:
        return "Not applicable"
    if level is None:
        return "Not answered"
    if level == 0:
        return "Level 0: no level's elements are all met yet"
    return f"Level {level}"


def value_words(value, level, evidence_titles):
    """An answer's value as short lines, for conflicts and history."""
    if value.not_applicable:
        lines = [f"Not applicable: {value.not_applicable_reason}"]
    else:
        lines = [
            level_words(level),
            f"Elements met: {', '.join(value.elements) if value.elements else 'none'}",
        ]
    if value.comment:
        lines.append(f"Comment: {value.comment}")
    if value.evidence_ids:
        names = [evidence_titles.get(i, f"evidence {i}") for i in value.evidence_ids]
        lines.append(f"Evidence: {'; '.join(names)}")
    return lines


def level_groups(domain, met, names_only=False):
    """Each level's elements as NHS.UK checkbox items, lowest level first."""
    met = set(met)
    return [
        {
            "level": level,
            "legend": f"Level {level}: {name}" if name else f"Level {level}",
            "items": [
                {
                    "value": element.key,
                    "text": f"{element.key}: {element.text}",
                    "checked": element.key in met,
                    "id": f"element-{element.key}",
                }
                for element in elements
            ],
        }
        for level, name, elements in levels_of(domain)
        if elements
    ]


def history_rows(revisions, evidence_titles):
    """Each revision with what it changed from the one before."""
    rows = []
    previous = None
    for revision in revisions:
        changes = _changes(previous, revision, evidence_titles)
        rows.append(
            {
                "version": revision.version,
                "when": datetime(revision.at),
                "who": revision.by.full_name if revision.by else "An import",
                "note": revision.note,
                "changes": changes,
                "level": level_words(revision.level, revision.not_applicable),
            }
        )
        previous = revision
    return list(reversed(rows))


def _changes(before, after, evidence_titles):
    if before is None:
        lines = [f"Answered: {level_words(after.level, after.not_applicable)}"]
        if after.met_elements:
            lines.append(f"Elements met: {', '.join(after.met_elements)}")
        if after.comment:
            lines.append(f"Comment: {after.comment}")
        if after.evidence_ids:
            lines.append(
                "Evidence: " + "; ".join(evidence_titles.get(i, str(i)) for i in after.evidence_ids)
            )
        return lines
    lines = []
    if (before.level, before.not_applicable) != (after.level, after.not_applicable):
        lines.append(
            f"{level_words(before.level, before.not_applicable)} → "
            f"{level_words(after.level, after.not_applicable)}"
        )
    ticked = sorted(set(after.met_elements) - set(before.met_elements))
    unticked = sorted(set(before.met_elements) - set(after.met_elements))
    if ticked:
        lines.append(f"Ticked {', '.join(ticked)}")
    if unticked:
        lines.append(f"Unticked {', '.join(unticked)}")
    if before.not_applicable_reason != after.not_applicable_reason and after.not_applicable:
        lines.append(f"Reason not applicable: “{after.not_applicable_reason}”")
    if before.comment != after.comment:
        lines.append(
            f"Comment changed from “{before.comment}” to “{after.comment}”"
            if before.comment
            else f"Comment added: “{after.comment}”"
        )
    added = [i for i in after.evidence_ids if i not in before.evidence_ids]
    removed = [i for i in before.evidence_ids if i not in after.evidence_ids]
    for words, ids in (("Evidence added", added), ("Evidence removed", removed)):
        if ids:
            lines.append(f"{words}: " + "; ".join(evidence_titles.get(i, str(i)) for i in ids))
    return lines or ["No change to the answer"]


def transition_rows(transitions):
    rows = []
    for t in transitions:
        if not t.from_status:
            what = "Opened as a draft"
        elif t.to_status == AssessmentStatus.DRAFT:
            what = f"Sent back to draft from {t.from_status}"
        else:
            what = t.get_to_status_display()
        rows.append(
            {
                "when": datetime(t.at),
                "who": t.by.full_name if t.by else "Northstar",
                "what": what,
                "comment": t.comment,
            }
        )
    return rows


def progress_words(answered, total):
    return f"{answered} of {total} answered"


def measure_rows(assessment, progress):
    return [
        {
            "measure": entry.measure,
            "href": measure_url(assessment, entry.measure),
            "progress": progress_words(entry.answered, entry.total),
            "carried": plural(entry.carried_forward, "answer") + " to confirm"
            if entry.carried_forward
            else "",
            "complete": entry.answered == entry.total,
        }
        for entry in progress.measures
    ]


def domain_rows(assessment, domains, answers, not_carried):
    rows = []
    for domain in domains:
        answer = answers.get(domain.id)
        tags = []
        if answer is not None and answer.carried_forward:
            tags.append({"text": "Carried forward: confirm or change", "colour": "yellow"})
        if domain.id in not_carried and answer is None:
            tags.append({"text": not_carried[domain.id], "colour": "orange"})
        if domain.is_local:
            tags.append({"text": "Local domain", "colour": "purple"})
        rows.append(
            {
                "domain": domain,
                "href": domain_url(assessment, domain),
                "answer": level_words(answer.level, answer.not_applicable)
                if answer
                else "Not answered",
                "tags": tags,
            }
        )
    return rows


def conflict(stale, domain, evidence_titles):
    from assessments.queries import level_of

    theirs = stale.current
    mine = stale.refused
    return {
        "message": stale.message,
        "theirs": value_words(theirs, stale.answer.level, evidence_titles),
        "mine": value_words(
            mine, None if mine.not_applicable else level_of(domain, mine.elements), evidence_titles
        ),
        "who": stale.answer.updated_by.full_name if stale.answer.updated_by else "an import",
        "when": datetime(stale.answer.updated_at),
    }


def conflict_json(stale, domain, evidence_titles):
    shown = conflict(stale, domain, evidence_titles)
    return {
        "detail": stale.message,
        "changed_by": shown["who"],
        "changed_at": stale.answer.updated_at.isoformat(),
        "version": stale.answer.version,
        "theirs": shown["theirs"],
        "yours": shown["mine"],
    }


STEP_DONE = {
    "submit": "The assessment has been submitted for approval. Its answers are now frozen.",
    "approve": "The assessment has been approved and goes to validation.",
    "validate": "The assessment has been validated.",
    "publish": "The assessment has been published.",
    "send_back": "The assessment has been sent back to draft, with your reason.",
}


def steps_for(user, assessment):
    """The workflow buttons this person may press now."""
    step = pending_step(assessment)
    if step is None or not may_take(user, step, assessment):
        return None
    return {
        "step": str(step),
        "button": STEP_BUTTONS[step],
        "may_send_back": may_take(user, Step.SEND_BACK, assessment),
    }


def round_rows(rounds, visible):
    counts = {}
    for round_id in visible.values_list("round_id", flat=True):
        counts[round_id] = counts.get(round_id, 0) + 1
    return [
        {
            "round": round,
            "href": reverse("assessments:round", args=[round.slug]),
            "status": round.status.capitalize(),
            "count": counts.get(round.id, 0),
        }
        for round in rounds
    ]


def as_it_stood(assessment, domains, revisions, status):
    rows = []
    for domain in domains:
        revision = revisions.get(domain.id)
        rows.append(
            {
                "domain": domain,
                "answer": level_words(revision.level, revision.not_applicable)
                if revision
                else "Not answered",
                "elements": ", ".join(revision.met_elements) if revision else "",
                "who": (revision.by.full_name if revision.by else "An import") if revision else "",
                "when": datetime(revision.at) if revision else "",
            }
        )
    return {"rows": rows, "status": status.capitalize() if status else "Not yet opened"}


def domain_page(
    assessment,
    domain,
    *,
    answer,
    form,
    evidence,
    conflict,
    kept,
    may_answer,
    not_carried,
    following,
):
    """Everything the question page shows, with the form's values kept."""
    from assessments.queries import level_of, met_keys

    if form.is_bound:
        data = form.data
        met = data.getlist("elements")
        values = {
            "not_applicable": bool(data.get("not_applicable")),
            "reason": data.get("not_applicable_reason", ""),
            "comment": data.get("comment", ""),
            "evidence": set(data.getlist("evidence")),
            "version": data.get("version", ""),
        }
    else:
        met = met_keys(answer) if answer else []
        values = {
            "not_applicable": answer.not_applicable if answer else False,
            "reason": answer.not_applicable_reason if answer else "",
            "comment": answer.comment if answer else "",
            "evidence": {str(e.id) for e in answer.evidence.all()} if answer else set(),
            "version": answer.version if answer else 0,
        }
    known = [key for key in met if key in {e.key for e in domain.elements.all()}]
    shown_level = None if values["not_applicable"] else level_of(domain, known)
    next_level = next_level_words(domain, known, shown_level)
    errors = {name: errors[0] for name, errors in form.errors.items()} if form.is_bound else {}
    elements = domain.elements.all()
    summary = (
        error_summary(
            form, anchors={"elements": f"element-{elements[0].key}"} if elements else None
        )
        or []
    )
    if conflict:
        summary.insert(0, {"text": conflict["message"], "href": "#conflict"})
    if not form.is_bound:
        form = AnswerForm(
            initial={
                "not_applicable": values["not_applicable"],
                "not_applicable_reason": values["reason"],
                "comment": values["comment"],
                "evidence": sorted(values["evidence"]),
                "version": values["version"],
            },
            evidence=evidence,
        )
    return {
        "assessment": assessment,
        "domain": domain,
        "answer": answer,
        "groups": level_groups(domain, met),
        "values": values,
        "form": form,
        "errors": errors,
        "level_text": level_words(shown_level, values["not_applicable"]),
        "next_level": next_level,
        "conflict": conflict,
        "kept": kept,
        "may_answer": may_answer,
        "not_carried": not_carried,
        "following": following,
        "autosave_url": reverse("assessments:autosave", args=[*args(assessment), domain.key]),
        "history_url": history_url(assessment, domain),
        "evidence_url": evidence_url(assessment.round, assessment.organisation),
        "error_summary": summary or None,
        "breadcrumbs": breadcrumbs(assessment=assessment, measure=domain.measure),
    }


def next_level_words(domain, met, level):
    """What the next level still needs, as the person ticks; empty at level 5
    or when the answer is not applicable."""
    from assessments.levels import missing_for
    from assessments.queries import elements_by_level

    if level is None or level >= 5:
        return ""
    still = missing_for(elements_by_level(domain), met, level + 1)
    return f"For level {level + 1}, {', '.join(still)} must be met too."
