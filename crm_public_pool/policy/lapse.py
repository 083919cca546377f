"""Lapsed customers (流失客户回访): customers of a pool with ``lapse_days``
and no won deal nor real follow-up for that many days get one 回访 activity
per lapse. One statement per batch of ids (no ``odoo`` import)."""

# The last contact of customer ``r``: its creation, its last real follow-up,
# its last unflagged follow-up record (``f``) and its last won deal (``w``),
# both grouped over the batch's id range.
LAST_CONTACT_SQL = """GREATEST(r.create_date, r.pool_date_followup,
                               f.last, w.last)"""

_LAPSE_SQL = """
WITH scope AS (
    SELECT r.id, COALESCE(r.display_name, r.name) AS res_name,
           COALESCE(p.revisit_user_id, r.user_id) AS revisit_uid,
           r.pool_lapse_date, r.pool_lapsed,
           {last_contact} AS last_contact,
           %(now)s::timestamp - p.lapse_days * INTERVAL '1 day' AS cutoff
      FROM res_partner r
      JOIN crm_pool p ON p.id = r.pool_id
      LEFT JOIN (SELECT partner_id, max(date) AS last FROM crm_followup
                  WHERE partner_id > %(after)s AND partner_id <= %(upto)s
                    AND review_state != 'flagged'
                  GROUP BY partner_id) f ON f.partner_id = r.id
      LEFT JOIN (SELECT partner_id,
                        max(COALESCE(date_closed, write_date)) AS last
                   FROM crm_lead
                  WHERE partner_id > %(after)s AND partner_id <= %(upto)s
                    AND active AND probability >= 100
                  GROUP BY partner_id) w ON w.partner_id = r.id
     WHERE p.lapse_days > 0 AND p.active AND r.active
       AND r.pool_state != 'invalid'
       AND r.id > %(after)s AND r.id <= %(upto)s
), lapsed AS (
    UPDATE res_partner t
       SET pool_lapsed = TRUE, pool_lapse_date = s.last_contact
      FROM scope s
     WHERE t.id = s.id AND s.revisit_uid IS NOT NULL
       AND s.last_contact <= s.cutoff
       AND (s.pool_lapse_date IS NULL OR s.last_contact > s.pool_lapse_date)
 RETURNING t.id, s.revisit_uid, s.res_name
), contacted AS (
    UPDATE res_partner t
       SET pool_lapsed = FALSE
      FROM scope s
     WHERE t.id = s.id AND s.pool_lapsed AND s.last_contact > s.cutoff
), activities AS (
    INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
                               activity_type_id, summary, date_deadline,
                               user_id, create_uid, create_date, write_uid,
                               write_date)
    SELECT %(res_model_id)s, 'res.partner', lapsed.id, lapsed.res_name,
           %(activity_type_id)s,
           -- the summary in the language of whom the visit falls to
           COALESCE(%(summaries)s::jsonb ->> up.lang, %(summary)s),
           %(today)s, lapsed.revisit_uid,
           %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM lapsed
      JOIN res_users u ON u.id = lapsed.revisit_uid
      JOIN res_partner up ON up.id = u.partner_id
)
SELECT count(*) FROM lapsed
"""


def id_batches(min_id, max_id, size):
    """(after, upto] id ranges covering ``min_id``..``max_id``."""
    if min_id is None:
        return []
    return [(start, min(start + size, max_id))
            for start in range(min_id - 1, max_id, size)]


def lapse_batch(cr, after, upto, params):
    """Schedule the 回访 activities of the customers with ids in (after,
    upto]; ``params``: now, today, uid, res_model_id, activity_type_id,
    summaries (JSON: {language code: summary}) and summary (for any other
    language). Returns how many customers lapsed."""
    cr.execute(_LAPSE_SQL.format(last_contact=LAST_CONTACT_SQL),
               dict(params, after=after, upto=upto))
    return cr.fetchone()[0]
