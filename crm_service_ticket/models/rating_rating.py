# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

TICKET = 'crm.service.ticket'


class RatingRating(models.Model):
    _inherit = 'rating.rating'

    ticket_reader_id = fields.Many2one(
        comodel_name='res.users',
        string='Ticket Readable By',
        compute='_compute_ticket_reader_id',
        search='_search_ticket_reader_id',
        help="Technical: search the ratings of the service tickets this user "
             "may read (used by the portal record rule).",
    )

    @api.multi
    def _compute_ticket_reader_id(self):
        for rating in self:
            rating.ticket_reader_id = False

    @api.model
    def _search_ticket_reader_id(self, operator, value):
        """Ratings of the tickets user ``value`` may read (his record rules).

        Record rules are evaluated as superuser: the tickets are searched as
        the user whose id the rule passes (``user.id``).
        """
        if operator != '=' or not isinstance(value, int):
            return [('id', '=', 0)]
        Ticket = self.env[TICKET].sudo(value).with_context(active_test=False)
        if not Ticket.check_access_rights('read', raise_exception=False):
            return [('id', '=', 0)]
        # A subquery with the user's ticket rules, not a list of ids: a
        # customer company may have many tickets.
        query = Ticket._where_calc([])
        Ticket._apply_ir_rules(query, 'read')
        from_clause, where_clause, params = query.get_sql()
        subquery = 'SELECT "%s".id FROM %s WHERE %s' % (
            Ticket._table, from_clause, where_clause or 'TRUE')
        # Explicit '&': Odoo 11 inserts a search method's domain as is.
        return ['&', ('res_model', '=', TICKET),
                ('res_id', 'inselect', (subquery, params))]

    @api.model
    def _check_ticket_rating_values(self, values):
        """Portal and public users rate a ticket by the token of the rating
        request only (the rating controller works as superuser): they may
        not create a ticket rating nor move a rating onto a ticket."""
        if self.env.uid == SUPERUSER_ID or not self.env.user.share:
            return
        # sudo: resolves a model id to its name, no user data.
        model = self.env['ir.model'].sudo().browse(
            values.get('res_model_id')).model if values.get('res_model_id') \
            else values.get('res_model')
        if model == TICKET:
            raise AccessError(_("Service tickets are rated through the link "
                                "of the rating request only."))

    @api.model
    def create(self, values):
        self._check_ticket_rating_values(values)
        return super(RatingRating, self).create(values)

    @api.multi
    def write(self, values):
        self._check_ticket_rating_values(values)
        return super(RatingRating, self).write(values)
