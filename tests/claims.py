"""Claims that the site attributes to the report, checked against the report's passage at the section they cite.

A claim is a sentence of a page that carries a section marker. The page's source writes it ``{§5.1.3}``, or
``{§5.1.3 suggested workshop}`` with a few of the report's own words that the sentence depends on; the build shows
it as a small link to the report's list of sections (:mod:`geo.render.claims`). Here a claim is checked:

- every number in it (but for years, section numbers and numbers marked ``<!-- derived: … -->``) appears in the
  report's text at one of the sections it cites, or under them (``§5.1`` covers ``5.1.1`` … ``5.1.6``);
- every key word of its marker, and every word it quotes in double quotes, appears there too;
- a sentence that says what the report says, finds, recommends or ranks (:data:`ATTRIBUTES`) has a marker.

What the checks need of the report is ``tests/data/report-sections.txt``: per section, the numbers of its text and
a short hash of each distinct word, not its prose. It was made once from the report's text with
``python -m tests.claims ../shared/seed/strategic-assessment-2014-15.txt > tests/data/report-sections.txt``
(:func:`section_prints`); the tests never read ``../shared``.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.render.claims import CLAIM_LINK
from tests.prose_numbers import _NUM, normalise

SECTION_PRINTS = Path(__file__).parent / "data" / "report-sections.txt"
ATTRIBUTES = re.compile(
    r"(?<!\bwhat )\b(?:the|its|this) (?:assessment|report)(?:'s)?(?: own)?(?: text| table| figures?)? "
    r"(?:says?|said|finds?|found|recommends?|recommended|ranks?|ranked|names?|named|notes?|noted|gives?|gave|"
    r"reports?|records?|lists?|calls?|sets? out|identifies|identified|describes?|counts?|states?|suggests?|"
    r"asks?|writes?|expects?|puts?|compares?|keeps?|treats?|expands?|follows?|speaks?|quotes?|shows?|"
    r"mentions?|proposes?)\b|\baccording to the (?:report|assessment)\b|\bin the (?:report|assessment)'s words\b",
    re.I,
)
"""A sentence that tells what the report says, finds, recommends or ranks (and so must cite where)."""
_HEADING = re.compile(r"^(?:- )?(\d\.\d(?:\.\d+)?)\s|^(\d)\. [A-Z]")
_APPENDICES = {
    "Methodology and Information Sources": "A1",
    "Contextual information": "A2",
    "Terrorism": "A3",
    "Glossary of terms": "A4",
}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?:[/-]\d\d(?!\d))?(?!\d|,\d)|(?:section|§)\s?[A\d][\d.]*\d", re.I)


def word_print(word: str) -> str:
    """A short hash of one lower-case word: what the sections file keeps instead of the word.

    >>> word_print("Suggested") == word_print("suggested")
    True
    """
    return hashlib.blake2b(word.lower().encode(), digest_size=4).hexdigest()


def words_of(text: str) -> list[str]:
    """The words of ``text``, lower case, curly apostrophes straightened.

    >>> words_of("Maidstone’s 4th highest")
    ["maidstone's", '4th', 'highest']
    """
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def split_sections(text: str) -> dict[str, str]:
    """The report's text by section (``"5.1.3"``, ``"A2"``), each section's own lines without its subsections'.

    Numbered headings start a section up to the first appendix; the appendices start at their titles. The cover
    and contents before section 1 belong to none.
    """
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        s = line.strip()
        if current is not None and s in _APPENDICES:
            current = _APPENDICES[s]
        elif current is None or not current.startswith("A"):
            m = _HEADING.match(s)
            if m and (current is not None or s.startswith("1. Executive")):
                current = m.group(1) or m.group(2)
        if current is not None:
            out.setdefault(current, []).append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def section_prints(text: str) -> str:
    """The sections file's text for the report's ``text``: ``section<TAB>numbers<TAB>word hashes`` per line."""
    lines = []
    for sec, body in split_sections(text).items():
        numbers = sorted({normalise(m.group(1), bool(m.group(2))) for m in _NUM.finditer(body)})
        prints = sorted({word_print(w) for w in words_of(body)})
        lines.append(f"{sec}\t{' '.join(numbers)}\t{' '.join(prints)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Passage:
    numbers: frozenset[str]
    words: frozenset[str]


def load_sections(path: Path = SECTION_PRINTS) -> dict[str, Passage]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        sec, numbers, words = line.split("\t")
        out[sec] = Passage(frozenset(numbers.split()), frozenset(words.split()))
    return out


def passage(sections: dict[str, Passage], cited: list[str]) -> Passage:
    """The cited sections with everything under them; an unknown section is an error."""
    numbers, words = set(), set()
    for c in cited:
        under = [s for s in sections if s == c or s.startswith(c + ".")]
        if not under:
            raise KeyError(f"the report has no section {c}")
        for s in under:
            numbers |= sections[s].numbers
            words |= sections[s].words
    return Passage(frozenset(numbers), frozenset(words))


@dataclass(frozen=True)
class Claim:
    page: str
    sentence: str
    cited: tuple[str, ...]
    keywords: tuple[str, ...]


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!^\d\.)\s+(?=[A-Z(\"'*\[])|\n\s*[-*] |\n\s*\d+\. |\n\s*\|")


def sentences(markdown: str) -> list[str]:
    """The sentences of a page's Markdown: paragraphs, list items and table rows split, headings left out.

    >>> sentences("# Title\\n\\nOne 2. Two {§1.1}.\\n- three")
    ['One 2.', 'Two {§1.1}.', 'three']
    """
    out = []
    for para in re.split(r"\n\s*\n", markdown):
        if para.lstrip().startswith("#"):
            continue
        parts = (re.sub(r"^(?:[-*]|\d+\.)\s+", "", s.strip()) for s in _SENTENCE_END.split(para.strip()))
        out += [s for s in parts if s]
    return out


def claim_numbers(sentence: str) -> set[str]:
    """The numbers a claim states: not its markers, link targets, years, section numbers, the unit of a rate per
    1,000 or derived figures.

    >>> sorted(claim_numbers("In 2012/13, 911 (section 4.1) or 27.7 per 1,000, 26 <!-- derived: x --> wards."))
    ['27.7', '911']
    """
    s = _COMMENT.sub(lambda m: "\0" if m.group().startswith("<!-- derived") else "", sentence)
    s = CLAIM_LINK.sub(" ", s)
    s = re.sub(r"\]\([^)]*\)(\{[^}]*\})?", "]", s)
    s = re.sub(r"(\d+(?:,\d{3})*(?:\.\d+)?\s?%?)\s*\0", " ", s)  # a number with its derived note after it
    s = _YEAR.sub(" ", re.sub(r"\bper 1,000\b", " ", s))
    return {normalise(m.group(1), bool(m.group(2))) for m in _NUM.finditer(s)}


def claims_in(page: str, markdown: str) -> list[Claim]:
    """Every sentence of a rendered page with its cited sections and key words (the rendered marker links)."""
    out = []
    for s in sentences(markdown):
        links = list(CLAIM_LINK.finditer(s))
        if links:
            cited = tuple(m.group("sec") for m in links)
            keys = tuple(w for m in links for w in (m.group("words") or "").split())
            out.append(Claim(page, s, cited, keys))
    return out


def claim_problems(claim: Claim, sections: dict[str, Passage]) -> list[str]:
    """What in ``claim`` the report's passage at its sections does not bear out (empty when all does)."""
    try:
        at = passage(sections, list(claim.cited))
    except KeyError as e:
        return [str(e.args[0])]
    where = "§" + ", §".join(claim.cited)
    problems = [f"{n} is not in {where}" for n in sorted(claim_numbers(claim.sentence) - at.numbers)]
    text = CLAIM_LINK.sub(" ", _COMMENT.sub("", claim.sentence))
    quoted = [w for q in re.findall(r'"([^"]+)"', text) for w in words_of(q)]
    for w in [*claim.keywords, *quoted]:
        if word_print(w) not in at.words:
            problems.append(f"the word {w!r} is not in {where}")
    return problems


def unmarked_attributions(markdown: str) -> list[str]:
    """Sentences that attribute something to the report and cite no section of it (code, such as a map's embed
    code, and tags' labels are not sentences)."""
    markdown = re.sub(r"<pre\b.*?</pre>", " ", markdown, flags=re.S)
    plain = ((s, re.sub(r"<[^>]*>", " ", _COMMENT.sub("", s))) for s in sentences(markdown))
    return [s for s, text in plain if ATTRIBUTES.search(text) and not CLAIM_LINK.search(s)]


if __name__ == "__main__":
    sys.stdout.write(section_prints(Path(sys.argv[1]).read_text(encoding="utf-8")))
