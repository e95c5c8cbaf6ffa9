"""Date parsing: lenient ISO 8601, visible calendar dates and relative phrases.

Absolute visible dates are understood in English, German, French and Spanish
("Aug 11, 2023", "2. Okt. 2022", "11 août 2023", "3 de marzo de 2021", "2023-08-11",
"4.02.2022"). Relative phrases ("3 days ago", "vor 3 Tagen", "il y a 3 jours",
"hace 3 días", "yesterday", "gestern", "hier", "ayer", "just now") are resolved
against the fetch time.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

__all__ = [
    "is_date_line",
    "is_naive_iso",
    "midnight_utc",
    "parse_iso",
    "parse_relative",
    "parse_visible_date",
]

_ISO = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$"
)
_COMPACT = re.compile(
    r"^\s*(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?\s*(Z|[+-]\d{4})?\s*$"
)


def midnight_utc(day: date) -> datetime:
    """The start of ``day`` in UTC: how a date shown without a time is stored."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _tz(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) >= 4 else 0
    if hours > 23 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_iso(value: object) -> tuple[datetime, bool] | None:
    """Parse an ISO-8601-like timestamp. Returns ``(datetime, has_time)`` or None.

    Accepts ``+0100``/``+01`` offsets, ``Z``, fractions, a space separator, date-only
    values and epoch milliseconds (ints). Naive times are taken as UTC; date-only
    values become midnight UTC.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC), True
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or len(value) > 64:
        return None
    match = _ISO.match(value) or _COMPACT.match(value)
    if match is None:
        return None
    groups = match.groups()
    year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
    has_time = groups[3] is not None
    hour = int(groups[3]) if has_time else 0
    minute = int(groups[4]) if has_time and groups[4] else 0
    second = int(groups[5]) if groups[5] else 0
    micro = 0
    if match.re is _ISO and groups[6]:
        micro = int(groups[6][:6].ljust(6, "0"))
    tz_text = groups[7] if match.re is _ISO else groups[6]
    tzinfo = _tz(tz_text) or UTC
    try:
        return datetime(year, month, day, hour, minute, second, micro, tzinfo=tzinfo), has_time
    except ValueError:
        return None


def is_naive_iso(value: object) -> bool:
    """Whether ``value`` is an ISO-like timestamp with a time of day but no UTC offset."""
    if not isinstance(value, str) or len(value) > 64:
        return False
    match = _ISO.match(value)
    if match is not None:
        return match.group(4) is not None and match.group(8) is None
    match = _COMPACT.match(value)
    return match is not None and match.group(4) is not None and match.group(7) is None


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        # English, German, French, Spanish; Italian, Portuguese, Dutch; the genitive forms
        # Russian, Ukrainian and Polish write a date with ("15 августа 2016"); Romanian,
        # Czech (genitive), Swedish, Danish and Norwegian, Finnish (partitive), Turkish,
        # Catalan and Greek (genitive)
        "january jan jänner januar janvier enero ene janv gennaio janeiro januari января "
        "січня stycznia ianuarie ledna tammikuuta ocak gener ιανουαρίου",
        "february feb februar février fevrier febrero févr fevr febbraio fevereiro februari "
        "февраля лютого lutego februarie února helmikuuta şubat subat febrer φεβρουαρίου",
        "march mar märz maerz mars marzo mrz março marco maart марта березня marca martie "
        "března maaliskuuta mart març μαρτίου",
        "april apr avril abril avr abr aprile апреля квітня kwietnia aprilie dubna "
        "huhtikuuta nisan απριλίου",
        "may mai mayo maggio maio mei мая травня maja maj května toukokuuta mayıs mayis maig μαΐου",
        "june jun juni juin junio giugno junho июня червня czerwca iunie června kesäkuuta "
        "haziran juny ιουνίου",
        "july jul juli juillet julio juil luglio julho июля липня lipca iulie července "
        "heinäkuuta temmuz juliol ιουλίου",
        "august aug août aout agosto ago augustus августа серпня sierpnia srpna augusti "
        "elokuuta ağustos agustos agost αυγούστου",
        "september sep sept septembre septiembre set settembre setembro сентября вересня września "
        "septembrie září syyskuuta eylül eylul setembre σεπτεμβρίου",
        "october oct okt oktober octobre octubre ottobre outubro октября жовтня października "
        "octombrie října lokakuuta ekim οκτωβρίου",
        "november nov novembre noviembre novembro ноября листопада listopada noiembrie "
        "listopadu marraskuuta kasım kasim νοεμβρίου",
        "december dec dez dezember décembre decembre diciembre dic déc dicembre dezembro "
        "декабря грудня grudnia decembrie prosince desember joulukuuta aralık aralik desembre "
        "δεκεμβρίου",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+)?({_MONTH_RE})\.?,?\s*(?:de\s+)?(\d{{4}})\b",
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
_MONTH_DAY = re.compile(rf"^\s*({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*$", re.I)
_YMD = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_DIGIT = re.compile(r"\d")
_DMY = re.compile(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b")
# "30.10.23": a two-digit year with dots only (the European short form; "10/30/23" could be
# either order) and not part of a longer dotted number ("1.2.23.4", a version).
_DMY_SHORT = re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?![\w]|\.\d)")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_visible_date(
    text: str, language: str | None = None, fetched_at: datetime | None = None
) -> date | None:
    """A calendar date written out in ``text`` (first match), or None."""
    if not text or len(text) > 300:
        text = text[:300] if text else ""
        if not text:
            return None
    if _DIGIT.search(text) is None:
        return None  # (every form below has digits, and NFC neither makes nor drops one)
    folded = unicodedata.normalize("NFC", text)
    if m := _YMD.search(folded):
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _DAY_MONTH_YEAR.search(folded):
        month = _MONTHS.get(m.group(2).lower().rstrip("."))
        if month:
            return _safe_date(int(m.group(3)), month, int(m.group(1)))
    if m := _MONTH_DAY_YEAR.search(folded):
        month = _MONTHS.get(m.group(1).lower().rstrip("."))
        if month:
            return _safe_date(int(m.group(3)), month, int(m.group(2)))
    if m := _DMY.search(folded):
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        us = (language or "").lower() in ("en-us", "en_us") or (
            m.group(2) == "/" and (language or "en").lower().startswith("en") and second > 12
        )
        if us and first <= 12:
            return _safe_date(year, first, second)
        return _safe_date(year, second, first)
    if m := _DMY_SHORT.search(folded):
        year = int(m.group(3))  # (the POSIX pivot: 69-99 are 1969-1999)
        return _safe_date(year + (1900 if year >= 69 else 2000), int(m.group(2)), int(m.group(1)))
    if fetched_at is not None and (m := _MONTH_DAY.match(folded)):
        month = _MONTHS.get(m.group(1).lower().rstrip("."))
        if month:
            found = _safe_date(fetched_at.year, month, int(m.group(2)))
            if found is not None and found > fetched_at.date():
                found = _safe_date(fetched_at.year - 1, month, int(m.group(2)))
            return found
    return None


_UNITS: dict[str, timedelta] = {}
for _delta, _words in (
    (
        timedelta(seconds=1),
        "second seconds sec secs s sekunde sekunden seconde secondes segundo segundos secondi "
        "seconden",
    ),
    (timedelta(minutes=1), "minute minutes min mins m minuten minuto minutos minuti minuut"),
    (
        timedelta(hours=1),
        "hour hours hr hrs h stunde stunden heure heures hora horas ora ore uur uren",
    ),
    (
        timedelta(days=1),
        "day days d tag tagen tage jour jours día días dia dias giorno giorni dag dagen",
    ),
    (
        timedelta(weeks=1),
        "week weeks w wk wks woche wochen semaine semaines semana semanas settimana settimane "
        "weken",
    ),
    (
        timedelta(days=30),
        "month months mo monat monaten monate mois mes meses mese mesi mês maand maanden",
    ),
    (
        timedelta(days=365),
        "year years y yr yrs jahr jahren jahre an ans année années año años anno anni ano anos "
        "jaar jaren",
    ),
):
    for _word in _words.split():
        _UNITS[_word] = _delta

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "einem": 1, "einer": 1, "ein": 1, "un": 1, "une": 1, "una": 1,
    "uno": 1, "two": 2, "zwei": 2, "deux": 2, "dos": 2, "three": 3, "drei": 3, "trois": 3,
    "tres": 3, "few": 3, "several": 3, "due": 2, "tre": 3, "um": 1, "uma": 1, "dois": 2,
    "duas": 2, "três": 3, "een": 1, "twee": 2, "drie": 3,
}  # fmt: skip
# Bounded word lengths keep these linear on long runs of letters (number words and units
# are short in every language we read).
_NUM = r"(\d{1,4}|[a-zäöüéíñê]{1,12})"
_UNIT = r"([a-zäöüéíñê]{1,12})\.?"
_RELATIVE = (
    re.compile(rf"\b{_NUM}\s*{_UNIT}\s+ago\b", re.I),
    re.compile(rf"\bvor\s+{_NUM}\s+{_UNIT}", re.I),
    re.compile(rf"\bil\s+y\s+a\s+{_NUM}\s+{_UNIT}", re.I),
    re.compile(rf"\bhace\s+{_NUM}\s+{_UNIT}", re.I),
    re.compile(rf"\b{_NUM}(?:\s+|['’]){_UNIT}\s+fa\b", re.I),  # Italian ("un'ora fa")
    re.compile(rf"\bh[aá]\s+{_NUM}\s+{_UNIT}", re.I),  # Portuguese
    re.compile(rf"\b{_NUM}\s+{_UNIT}\s+geleden\b", re.I),  # Dutch
)
_DAY_WORDS = (
    (re.compile(r"\b(?:just now|right now|moments? ago|gerade eben|soeben|à l'instant|"
                r"a l'instant|justo ahora|ahora mismo|poco fa|agora mesmo|zojuist)\b", re.I), 0),
    (re.compile(r"\b(?:today|heute|aujourd'hui|aujourd’hui|hoy|oggi|hoje|vandaag)\b", re.I), 0),
    (re.compile(r"\b(?:vorgestern|avant-hier|anteayer|l'altro ieri|anteontem|eergisteren)\b",
                re.I), 2),
    (re.compile(r"\b(?:yesterday|gestern|hier|ayer|ieri|ontem|gisteren)\b", re.I), 1),
)  # fmt: skip


# A date line's label ("Last updated on", "Published:", "Veröffentlicht am", "Publié le").
_DATE_LINE_LABEL = re.compile(
    r"^(?:(?:last\s+)?(?:updated|modified|reviewed)|published|posted|date"
    r"|(?:zuletzt\s+)?aktualisiert|veröffentlicht|publié|mis à jour|publicado|actualizado)"
    r"(?:\s+(?:on|am|le|el))?\s*[:|–-]?\s*",
    re.I,
)
# Words a date line may hold beside the month: a weekday, a time, an ordinal's suffix.
_DATE_LINE_WORDS = frozenset(
    ("monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
     "montag dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi "
     "vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo "
     "at am pm a p m um uhr h à las de del le st nd rd th er utc gmt et est edt cet cest bst "
     "pst pdt cst cdt mst mdt akst hst jst kst aest aedt ist").split()
)  # fmt: skip
_LETTERS = re.compile(r"[^\W\d_]+")


def is_date_line(text: str) -> bool:
    """Whether ``text`` is a date line and nothing more: "December 18, 2025", "15 Dec,
    2025", "Last updated on September 16th, 2023 at 09:27 am", "Published: Feb 6, 2024",
    or such a label alone ("Published:", "Posted On")."""
    text = text.strip(" \t\n|·•-–—")
    if not text or len(text) > 70:
        return False
    rest = _DATE_LINE_LABEL.sub("", text, count=1)
    if not rest.strip(" :|"):
        return rest != text
    if parse_visible_date(rest) is None:
        return False
    return all(
        word in _MONTHS or word in _DATE_LINE_WORDS
        for word in (w.casefold().rstrip(".") for w in _LETTERS.findall(rest))
    )


def parse_relative(text: str, fetched_at: datetime | None) -> datetime | None:
    """Resolve a relative date phrase against ``fetched_at``; None if none or no anchor."""
    if fetched_at is None or not text:
        return None
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    text = text[:200]
    for pattern in _RELATIVE:
        m = pattern.search(text)
        if m is None:
            continue
        raw_number, raw_unit = m.group(1).lower(), m.group(2).lower()
        number = int(raw_number) if raw_number.isdigit() else _NUMBER_WORDS.get(raw_number)
        unit = _UNITS.get(raw_unit) or _UNITS.get(raw_unit.rstrip("s"))
        if number is None or unit is None or number > 5000:
            continue
        try:
            return fetched_at - unit * number
        except OverflowError:
            return None
    for pattern, days in _DAY_WORDS:
        if pattern.search(text):
            return fetched_at - timedelta(days=days)
    return None
