"""The password policy (OWASP ASVS 5.0 §6.2): one check for every place a password is chosen.

A password is refused when it is:

- shorter than :data:`MIN_LENGTH` or longer than :data:`MAX_LENGTH` characters;
- one of the most common passwords (``data/common-passwords.txt``: English and French lists,
  see the file's header for sources and licences), compared after folding case and accents,
  removing separators, undoing "leet" substitutions (``p@ssw0rd``) and a predictable prefix or
  suffix (``password1234``, ``Soleil2024!``, ``1234motdepasse``);
- a run or a repetition (``aaaaaaaaaaaa``, ``123456789012``, ``azertyuiopqs``,
  ``jetaimejetaime``);
- built from the context: the username, the person's names, the clinic's name or "Relais"
  (``relais2026``, ``msp-des-tilleuls``, ``dr.durand1234``);
- guessed in fewer than a million tries according to zxcvbn (score 0 or 1).

There is no composition rule (no "one digit, one capital, one symbol"): ASVS §6.2.5. Any
character is allowed and the password is used exactly as typed (§6.2.8); the folding above is
only for the comparison.

The same module rates a password for the strength bar shown while typing (:func:`assess`):
zxcvbn's score with short French feedback. zxcvbn and the list load on first use only, so
start-up does not pay for them. No Qt, no SQLAlchemy: views call it directly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from unidecode import unidecode

from app.i18n import N_, _, ngettext
from app.services.kernel.validation import unencodable_error

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's matching grows quickly with the length; a longer password is rated on its start
# (which is already long enough to be out of reach of any guessing).
ZXCVBN_MAX_LENGTH = 64
MIN_SCORE = 2  # zxcvbn: 0 and 1 are guessed in fewer than 10^6 tries
DATA_PACKAGE = "app.services.security"
LIST_PATH = "data/common-passwords.txt"

# The messages are French, marked with N_ and translated where returned (``_``); the French
# constants stay for comparisons.
TOO_SHORT_TEXT = N_("Le mot de passe doit comporter au moins {least} caractères.")
TOO_LONG_TEXT = N_("Le mot de passe est trop long ({most} caractères au plus).")
TOO_SHORT = TOO_SHORT_TEXT.format(least=MIN_LENGTH)
TOO_LONG = TOO_LONG_TEXT.format(most=MAX_LENGTH)
HAS_USERNAME = N_("Le mot de passe ne doit pas contenir l'identifiant.")
COMMON = N_(
    "Ce mot de passe fait partie des plus courants : choisissez-en un autre (une phrase de "
    "plusieurs mots, par exemple)."
)
SEQUENCE = N_(
    "Ce mot de passe est une suite ou une répétition de caractères (« aaaa », « 1234 », "
    "« azerty »…) : choisissez-en un autre (une phrase de plusieurs mots, par exemple)."
)
CONTEXT = N_(
    "Ce mot de passe reprend l'identifiant, le nom de la personne, le nom de la maison de "
    "santé ou « Relais » : il serait vite deviné. Choisissez-en un autre."
)
GUESSABLE = N_("Ce mot de passe serait deviné trop vite. {hint}")

SCORE_LABELS = (N_("Très faible"), N_("Faible"), N_("Moyen"), N_("Bon"), N_("Très bon"))
REFUSED_LABEL = N_("Refusé")

_SEPARATORS = re.compile(r"[^0-9a-z]+")
_LETTERS = re.compile(r"[^a-z]+")
# A password's core runs from its first letter to its last one; what is around is an affix.
_SPLIT = re.compile(r"^([^a-z]*)(.*?)([^a-z]*)$", re.DOTALL)
# "Leet" substitutions inside a word. "1" reads as i or l: both are tried.
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "7": "t"})
_LEET_I = str.maketrans({"1": "i", "!": "i", "|": "i"})
_LEET_L = str.maketrans({"1": "l", "!": "i", "|": "l"})
# Symbols that stand for a letter even at the start or the end (``@zerty123``).
_EDGE_LEET = str.maketrans({"@": "a", "$": "s"})
_KEYBOARD_ROWS = (
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1234567890",
)
_KEY_POSITION: dict[str, list[tuple[int, int]]] = {}
for _row, _keys in enumerate(_KEYBOARD_ROWS):
    for _col, _key in enumerate(_keys):
        _KEY_POSITION.setdefault(_key, []).append((_row, _col))


@dataclass(frozen=True)
class PasswordContext:
    """What a password must not be built from: the account and the clinic."""

    username: str = ""
    first_name: str = ""
    last_name: str = ""
    clinic_name: str = ""

    def words(self) -> tuple[str, ...]:
        """Context words, folded and compacted, longest first ("relais" always included)."""
        words = {"relais"}
        names = (self.username, self.first_name, self.last_name, self.clinic_name)
        for text in names:
            folded = _fold(text)
            compact = _SEPARATORS.sub("", folded)
            if len(compact) >= 3:
                words.add(compact)
            words.update(t for t in _SEPARATORS.split(folded) if len(t) >= 4)
        person = _SEPARATORS.sub("", _fold(self.first_name + self.last_name))
        if len(person) >= 3:
            words.add(person)
            words.add(_SEPARATORS.sub("", _fold(self.last_name + self.first_name)))
        return tuple(sorted(words, key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class PasswordAssessment:
    """A password's rating for the strength bar; ``problem`` is why it is refused (or None)."""

    score: int  # 0–4, 0 when refused
    label: str
    hint: str
    problem: str | None

    @property
    def acceptable(self) -> bool:
        return self.problem is None


# ---- the list -----------------------------------------------------------------------------
def _fold(text: str) -> str:
    return unidecode(unicodedata.normalize("NFC", text)).lower()


def normalise_entry(entry: str) -> str:
    """How list entries are stored and compared: folded, letters and digits only."""
    return _SEPARATORS.sub("", _fold(entry))


def read_list(text: str) -> list[str]:
    """The entries of a list file, in order (comments and blank lines skipped)."""
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return entries


@cache
def _ranked_list() -> tuple[str, ...]:
    text = resources.files(DATA_PACKAGE).joinpath(LIST_PATH).read_text(encoding="utf-8")
    return tuple(read_list(text))


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (loaded once, on first use)."""
    return frozenset(_ranked_list())


# ---- runs and repetitions -----------------------------------------------------------------
def _keyboard_step(a: str, b: str) -> tuple[int, int] | None:
    for row_a, col_a in _KEY_POSITION.get(a, ()):
        for row_b, col_b in _KEY_POSITION.get(b, ()):
            if row_a == row_b and abs(col_a - col_b) == 1:
                return (row_a, col_b - col_a)
    return None


def _run_length(text: str, start: int) -> int:
    """Length of the longest run starting at ``start``: same character, alphabet or digit
    order (up or down), or neighbour keys along a keyboard row."""
    best = 1
    if start + 1 >= len(text):
        return best
    delta = ord(text[start + 1]) - ord(text[start])
    if abs(delta) <= 1:
        end = start + 1
        while end + 1 < len(text) and ord(text[end + 1]) - ord(text[end]) == delta:
            end += 1
        best = max(best, end - start + 1)
    step = _keyboard_step(text[start], text[start + 1])
    if step is not None:
        end = start + 1
        while end + 1 < len(text) and _keyboard_step(text[end], text[end + 1]) == step:
            end += 1
        best = max(best, end - start + 1)
    return best


def _run_count(text: str) -> int:
    count, index = 0, 0
    while index < len(text):
        index += _run_length(text, index)
        count += 1
    return count


def _repeated_unit(text: str) -> str | None:
    """The shortest unit that ``text`` repeats (``abcabcab`` -> ``abc``), or None."""
    for size in range(1, len(text) // 2 + 1):
        unit = text[:size]
        if (unit * (len(text) // size + 1))[: len(text)] == text:
            return unit
    return None


def _is_sequence(text: str) -> bool:
    """Runs and repetitions: a few runs of four characters or more on average."""
    if len(text) < 4:
        return False
    unit = _repeated_unit(text)
    if unit is not None and (len(unit) <= 4 or _run_count(unit) * 4 <= len(unit)):
        return True
    return _run_count(text) * 4 <= len(text)


# ---- predictable affixes -----------------------------------------------------------------
def _is_date(digits: str) -> bool:
    formats = {6: ((0, 2, 2, 4, 4, 6),), 8: ((0, 2, 2, 4, 4, 8), (6, 8, 4, 6, 0, 4))}
    for d0, d1, m0, m1, y0, y1 in formats.get(len(digits), ()):
        day, month, year = int(digits[d0:d1]), int(digits[m0:m1]), int(digits[y0:y1])
        if len(digits) == 6:
            year += 1900
        try:
            date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def _predictable_digits(digits: str) -> bool:
    if len(digits) <= 4 or digits in common_passwords() or _is_date(digits):
        return True
    if _is_sequence(digits):
        return True
    # Two years in a row (``19902024``).
    return len(digits) == 8 and all(digits[i : i + 2] in ("19", "20") for i in (0, 4))


def _predictable_affix(part: str) -> bool:
    digits = re.sub(r"[^0-9]", "", part)
    others = re.sub(r"[0-9]", "", part)
    return len(others) <= 3 and (not digits or _predictable_digits(digits))


def _cores(password: str) -> list[tuple[str, str, str]]:
    """(prefix, core, suffix) splits of the folded password, with and without edge leet."""
    folded = _fold(password)
    out = []
    for variant in dict.fromkeys((folded, folded.translate(_EDGE_LEET))):
        match = _SPLIT.match(variant)
        assert match is not None
        out.append((match.group(1), match.group(2), match.group(3)))
    return out


def _letters(core: str) -> set[str]:
    """The core as letters only, with leet substitutions undone (both readings of "1")."""
    base = core.translate(_LEET)
    return {_LETTERS.sub("", base.translate(_LEET_I)), _LETTERS.sub("", base.translate(_LEET_L))}


def _common_word(word: str) -> bool:
    if word in common_passwords():
        return True
    unit = _repeated_unit(word)
    return unit is not None and unit in common_passwords()


def is_common(password: str) -> bool:
    """True for a listed password, however it is dressed up (case, accents, separators,
    leet, a predictable prefix or suffix, repeated)."""
    if _common_word(normalise_entry(password)):
        return True
    for prefix, core, suffix in _cores(password):
        if (
            core
            and _predictable_affix(prefix)
            and _predictable_affix(suffix)
            and any(word and _common_word(word) for word in _letters(core))
        ):
            return True
    return False


def is_sequence(password: str) -> bool:
    compact = normalise_entry(password)
    return _is_sequence(compact) or any(
        _is_sequence(word) for _, core, _ in _cores(password) for word in _letters(core) if word
    )


def _strip_words(text: str, words: tuple[str, ...]) -> tuple[str, bool]:
    removed = False
    for word in words:
        if word in text:
            text = text.replace(word, "")
            removed = True
    return text, removed


def is_from_context(password: str, context: PasswordContext) -> bool:
    """True when the password is mostly the context's words (username, names, clinic,
    "Relais"): what is left once they are removed is short, common or predictable."""
    words = context.words()
    candidates = {normalise_entry(password)}
    for _start, core, _end in _cores(password):
        candidates.update(_letters(core))
    for candidate in candidates:
        rest, removed = _strip_words(candidate, words)
        if not removed:
            continue
        if (
            len(rest) < 8
            or is_common(rest)
            or _is_sequence(rest)
            or (rest.isdigit() and _predictable_digits(rest))
        ):
            return True
    return False


# ---- zxcvbn -------------------------------------------------------------------------------
@cache
def _zxcvbn():
    """zxcvbn, with the shipped list added to its dictionaries (French words included)."""
    from zxcvbn import matching, zxcvbn

    matching.add_frequency_lists({"relais_common": list(_ranked_list())})
    return zxcvbn


def _rate(password: str, context: PasswordContext) -> dict:
    return _zxcvbn()(password[:ZXCVBN_MAX_LENGTH], user_inputs=list(context.words()))


# zxcvbn's feedback is English: its kinds of weakness, said in French.
_NAMES = N_("Les noms et prénoms se devinent facilement.")
_DICTIONARY_HINTS = {
    "passwords": N_("Il ressemble à un mot de passe très courant."),
    "relais_common": N_("Il ressemble à un mot de passe très courant."),
    "english_wikipedia": N_("Un mot seul se devine facilement."),
    "us_tv_and_film": N_("Un mot seul se devine facilement."),
    "surnames": _NAMES,
    "male_names": _NAMES,
    "female_names": _NAMES,
    "user_inputs": N_("Il reprend un nom, l'identifiant ou le nom de la maison de santé."),
}
_PATTERN_HINTS = {
    "spatial": N_("Les suites de touches du clavier (« azerty ») se devinent facilement."),
    "repeat": N_("Les répétitions (« aaa », « abcabc ») se devinent facilement."),
    "sequence": N_("Les suites (« abcd », « 6543 ») se devinent facilement."),
    "regex": N_("Les années récentes se devinent facilement."),
    "date": N_("Les dates se devinent facilement, surtout celles qui vous concernent."),
}
L33T_HINT = N_(
    "Remplacer des lettres par des chiffres ou des symboles (« @ » pour « a ») n'aide guère."
)
REVERSED_HINT = N_("Un mot écrit à l'envers se devine presque aussi vite.")
ADD_WORDS = N_("Ajoutez un ou deux mots peu courants.")
GOOD_HINT = N_("Une phrase de plusieurs mots, facile à retenir pour vous seul(e), est idéale.")


def french_feedback(result: dict) -> str:
    """One or two short sentences from zxcvbn's result (its longest match's kind), in the
    active language."""
    sequence = result.get("sequence") or []
    if not sequence:
        return _(ADD_WORDS)
    longest = max(sequence, key=lambda match: len(match.get("token", "")))
    pattern = longest.get("pattern", "")
    if pattern == "dictionary":
        if longest.get("l33t"):
            warning = L33T_HINT
        elif longest.get("reversed"):
            warning = REVERSED_HINT
        else:
            warning = _DICTIONARY_HINTS.get(longest.get("dictionary_name", ""), "")
    else:
        warning = _PATTERN_HINTS.get(pattern, "")
    return f"{_(warning)} {_(ADD_WORDS)}" if warning else _(ADD_WORDS)


# ---- the policy ---------------------------------------------------------------------------
def _rule_problem(password: str, context: PasswordContext) -> str | None:
    if message := unencodable_error(password, _("Le mot de passe")):
        return message  # a lone surrogate (never typed, but pasted or sent by a script)
    if len(password) < MIN_LENGTH:
        return _(TOO_SHORT_TEXT).format(least=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _(TOO_LONG_TEXT).format(most=MAX_LENGTH)
    username = context.username.strip().lower()
    compact_username = normalise_entry(username)
    if username and (
        username in password.lower()
        or (len(compact_username) >= 3 and compact_username in normalise_entry(password))
    ):
        return _(HAS_USERNAME)
    if is_common(password):
        return _(COMMON)
    if is_sequence(password):
        return _(SEQUENCE)
    if is_from_context(password, context):
        return _(CONTEXT)
    return None


def _guessable(result: dict) -> str | None:
    if result["score"] >= MIN_SCORE:
        return None
    return _(GUESSABLE).format(hint=french_feedback(result))


def password_problem(password: str, context: PasswordContext | None = None) -> str | None:
    """Why ``password`` is refused (a French sentence), or None when it is accepted."""
    context = context or PasswordContext()
    return _rule_problem(password, context) or _guessable(_rate(password, context))


def assess(password: str, context: PasswordContext | None = None) -> PasswordAssessment:
    """Rate ``password`` for the strength bar, as the user types."""
    context = context or PasswordContext()
    if not password:
        return PasswordAssessment(0, "", _(GOOD_HINT), _(TOO_SHORT_TEXT).format(least=MIN_LENGTH))
    result = _rate(password, context)
    score = int(result["score"])
    problem = _rule_problem(password, context) or _guessable(result)
    if len(password) < MIN_LENGTH and problem == _(TOO_SHORT_TEXT).format(least=MIN_LENGTH):
        missing = MIN_LENGTH - len(password)
        hint = ngettext(
            "Encore {missing} caractère au moins.", "Encore {missing} caractères au moins.", missing
        ).format(missing=missing)
        shown = min(score, 1)
        return PasswordAssessment(shown, _(SCORE_LABELS[shown]), hint, problem)
    if problem is not None:
        return PasswordAssessment(0, _(REFUSED_LABEL), problem, problem)
    hint = _(GOOD_HINT) if score >= 4 else french_feedback(result)
    return PasswordAssessment(score, _(SCORE_LABELS[score]), hint, None)
