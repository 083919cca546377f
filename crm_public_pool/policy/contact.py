"""Contact data normalisation (duplicate check) and masking (no ORM)."""
import re

_NON_DIGITS = re.compile(r'\D+')
_CJK_SUFFIXES = ('股份有限公司', '有限责任公司', '有限公司', '集团', '公司')
_LATIN_SUFFIXES = {'co', 'ltd', 'limited', 'inc', 'corp', 'corporation',
                   'company', 'llc', 'gmbh', 'plc'}
_PUNCT = re.compile(r'[\s\.,;:()（）、，。\-_/&\'"]+')


def normalize_phone(value):
    """Digits only, without the Chinese country prefix (+86, 0086, 86 on
    13-digit mobile numbers). Returns '' for empty / digit-less input."""
    if not value:
        return ''
    digits = _NON_DIGITS.sub('', value)
    if digits.startswith('0086'):
        digits = digits[4:]
    elif digits.startswith('86') and len(digits) == 13 and value.strip()[:1] in '+8':
        digits = digits[2:]
    return digits


def normalize_email(value):
    """Lower-case, trimmed address; ``'Name <a@b>'`` reduced to ``a@b``."""
    if not value:
        return ''
    value = value.strip()
    match = re.search(r'<([^>]+)>', value)
    if match:
        value = match.group(1)
    return value.strip().lower()


def normalize_company(value):
    """Case-folded company name without punctuation, spaces or legal suffix
    (有限公司, Co., Ltd., Inc. ...)."""
    if not value:
        return ''
    words = _PUNCT.sub(' ', value.strip().lower()).split()
    while len(words) > 1 and words[-1] in _LATIN_SUFFIXES:
        words.pop()
    name = ''.join(words)
    changed = True
    while changed:
        changed = False
        for suffix in _CJK_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[:-len(suffix)]
                changed = True
    return name


def mask_phone(value):
    """``13812345678`` -> ``138****5678``; short numbers keep their last 2."""
    if not value:
        return value
    digits = normalize_phone(value)
    if len(digits) >= 7:
        return digits[:3] + '****' + digits[-4:]
    if len(digits) > 2:
        return '*' * (len(digits) - 2) + digits[-2:]
    return '*' * len(digits)


def mask_email(value):
    """``alice@example.com`` -> ``a***@example.com``."""
    if not value:
        return value
    if '@' not in value:
        return value[:1] + '***'
    local, domain = value.strip().rsplit('@', 1)
    return '%s***@%s' % (local[:1], domain)


EXACT_OPERATORS = ('=', '!=', '=like', '=ilike')


def is_exact_condition(operator, value):
    """Whether a search condition asks about one exact value only.

    ``phone = '13812345678'`` tells whether that number exists, as the
    duplicate check does; a pattern (``ilike``, ``%``/``_`` wildcards), a
    range or a list of candidates tells more about a hidden value.
    """
    if operator not in EXACT_OPERATORS:
        return False
    if value is False or value is None:
        return True
    if not isinstance(value, str):
        return False
    if operator in ('=like', '=ilike') and ('%' in value or '_' in value):
        return False
    return True


def escape_like(value):
    """``value`` as a LIKE pattern matching only itself (PostgreSQL's
    default escape character is the backslash)."""
    return value.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


# An email address, or a run of 7 to 15 digits that may be split by spaces,
# dots, dashes or brackets and start with '+': what a phone number looks like
# in free text (a signature, a note, an email quoted in the chatter).
_EMAIL_IN_TEXT = re.compile(r'[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+', re.UNICODE)
# (a date such as 2026-12-02 is not a phone number)
_PHONE_IN_TEXT = re.compile(
    r'(?<![\w#])(?!\d{4}[\-/.]\d{1,2}[\-/.]\d{1,2})'
    r'\+?\d(?:[\s.\-()]{0,2}\d){6,14}(?!\w)')


def _mask_phone_match(match):
    return mask_phone(match.group(0))


def mask_text(value):
    """Free text (plain or HTML) with every email address and phone number
    in it masked like the contact fields: what a chatter message of a masked
    record shows to a salesperson who may not see its contact data."""
    if not value or not isinstance(value, str):
        return value
    value = _EMAIL_IN_TEXT.sub(
        lambda match: mask_email(normalize_email(match.group(0))), value)
    return _PHONE_IN_TEXT.sub(_mask_phone_match, value)


def is_placeholder(value):
    """Whether ``value`` looks like a masked value (``138****5678``,
    ``a***@example.com``): it must never be stored as real contact data."""
    return isinstance(value, str) and '***' in value
