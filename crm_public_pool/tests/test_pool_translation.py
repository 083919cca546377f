"""A Chinese reader's notification keeps its subject: template expressions
are never taken from a translation (Odoo 11's zh_CN catalogue translates
the words of its notification subject's expression)."""
from odoo.tests.common import SavepointCase

# the subject as Odoo 11's mail/i18n/zh_CN.po ships it
BROKEN = ("${object.subject 或 (object.record_name and 'Re: %s' % "
          "object.record_name) 或 (object.parent_id and "
          "object.parent_id.subject 和 'Re: %s' % object.parent_id.subject) "
          "或 (object.parent_id 与 object.parent_id.record_name 以及 'Re: %s' "
          "% object.parent_id.record_name)}")


class TestPoolTranslation(SavepointCase):

    at_install = False
    post_install = True

    def test_notification_subject_of_a_chinese_reader(self):
        self.env['res.lang'].load_lang('zh_CN')
        template = self.env.ref(
            'mail.mail_template_data_notification_email_default')
        source = template.with_context(lang='en_US').subject
        # the catalogue's row, as loading mail's zh_CN.po writes it
        Translation = self.env['ir.translation']
        Translation.search([('name', '=', 'mail.template,subject'),
                            ('res_id', '=', template.id),
                            ('lang', '=', 'zh_CN')]).unlink()
        Translation.create({
            'name': 'mail.template,subject', 'type': 'model', 'lang': 'zh_CN',
            'res_id': template.id, 'module': 'mail', 'state': 'translated',
            'src': source, 'value': BROKEN})
        lead = self.env['crm.lead'].create({'name': '上海华信 询价'})
        message = lead.message_post(body='请跟进', message_type='comment',
                                    subtype='mail.mt_comment')

        def subject():
            template.invalidate_cache()
            return template.with_context(lang='zh_CN').generate_email(
                message.id, fields=['subject'])['subject']
        self.assertFalse(subject())  # what the catalogue does on its own
        # loading any module's terms (an install, an update, a language
        # added) puts the expression back
        Translation.load_module_terms(['crm_public_pool'], ['zh_CN'])
        template.invalidate_cache()
        self.assertEqual(template.with_context(lang='zh_CN').subject, source)
        self.assertEqual(subject(), 'Re: 上海华信 询价')
