"""The suite's notes in one statement (SQL only).

For every record: one note, with the tracking value of the owner when
``field`` is given (a claim or an assignment), the new owner's follower row
with its default subtypes when ``follow`` (and not yet a follower), and
whether someone besides the actor follows the record's notes (their
notification pass is then run by the ORM). A duplicate warning is the same
note without tracking or follower.
"""

NOTES_SQL = """
WITH msg AS (
    INSERT INTO mail_message (
        date, model, res_id, record_name, body, message_type, subtype_id,
        author_id, email_from, message_id, reply_to, no_auto_thread,
        create_uid, write_uid, create_date, write_date)
    SELECT %(now)s, %(model)s, v.id, v.name, %(body)s, 'notification',
           %(subtype)s, %(author)s, %(email_from)s, v.message_id, v.reply_to,
           FALSE, %(root)s, %(root)s, now() at time zone 'UTC',
           now() at time zone 'UTC'
      FROM unnest(%(ids)s::int[], %(names)s::varchar[],
                  %(message_ids)s::varchar[], %(reply_to)s::varchar[])
           AS v(id, name, message_id, reply_to)
    RETURNING id, res_id
), tracked AS (
    INSERT INTO mail_tracking_value (
        field, field_desc, field_type, old_value_integer, new_value_integer,
        old_value_char, new_value_char, mail_message_id, create_uid,
        write_uid, create_date, write_date)
    SELECT %(field)s, %(field_desc)s, 'many2one', v.old_id, %(new_id)s,
           v.old_name, %(new_name)s, msg.id, %(root)s, %(root)s,
           now() at time zone 'UTC', now() at time zone 'UTC'
      FROM msg
      JOIN unnest(%(ids)s::int[], %(old_ids)s::int[], %(old_names)s::varchar[])
           AS v(id, old_id, old_name) ON v.id = msg.res_id
     WHERE %(field)s IS NOT NULL
), followed AS (
    INSERT INTO mail_followers (res_model, res_id, partner_id)
    SELECT %(model)s, v.id, %(partner)s
      FROM unnest(%(ids)s::int[]) AS v(id)
     WHERE %(follow)s
       AND NOT EXISTS (SELECT 1 FROM mail_followers f
                        WHERE f.res_model = %(model)s AND f.res_id = v.id
                          AND f.partner_id = %(partner)s)
        ON CONFLICT DO NOTHING
    RETURNING id, res_id
), subscribed AS (
    INSERT INTO mail_followers_mail_message_subtype_rel (
        mail_followers_id, mail_message_subtype_id)
    SELECT followed.id, s.id
      FROM followed, unnest(%(subtypes)s::int[]) AS s(id)
)
SELECT msg.id,
       EXISTS (SELECT 1 FROM mail_followers f
                 JOIN mail_followers_mail_message_subtype_rel r
                   ON r.mail_followers_id = f.id
                WHERE f.res_model = %(model)s AND f.res_id = msg.res_id
                  AND r.mail_message_subtype_id = %(subtype)s
                  AND f.partner_id IS DISTINCT FROM %(actor_partner)s)
       OR (%(note_new)s AND %(partner)s <> %(actor_partner)s
           AND EXISTS (SELECT 1 FROM followed
                        WHERE followed.res_id = msg.res_id))
  FROM msg
 ORDER BY msg.res_id
"""
