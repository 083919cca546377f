"""The reclaim owners' summaries, set-based (SQL only, no ``odoo`` import).

A run's summaries are read from the history rows it wrote (one query, from
the last id a summary covered), so a run killed after some batches has its
owners told by the next run; the messages of all owners are written in one
statement.
"""

# Namespace of the advisory locks: every reclaim batch holds the lock shared
# until its commit, the summary step holds it exclusively. The summary thus
# reads only committed batches (none still in flight, whose history ids
# could be lower than the ones it sees) and no batch inserts while it runs.
SUMMARY_LOCK = 480622
SUMMARY_MARK_KEY = 'crm_public_pool.reclaim_summary_log_id'


def lock_batch(cr):
    """Called first in each reclaim batch (see :data:`SUMMARY_LOCK`)."""
    cr.execute('SELECT pg_advisory_xact_lock_shared(%s, 0)', (SUMMARY_LOCK,))


def summary_mark(cr):
    """The last history id an owner's summary covered; the first run of a
    database starts from the history as it is (nothing older is told)."""
    cr.execute("""
        INSERT INTO ir_config_parameter (key, value, create_uid, write_uid,
                                         create_date, write_date)
        SELECT %(key)s, COALESCE(max(id), 0)::varchar, 1, 1,
               now() at time zone 'UTC', now() at time zone 'UTC'
          FROM crm_pool_log
            ON CONFLICT (key) DO NOTHING
    """, {'key': SUMMARY_MARK_KEY})
    cr.execute('SELECT value FROM ir_config_parameter WHERE key = %s',
               (SUMMARY_MARK_KEY,))
    return int(cr.fetchone()[0] or 0)


def summary_rows(cr, names=5):
    """What the owners lost since the last summary, under the exclusive
    lock: ``(last id, rows)`` where rows are ``(owner, model, source pool,
    count, first names)`` from one query on the history."""
    cr.execute('SELECT pg_advisory_xact_lock(%s, 0)', (SUMMARY_LOCK,))
    mark = summary_mark(cr)
    cr.execute("""
        SELECT from_user_id, res_model, pool_id, count(*),
               (array_agg(COALESCE(res_name, '#' || res_id)
                          ORDER BY id))[1:%(names)s],
               max(id)
          FROM crm_pool_log
         WHERE id > %(mark)s AND action = 'reclaim'
         GROUP BY from_user_id, res_model, pool_id
         ORDER BY from_user_id, res_model, pool_id
    """, {'mark': mark, 'names': names})
    rows = cr.fetchall()
    last = max([row[5] for row in rows] or [mark])
    return last, [row[:5] for row in rows if row[0] and row[2]]


def set_summary_mark(cr, last):
    """Record that the summaries cover the history up to id ``last``."""
    cr.execute('UPDATE ir_config_parameter SET value = %s, '
               "write_date = now() at time zone 'UTC' WHERE key = %s",
               (str(last), SUMMARY_MARK_KEY))


# One message per owner on a pool's chatter, addressed to the owner: the
# recipient and inbox rows, and for owners notified by email the email
# itself (the rendered template, sent by the mail queue). What message_post
# does for a note with one recipient, without the per-message rendering of
# the notification layout.
POST_SQL = """
WITH v AS (
    SELECT *
      FROM unnest(%(pools)s::int[], %(names)s::varchar[],
                  %(partners)s::int[], %(subjects)s::varchar[],
                  %(bodies)s::text[], %(message_ids)s::varchar[],
                  %(by_email)s::bool[])
           AS v(pool_id, record_name, partner_id, subject, body, message_id,
                by_email)
), msg AS (
    INSERT INTO mail_message (
        date, model, res_id, record_name, subject, body, message_type,
        subtype_id, author_id, email_from, reply_to, message_id,
        no_auto_thread, create_uid, write_uid, create_date, write_date)
    SELECT %(now)s, 'crm.pool', v.pool_id, v.record_name, v.subject, v.body,
           'notification', %(subtype)s, %(author)s, %(email_from)s,
           %(email_from)s, v.message_id, FALSE, %(uid)s, %(uid)s, %(now)s,
           %(now)s
      FROM v
    RETURNING id, message_id
), m AS (
    SELECT msg.id, v.partner_id, v.body, v.message_id, v.by_email
      FROM msg JOIN v ON v.message_id = msg.message_id
), recipients AS (
    INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
    SELECT m.id, m.partner_id FROM m
), needaction AS (
    INSERT INTO mail_message_res_partner_needaction_rel (
        mail_message_id, res_partner_id, is_read, is_email, email_status)
    SELECT m.id, m.partner_id, m.by_email, m.by_email,
           CASE WHEN m.by_email THEN 'ready' END
      FROM m
), mails AS (
    INSERT INTO mail_mail (
        mail_message_id, body_html, "references", notification, state,
        auto_delete, create_uid, write_uid, create_date, write_date)
    SELECT m.id, m.body, m.message_id, TRUE, 'outgoing', TRUE, %(uid)s,
           %(uid)s, %(now)s, %(now)s
      FROM m WHERE m.by_email
    RETURNING id, mail_message_id
)
INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
SELECT mails.id, m.partner_id FROM mails JOIN m ON m.id = mails.mail_message_id
"""


def post_summaries(cr, messages, now, uid, author, email_from, subtype):
    """Insert the owners' messages in one statement; ``messages``: a list of
    dicts with pool_id, record_name, partner_id, subject, body, message_id
    and by_email."""
    if not messages:
        return

    def column(key):
        return [message[key] for message in messages]

    cr.execute(POST_SQL, {
        'pools': column('pool_id'), 'names': column('record_name'),
        'partners': column('partner_id'), 'subjects': column('subject'),
        'bodies': column('body'), 'message_ids': column('message_id'),
        'by_email': column('by_email'), 'now': now, 'uid': uid,
        'author': author, 'email_from': email_from, 'subtype': subtype,
    })
