# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Messages of the suite written from editable email templates.

Every email the suite sends is a ``mail.template`` (English source text, a
zh_CN translation, editable in *Settings → Technical → Email Templates*).
A summary a job sends to internal users (reminders, distribution, SLA
escalation) is rendered once per language of its recipients, with the
figures of the summary given to the template as ``ctx``, and posted on the
record it is about, notifying them: the set-based jobs render one template
per summary, never one per record of it.

The same module ships in each addon of the suite (the addons do not depend
on each other).
"""


def recipient_langs(partners, default='en_US'):
    """[(language, partner ids)] of ``partners``, grouped by their language
    (``default`` for those without one), in a stable order."""
    groups = {}
    for partner in partners:
        groups.setdefault(partner.lang or default, []).append(partner.id)
    return sorted(groups.items())


def render(template, record, lang, values=None):
    """(subject, body) of ``template`` on ``record`` in ``lang``; ``values``
    (a dict) reach the template as ``ctx``. It renders with the rights of
    ``record``'s environment (a job's summary of records its recipients may
    not all read is posted on a record in a superuser environment)."""
    template = template.with_env(record.env).with_context(
        lang=lang, **(values or {}))
    subject = template.render_template(
        template.subject or '', record._name, record.id)
    body = template.render_template(
        template.body_html or '', record._name, record.id, post_process=True)
    return subject, body


def post(template, record, partners, values=None, **kwargs):
    """Post ``template`` rendered on ``record`` to ``partners``: one message
    per language of the recipients. ``values`` is a dict, or a function of
    the language returning one (figures written in words of that language);
    ``kwargs`` go to ``message_post`` (subtype, message_type).

    Returns the posted messages."""
    messages = record.env['mail.message']
    for lang, partner_ids in recipient_langs(partners):
        data = values(lang) if callable(values) else values
        subject, body = render(template, record, lang, data)
        messages |= record.with_context(lang=lang).message_post(
            body=body, subject=subject, partner_ids=partner_ids, **kwargs)
    return messages


def composer_action(record, template):
    """The email composer (a dialog) on ``record`` with ``template``: the
    salesperson reads, edits and sends it; it renders in the recipient's
    language (the template's ``lang``)."""
    return {
        'type': 'ir.actions.act_window',
        'res_model': 'mail.compose.message',
        'view_type': 'form',
        'view_mode': 'form',
        'target': 'new',
        'context': {
            'default_model': record._name,
            'default_res_id': record.id,
            'default_use_template': True,
            'default_template_id': template.id,
            'default_composition_mode': 'comment',
        },
    }
